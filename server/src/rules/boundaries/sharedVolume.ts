import { defineRule } from '../rule';
import { isMap } from '../../core/yaml';
import { scalarText, valueTextRange } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import { stringItems } from '../../model/common';
import { composeProgram, type ComposeService, type ComposeVolume } from '../../model/compose';
import { workloadProgram, type KubernetesObject } from '../../model/kubernetes';
import { deploymentScope } from '../shared/workloads';
import type { AnalyzedDocument } from '../../model/documents';

/**
 * BND012: one volume mounted by services of different programs: a compose named volume or
 * `volumes_from:`, a Kubernetes PersistentVolumeClaim used by several workloads. Files are a
 * channel around every network boundary between them, and what one writes the others read (or
 * run). Information: sharing is often the design (an app writes static files a web server serves);
 * the finding makes the channel visible. Roles of one program (same image or build) count once.
 */
export const sharedVolume = defineRule({
  id: 'BND012',
  pattern: 'BND',
  alsoPattern: 'IMM',
  severity: 'info',
  title: 'Volume shared by different services',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: ['KICS 8c978947 Shared Volumes Between Containers', 'Threagile mixed-targets-on-shared-runtime'],
  guidance: {
    why: 'A volume two services mount is a channel between them that no network policy, firewall or authentication sees: what the less trusted one writes, the other reads as its own data, configuration or code. Boundaries drawn with networks hold only if the files do not cross them. Reported once per volume, as information: sharing is often deliberate (an application writes static files a web server serves), and the finding names every service that has it. Services of one program (the same image or build in several roles) count once; `volumes_from:` shares every volume of the other service. Propagation to the host is TCB013; host paths are TCB007, TCB008 and TCB014.',
    fix: 'Give each service its own volume and pass data over an authenticated interface (an API, object storage with per-service credentials). Where a volume must be shared, mount it read-only (`:ro`, `readOnly: true`) in every service that only reads it.',
    bad: 'services:\n  app:\n    image: example/app:2.3.1\n    volumes:\n      - uploads:/srv/uploads\n  web:\n    image: nginx:1.27.2\n    volumes:\n      - uploads:/usr/share/nginx/html/uploads\nvolumes:\n  uploads: {}',
    good: 'services:\n  app:\n    image: example/app:2.3.1\n    volumes:\n      - uploads:/srv/uploads\n  web:\n    image: nginx:1.27.2\nvolumes:\n  uploads: {}',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    const users = new Map<string, Array<{ service: ComposeService; volume: ComposeVolume }>>();
    for (const service of model.services) {
      for (const volume of service.volumes) {
        if (volume.type !== 'volume' || !volume.source || volume.source.includes('$')) continue;
        users.set(volume.source, [...(users.get(volume.source) ?? []), { service, volume }]);
      }
    }
    for (const [name, list] of users) {
      const programs = new Map<string, (typeof list)[number]>();
      for (const use of list) if (!programs.has(composeProgram(use.service))) programs.set(composeProgram(use.service), use);
      // A volume every service mounts read-only is filled from outside: no channel between them.
      if (programs.size < 2 || list.every((use) => use.volume.readOnly)) continue;
      const [first, ...others] = [...programs.values()];
      const writers = [...new Set(list.filter((use) => !use.volume.readOnly).map((use) => `"${use.service.name}"`))];
      context.report({
        range: valueTextRange(tree.text, first.volume.node) ?? first.volume.range,
        message: `Volume "${name}" is mounted by services of different programs (${[...programs.values()].map((use) => `"${use.service.name}"`).join(', ')}), writable by ${writers.join(', ')}: files cross between them past every network boundary.`,
        related: others.map((use) => ({ message: `"${use.service.name}" mounts volume "${name}"${use.volume.readOnly ? ' read-only' : ''}`, range: valueTextRange(tree.text, use.volume.node) ?? use.volume.range })),
      });
    }
    for (const service of model.services) {
      if (!service.node) continue;
      for (const item of stringItems(tree, service.node, 'volumes_from')) {
        const [source, mode] = item.value.trim().replace(/^(?:service|container):/, '').split(':');
        context.report({
          range: item.range,
          message: `Service "${service.name}" mounts every volume of "${source}" (volumes_from: ${item.value.trim()})${mode === 'ro' ? ' read-only' : ''}: files cross between them past every network boundary.`,
        });
      }
    }
  },
  checkWorkspace(documents, context) {
    interface Use { readonly object: KubernetesObject; readonly document: AnalyzedDocument; readonly range: OffsetRange; readonly readOnly: boolean }
    const claims = new Map<string, Use[]>();
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const spec = object.podSpec?.node;
        if (!spec) continue;
        const tree = object.tree;
        for (const volume of tree.items(tree.get(spec, 'volumes'))) {
          const claim = tree.map(volume, 'persistentVolumeClaim');
          const nameNode = claim ? tree.get(claim, 'claimName') : undefined;
          const name = scalarText(nameNode)?.trim();
          const range = valueTextRange(tree.text, nameNode);
          if (!claim || !name || name.includes('{{') || !range) continue;
          const key = `${deploymentScope(object, document)}/${name}`;
          claims.set(key, [...(claims.get(key) ?? []), { object, document, range, readOnly: tree.boolean(claim, 'readOnly') === true || !mountedWritable(object, tree.string(volume, 'name')) }]);
        }
      }
    }
    for (const [key, list] of claims) {
      // One workload defined in two files is one workload; roles of one image count once.
      const byWorkload = new Map<string, Use>();
      for (const use of list) byWorkload.set(`${use.object.kind}/${use.object.name ?? '?'}`, byWorkload.get(`${use.object.kind}/${use.object.name ?? '?'}`) ?? use);
      const programs = new Map<string, Use>();
      for (const use of byWorkload.values()) if (!programs.has(workloadProgram(use.object))) programs.set(workloadProgram(use.object), use);
      if (programs.size < 2 || list.every((use) => use.readOnly)) continue;
      const [first, ...others] = [...programs.values()];
      const label = (use: Use) => `${use.object.kind} "${use.object.name ?? '?'}"`;
      const writers = [...byWorkload.values()].filter((use) => !use.readOnly).map(label);
      context.report({
        document: first.document,
        range: first.range,
        message: `PersistentVolumeClaim "${key.slice(key.lastIndexOf('/') + 1)}" is mounted by workloads of different programs (${[...programs.values()].map(label).join(', ')}), writable by ${writers.join(', ')}: files cross between them past every NetworkPolicy.`,
        relatedElsewhere: others.map((use) => ({ message: `${label(use)} mounts the claim${use.readOnly ? ' read-only' : ''}`, document: use.document, range: use.range })),
      });
    }
  },
});

/** Whether any container mounts the pod volume `name` without `readOnly: true`. */
function mountedWritable(object: KubernetesObject, name: string | undefined): boolean {
  const tree = object.tree;
  return (object.podSpec?.containers ?? []).some((container) => tree.items(tree.get(container.node, 'volumeMounts')).some((mount) => isMap(mount) && tree.string(mount, 'name') === name && tree.boolean(mount, 'readOnly') !== true));
}
