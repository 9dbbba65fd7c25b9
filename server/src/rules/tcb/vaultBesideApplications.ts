import { defineRule } from '../rule';
import { placedObjects } from '../../model/mesh';
import { namespaceOf } from '../../model/kubernetes';
import { isVaultCoreImage } from '../../model/vault';
import { appliedTogether, composeVaultServers, vaultServerWorkloads } from '../shared/vaultServers';

export const vaultBesideApplications = defineRule({
  id: 'TCB043',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Vault runs in one namespace or network with application workloads',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'TCB Minimization: the trusted core is small and isolated — "a small, isolated vault (no network egress, heavily monitored) is the TCB; services call its API". A Vault server in the same Kubernetes namespace as application workloads shares their RBAC (whoever may read Secrets or exec into pods there reaches the vault\'s unseal keys and tokens), their ResourceQuota and their NetworkPolicies; in compose, a Vault service on the same network as every application (the project\'s default network, say) is reachable on every port from each of them, and one compromised neighbour is one hop from the core.',
    fix: 'Run Vault in a namespace of its own (`vault`), with its own service accounts and a default-deny NetworkPolicy that admits only the Vault API port from the namespaces that call it; in compose, put Vault on a network of its own and attach only the services that call it.',
    bad: 'services:\n  vault:\n    image: hashicorp/vault:1.17.2\n    command: server -config=/vault/config/vault.hcl\n  api:\n    image: example/api:2.4.1\n  worker:\n    image: example/worker:2.4.1',
    good: 'services:\n  vault:\n    image: hashicorp/vault:1.17.2\n    command: server -config=/vault/config/vault.hcl\n    networks: [vault]\n  api:\n    image: example/api:2.4.1\n    networks: [vault, app]\n  worker:\n    image: example/worker:2.4.1\n    networks: [app]\nnetworks:\n  vault: {}\n  app: {}',
  },
  checkCompose(model, context) {
    const networksOf = (service: (typeof model.services)[number]) => (service.networks.length > 0 ? service.networks.map((network) => network.name) : ['default']);
    for (const vault of composeVaultServers(model)) {
      if (!vault.node || model.tree.pair(vault.node, 'network_mode') !== undefined) continue;
      const own = new Set(networksOf(vault));
      const neighbours = model.services.filter((service) => service !== vault && service.node && model.tree.pair(service.node, 'network_mode') === undefined && !isVaultCoreImage(service.image?.value) && networksOf(service).some((network) => own.has(network)));
      // A caller of Vault must share a network with it: only when no application is kept apart (two or more, all beside it) is nothing isolated.
      const applications = model.services.filter((service) => service !== vault && service.node && !isVaultCoreImage(service.image?.value));
      if (neighbours.length < 2 || neighbours.length < applications.length) continue;
      const shared = [...own].filter((network) => neighbours.some((service) => networksOf(service).includes(network)));
      context.report({
        range: vault.keyRange,
        message: `Service "${vault.name}" runs a Vault server on network${shared.length === 1 ? '' : 's'} ${shared.map((name) => `"${name}"`).join(', ')} with every application service of the file (${neighbours.slice(0, 5).map((service) => `"${service.name}"`).join(', ')}${neighbours.length > 5 ? ', …' : ''}): each reaches every port of the vault, and a compromise of any of them is one hop from it.`,
      });
    }
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    for (const vault of vaultServerWorkloads(objects)) {
      const namespace = namespaceOf(vault.object);
      const together = (placed: (typeof objects)[number]) => appliedTogether(vault, placed);
      const neighbours = objects.filter((placed) => placed.object !== vault.object && placed.object.podSpec && together(placed) && !placed.object.podSpec.containers.some((container) => isVaultCoreImage(container.image?.value)));
      if (neighbours.length === 0) continue;
      const where = vault.object.namespace ? `namespace "${namespace}"` : 'the namespace it is applied to (the file names none)';
      context.report({
        document: vault.document,
        range: vault.object.subjectRange,
        message: `${vault.object.kind} "${vault.object.name ?? '?'}" runs a Vault server in ${where} with ${neighbours.length} application workload${neighbours.length === 1 ? '' : 's'}: they share its RBAC, service accounts and network policies, so whoever controls one of them holds the permissions that reach the vault's Secrets and pods.`,
        relatedElsewhere: neighbours.slice(0, 5).map(({ document, object }) => ({ message: `${object.kind} "${object.name ?? '?'}" runs beside the vault`, document, range: object.subjectRange })),
      });
    }
  },
});
