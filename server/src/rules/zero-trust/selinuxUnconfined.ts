import { defineRule } from '../rule';
import { deleteSeqItem, fix, replaceNode } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import type { Node } from '../../core/yaml';
import type { OffsetRange } from '../../core/types';
import { securityOptionList, securityOptions } from '../../model/compose';
import { runningContainers } from '../../model/kubernetes';
import { effectiveSetting } from '../../model/podSecurity';
import { describeContainers } from '../shared/profiles';

/** SELinux types that lift confinement: the super-privileged container type and the unconfined domain. */
const UNCONFINED_TYPES = new Set(['spc_t', 'unconfined_t']);

export const selinuxUnconfined = defineRule({
  id: 'ZT011',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'SELinux confinement switched off',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['Trivy KSV025', 'Kubernetes Pod Security Standards baseline (seLinuxOptions.type)'],
  guidance: {
    why: 'On SELinux hosts every container runs in the `container_t` domain with its own MCS label: even a process that escapes its namespaces cannot read other containers\' files or the host\'s. `label=disable` (compose) or the `spc_t` / `unconfined_t` type (Kubernetes `seLinuxOptions`) lifts that wall, the same way `apparmor:unconfined` and `seccomp:unconfined` lift theirs (ZT006, ZT005).',
    fix: 'Remove `label=disable` (or `label:disable`, `label=type:spc_t`) from `security_opt`; relabel bind mounts with `:z` / `:Z` instead. In Kubernetes drop `seLinuxOptions.type: spc_t` (the runtime assigns `container_t`).',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    security_opt:\n      - label=disable',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    volumes:\n      - ./data:/data:Z',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      for (const option of securityOptions(tree, service)) {
        const value = option.value?.trim().toLowerCase();
        if (option.name !== 'label' || (value !== 'disable' && !UNCONFINED_TYPES.has(value?.replace(/^type:/, '') ?? ''))) continue;
        context.report({
          range: option.range,
          message: `Service "${service.name}" runs with SELinux confinement off (${option.node.value}): a process that escapes its namespaces is no longer kept from other containers' and the host's files.`,
          fixes: fix(`Remove ${option.node.value} (keep the container_t label)`, [deleteSeqItem(tree, securityOptionList(tree, service)!, option.node)], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    // A pod-level setting is one fact, however many containers inherit it.
    const byNode = new Map<Node, { range: OffsetRange; level: string; type: string; containers: string[] }>();
    for (const container of runningContainers(object)) {
      const options = effectiveSetting(object, container, 'seLinuxOptions');
      const typeNode = options ? tree.get(options.value, 'type') : undefined;
      const type = scalarText(typeNode)?.trim();
      if (!options || !typeNode || type === undefined || !UNCONFINED_TYPES.has(type)) continue;
      const entry = byNode.get(typeNode) ?? { range: valueTextRange(tree.text, typeNode)!, level: options.level, type, containers: [] };
      entry.containers.push(container.name ?? '?');
      byNode.set(typeNode, entry);
    }
    for (const [node, entry] of byNode) {
      context.report({
        range: entry.range,
        message: `${object.kind} "${object.name ?? '?'}" runs ${describeContainers(entry.containers)} with SELinux type ${entry.type} (${entry.level}-level seLinuxOptions): confinement is off, so a process that escapes its namespaces reaches other containers' and the node's files.`,
        fixes: fix('Use container_t', [replaceNode(node, 'container_t')], false),
      });
    }
  },
});
