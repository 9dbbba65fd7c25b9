import { defineRule } from '../rule';

export const clusterSecretStoreUnrestricted = defineRule({
  id: 'TCB045',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'External Secrets ClusterSecretStore open to every namespace',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'TCB Minimization: the secret store is the trusted core, and who may read through it must stay small. The External Secrets Operator\'s documentation: "The ClusterSecretStore is a cluster scoped SecretStore that can be referenced by all ExternalSecrets from all namespaces." Without `spec.conditions`, anyone who may create an ExternalSecret in any namespace — every team, every CI deployer — can copy any secret the store\'s credentials reach into a Kubernetes Secret they can read: the vault\'s access control collapses to the widest one.',
    fix: 'Add `spec.conditions` with `namespaces`, `namespaceSelector` or `namespaceRegexes` naming the namespaces that may use the store, or use a namespaced SecretStore with credentials scoped to that namespace\'s paths.',
    bad: 'apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata:\n  name: vault\nspec:\n  provider:\n    vault:\n      server: https://vault.vault.svc:8200\n      path: secret\n      version: v2\n      auth:\n        kubernetes:\n          mountPath: kubernetes\n          role: external-secrets',
    good: 'apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata:\n  name: vault\nspec:\n  conditions:\n    - namespaces: [shop, billing]\n  provider:\n    vault:\n      server: https://vault.vault.svc:8200\n      path: secret\n      version: v2\n      auth:\n        kubernetes:\n          mountPath: kubernetes\n          role: external-secrets',
  },
  checkKubernetes(object, context) {
    if (object.kind !== 'ClusterSecretStore' || !object.apiVersion.startsWith('external-secrets.io/')) return;
    const tree = object.tree;
    const spec = tree.map(object.root, 'spec');
    if (!spec) return;
    const conditions = tree.items(tree.get(spec, 'conditions'));
    const narrowing = conditions.some((condition) => ['namespaces', 'namespaceSelector', 'namespaceRegexes'].some((key) => tree.pair(condition, key) !== undefined));
    if (narrowing) return;
    const provider = tree.entries(tree.get(spec, 'provider')).map(([key]) => String(key.value))[0];
    context.report({ range: object.subjectRange, message: `ClusterSecretStore "${object.name ?? '?'}"${provider ? ` (${provider})` : ''} has no conditions: an ExternalSecret in any namespace may copy any secret its credentials reach into a Secret there.` });
  },
});
