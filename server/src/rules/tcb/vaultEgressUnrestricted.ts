import { defineRule } from '../rule';
import { placedObjects } from '../../model/mesh';
import { isNetworkPolicy } from '../../model/networkPolicies';
import { matches, podLabels, readSelector } from '../../model/labels';
import { appliedTogether, vaultServerWorkloads } from '../shared/vaultServers';

export const vaultEgressUnrestricted = defineRule({
  id: 'TCB044',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Vault server without an egress NetworkPolicy',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'TCB Minimization: "a small, isolated vault (no network egress, heavily monitored) is the TCB". A Vault server whose pods no NetworkPolicy restricts on egress can open connections anywhere: a compromised or misconfigured vault (a secrets engine pointed at the wrong host, an exploited plugin) can send what it holds out of the cluster, and nothing in the manifest says which few destinations it needs (its storage, its peers, the KMS that auto-unseals it). Warning when the files write NetworkPolicies for the namespace but none limits Vault\'s egress; info when the files hold no NetworkPolicy for it at all (it may live elsewhere).',
    fix: 'Add a NetworkPolicy that selects the Vault pods with `policyTypes: [Egress]` and allows only DNS, the Raft peers (8201) and the storage or KMS endpoints it needs.',
    bad: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: vault\n  namespace: vault\nspec:\n  selector:\n    matchLabels: {app: vault}\n  template:\n    metadata:\n      labels: {app: vault}\n    spec:\n      containers:\n        - name: vault\n          image: hashicorp/vault:1.17.2\n          args: ["server", "-config=/vault/config/vault.hcl"]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: vault-ingress\n  namespace: vault\nspec:\n  podSelector:\n    matchLabels: {app: vault}\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: 8200',
    good: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: vault\n  namespace: vault\nspec:\n  selector:\n    matchLabels: {app: vault}\n  template:\n    metadata:\n      labels: {app: vault}\n    spec:\n      containers:\n        - name: vault\n          image: hashicorp/vault:1.17.2\n          args: ["server", "-config=/vault/config/vault.hcl"]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: vault\n  namespace: vault\nspec:\n  podSelector:\n    matchLabels: {app: vault}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - ports:\n        - port: 8200\n  egress:\n    - to:\n        - podSelector:\n            matchLabels: {app: vault}\n      ports:\n        - port: 8201',
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    const policies = objects.filter(({ object }) => isNetworkPolicy(object));
    for (const vault of vaultServerWorkloads(objects)) {
      const inNamespace = policies.filter((placed) => appliedTogether(vault, placed));
      const labels = podLabels(vault.object);
      const restricted = inNamespace.some(({ object }) => {
        const tree = object.tree;
        const spec = tree.map(object.root, 'spec');
        const selector = readSelector(tree, tree.get(spec, 'podSelector'));
        if (selector && !matches(selector, labels)) return false;
        const types = tree.items(tree.get(spec, 'policyTypes')).map((item) => String((item as { value?: unknown }).value ?? ''));
        return types.includes('Egress') || (types.length === 0 && tree.pair(spec, 'egress') !== undefined);
      });
      if (restricted) continue;
      context.report({
        document: vault.document,
        range: vault.object.subjectRange,
        severity: inNamespace.length > 0 ? undefined : 'info',
        message:
          inNamespace.length > 0
            ? `${vault.object.kind} "${vault.object.name ?? '?'}" runs a Vault server that none of the ${inNamespace.length} NetworkPolicies of its namespace restricts on egress: the vault may connect anywhere, and what it holds can leave with it.`
            : `${vault.object.kind} "${vault.object.name ?? '?'}" runs a Vault server and no NetworkPolicy in these files restricts its egress: the vault may connect anywhere, and what it holds can leave with it.`,
        relatedElsewhere: inNamespace.slice(0, 3).map(({ document, object }) => ({ message: `NetworkPolicy "${object.name ?? '?'}" does not limit the vault's egress`, document, range: object.subjectRange })),
      });
    }
  },
});
