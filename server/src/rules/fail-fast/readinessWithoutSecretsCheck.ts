import { defineRule } from '../rule';
import { isMap } from '../../core/yaml';
import type { YamlTree } from '../../core/tree';
import type { KubernetesContainer, KubernetesObject } from '../../model/kubernetes';
import { podAnnotation } from '../../model/mesh';
import { isDatastore } from '../../model/names';

const SERVING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** Names of pod volumes that carry Secrets: `secret`, `projected` with a secret source, or the Secrets Store CSI driver. */
function secretVolumes(tree: YamlTree, podSpec: NonNullable<KubernetesObject['podSpec']>): Map<string, string> {
  const volumes = new Map<string, string>();
  for (const volume of tree.items(tree.get(podSpec.node, 'volumes'))) {
    const name = tree.string(volume, 'name');
    if (!name) continue;
    // An optional Secret is one the program can serve without (FF003 says when it should not be).
    const secretMap = tree.map(volume, 'secret');
    const secret = tree.boolean(secretMap, 'optional') === true ? undefined : tree.string(secretMap, 'secretName');
    const projected = tree.items(tree.get(tree.map(volume, 'projected'), 'sources')).map((source) => tree.string(tree.map(source, 'secret'), 'name')).find(Boolean);
    const csi = tree.string(tree.map(volume, 'csi'), 'driver') === 'secrets-store.csi.k8s.io' ? 'the Secrets Store CSI driver' : undefined;
    const what = secret ? `Secret "${secret}"` : projected ? `Secret "${projected}"` : csi;
    if (what) volumes.set(name, what);
  }
  return volumes;
}

/** What secret a container reads, as a phrase; undefined when it reads none the file shows. */
function secretsRead(tree: YamlTree, container: KubernetesContainer, volumes: ReadonlyMap<string, string>): string | undefined {
  const required = (reference: ReturnType<YamlTree['map']>) => (tree.boolean(reference, 'optional') === true ? undefined : tree.string(reference, 'name'));
  const fromEnv = tree.items(tree.get(container.node, 'env')).map((item) => required(tree.map(tree.map(item, 'valueFrom'), 'secretKeyRef'))).find(Boolean);
  if (fromEnv) return `Secret "${fromEnv}" in its environment`;
  const fromEnvFrom = tree.items(tree.get(container.node, 'envFrom')).map((item) => required(tree.map(item, 'secretRef'))).find(Boolean);
  if (fromEnvFrom) return `Secret "${fromEnvFrom}" in its environment`;
  for (const mount of tree.items(tree.get(container.node, 'volumeMounts'))) {
    const what = isMap(mount) ? volumes.get(tree.string(mount, 'name') ?? '') : undefined;
    if (what) return `${what} mounted at ${tree.string(mount, 'mountPath') ?? '?'}`;
  }
  return undefined;
}

export const readinessWithoutSecretsCheck = defineRule({
  id: 'FF042',
  pattern: 'FF',
  severity: 'info',
  title: 'Workload that needs its secrets to serve has no readinessProbe',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter no-readiness-probe', 'Polaris readinessProbeMissing'],
  guidance: {
    why: 'Fail-Fast Security: refuse to serve until the security properties hold. A container that serves a port and reads credentials it uses (not a datastore\'s own password, which it only enforces) (a Secret, Vault Agent\'s injected files, the Secrets Store CSI driver) but declares no readinessProbe is put behind its Service the moment its process starts: with a wrong, expired or not-yet-rendered secret it takes traffic and fails each request — or, worse, serves without the TLS key or database credentials it was meant to check. A readiness check that exercises what the secrets unlock keeps it out of rotation until they work.',
    fix: 'Add a readinessProbe on an endpoint that only answers when the application has loaded and verified its secrets (a database ping with the credentials, the TLS listener itself), and make the application exit on start-up when they are missing.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2\n          ports:\n            - containerPort: 8443\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: orders-db, key: password}',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2\n          ports:\n            - containerPort: 8443\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: orders-db, key: password}\n          readinessProbe:\n            httpGet: {path: /ready, port: 8443, scheme: HTTPS}',
  },
  checkKubernetes(object, context) {
    const podSpec = object.podSpec;
    if (!podSpec || !SERVING_KINDS.has(object.kind)) return;
    const tree = object.tree;
    const volumes = secretVolumes(tree, podSpec);
    const injected = podAnnotation(object, 'vault.hashicorp.com/agent-inject')?.value === 'true';
    for (const container of podSpec.containers) {
      if (container.kind !== 'container' || tree.items(tree.get(container.node, 'ports')).length === 0) continue;
      if (tree.pair(container.node, 'readinessProbe') !== undefined) continue;
      // A datastore's Secret is the password it enforces on its clients: it cannot fail to work for the server itself.
      if (isDatastore(container.image?.value)) continue;
      const reads = secretsRead(tree, container, volumes) ?? (injected ? 'secrets Vault Agent injects' : undefined);
      if (!reads) continue;
      context.report({
        range: container.subjectRange,
        message: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}" serves a port and reads ${reads}, but has no readinessProbe: it takes traffic as soon as it starts, whether or not those secrets work.`,
      });
    }
  },
});
