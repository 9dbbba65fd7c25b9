import { defineRule } from '../rule';
import { deletePair, fix, replaceNode } from '../../core/edits';
import { isMap } from '../../core/yaml';
import { scalarText, valueTextRange } from '../../core/tree';
import { runningContainers } from '../../model/kubernetes';
import { containerLabel, oncePerRange } from '../shared/workloads';

/** Compose bind propagation that carries mounts from the container back to the host (Docker "bind propagation"). */
const PROPAGATES_TO_HOST = new Set(['shared', 'rshared']);

export const mountPropagation = defineRule({
  id: 'TCB013',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Mount propagates from the container to the host',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS baa452f0 Volume Mounted In Multiple Containers', 'Kubernetes Pod Security Standards (Bidirectional needs privileged)'],
  guidance: {
    why: 'A bind mount with `shared` or `rshared` propagation (compose), or a volumeMount with `mountPropagation: Bidirectional` (Kubernetes), makes every mount the container creates below that path appear on the host, and in every other container that mounts it. A compromised container can then lay a filesystem over host paths other workloads and the host trust: the mount namespace, one of the walls of the container, is opened in the outward direction. `slave`/`rslave` and `HostToContainer` only let host mounts in and are not reported.',
    fix: 'Drop the propagation option (the default, `rprivate` / `None`, keeps mounts inside the container). Only storage and CSI node plugins need Bidirectional; keep those in their own namespace, privileged by documented exception.',
    bad: 'services:\n  storage:\n    image: example/storage:1.4.0\n    volumes:\n      - /mnt/pool:/mnt/pool:rshared',
    good: 'services:\n  storage:\n    image: example/storage:1.4.0\n    volumes:\n      - /mnt/pool:/mnt/pool',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    const once = oncePerRange(context);
    for (const service of model.services) {
      for (const volume of service.volumes) {
        const propagation = volume.propagation;
        if (!propagation || !PROPAGATES_TO_HOST.has(propagation.value)) continue;
        const edit = volume.form === 'long' ? deletePair(tree, tree.map(volume.node, 'bind')!, 'propagation') : shortOptionRemoval(tree.text, propagation.range);
        once.report({
          range: propagation.range,
          message: `Service "${service.name}" mounts ${volume.source ?? 'a volume'} at ${volume.target ?? '?'} with ${propagation.value} propagation: mounts it makes there appear on the host and in every container that shares the path.`,
          fixes: fix(`Remove ${propagation.value} propagation`, [edit], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    for (const container of runningContainers(object)) {
      for (const mount of tree.items(tree.get(container.node, 'volumeMounts'))) {
        if (!isMap(mount)) continue;
        const node = tree.get(mount, 'mountPropagation');
        if (scalarText(node) !== 'Bidirectional') continue;
        context.report({
          range: valueTextRange(tree.text, node)!,
          message: `${containerLabel(object, container)} mounts volume "${tree.string(mount, 'name') ?? '?'}" at ${tree.string(mount, 'mountPath') ?? '?'} with mountPropagation: Bidirectional: mounts it makes there propagate to the node and to every pod that uses the path.`,
          fixes: fix('Use HostToContainer propagation', [replaceNode(node, 'HostToContainer')], false),
        });
      }
    }
  },
});

/** Removes `rshared` and one neighbouring comma or colon from a short-syntax volume (`a:b:ro,rshared` → `a:b:ro`). */
function shortOptionRemoval(text: string, range: { start: number; end: number }): { start: number; end: number; newText: string } | undefined {
  if (text[range.start - 1] === ',') return { start: range.start - 1, end: range.end, newText: '' };
  if (text[range.end] === ',') return { start: range.start, end: range.end + 1, newText: '' };
  if (text[range.start - 1] === ':') return { start: range.start - 1, end: range.end, newText: '' };
  return undefined;
}
