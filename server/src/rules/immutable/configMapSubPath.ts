import { defineRule } from '../rule';
import { isMap } from '../../core/yaml';
import { keyRange, scalarText } from '../../core/tree';

export const configMapSubPath = defineRule({
  id: 'IMM041',
  pattern: 'IMM',
  severity: 'info',
  title: 'ConfigMap mounted with subPath never sees updates',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Immutable Infrastructure: configuration lives in version control, and what runs is what git says. A ConfigMap volume mounted with `subPath` is copied once when the container starts and never updated (Kubernetes documentation: "a container using a ConfigMap as a subPath volume mount will not receive ConfigMap updates"). After the next `kubectl apply` the cluster holds the new configuration while running pods still use the old one, so what runs silently differs from git until something restarts them.',
    fix: 'Roll the pods when the configuration changes: make the ConfigMap immutable with a content hash in its name (Kustomize `configMapGenerator`, a Helm `checksum/config` annotation) so a change replaces the pods; or mount the whole volume at a directory of its own instead of a `subPath`.',
    bad: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.2\n      volumeMounts:\n        - name: config\n          mountPath: /etc/nginx/nginx.conf\n          subPath: nginx.conf\n  volumes:\n    - name: config\n      configMap:\n        name: nginx-config',
    good: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.2\n      volumeMounts:\n        - name: config\n          mountPath: /etc/nginx/conf.d\n  volumes:\n    - name: config\n      configMap:\n        name: nginx-config',
  },
  checkKubernetes(object, context) {
    const spec = object.podSpec;
    if (!spec) return;
    const tree = object.tree;
    // A name suffixed with a content hash (Kustomize, Helm checksum annotation) is replaced, not updated.
    const annotations = tree.get(spec.metadata, 'annotations');
    if (tree.entries(annotations).some(([key]) => /checksum/i.test(String(key.value)))) return;
    const configMaps = new Map<string, string>();
    for (const volume of tree.items(tree.get(spec.node, 'volumes'))) {
      const name = tree.string(volume, 'name');
      const configMap = tree.string(tree.get(volume, 'configMap'), 'name');
      if (name && configMap && scalarText(tree.get(tree.get(volume, 'configMap'), 'optional')) !== 'true') configMaps.set(name, configMap);
    }
    if (configMaps.size === 0) return;
    // An init container copies at start by design: it runs once per pod anyway.
    for (const container of spec.containers.filter((candidate) => candidate.kind === 'container')) {
      for (const mount of tree.items(tree.get(container.node, 'volumeMounts'))) {
        if (!isMap(mount)) continue;
        const configMap = configMaps.get(tree.string(mount, 'name') ?? '');
        const pair = tree.pair(mount, 'subPath');
        if (!configMap || !pair || /-[a-z0-9]{10}$/.test(configMap)) continue;
        context.report({ range: keyRange(pair)!, message: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}" mounts ConfigMap "${configMap}" with subPath: the file is copied at start and never updated, so after a change the running pods differ from what the cluster and git say until they are replaced.` });
      }
    }
  },
});
