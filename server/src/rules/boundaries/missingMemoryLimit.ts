import { defineRule } from '../rule';
import { fix, setNestedValueAtEnd } from '../../core/edits';
import { scalarText } from '../../core/tree';
import { runningContainers } from '../../model/kubernetes';
import { extendsAnotherService } from '../../model/compose';

const COMPOSE_MEMORY = '512M';
const KUBERNETES_MEMORY = '512Mi';

export const missingMemoryLimit = defineRule({
  id: 'BND008',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'info',
  title: 'No memory limit',
  kinds: ['compose', 'kubernetes'],
  hasFix: true,
  peers: ['KICS bb9ac4f7 Memory Not Limited', 'kube-linter unset-memory-requirements', 'Checkov CKV_K8S_13', 'Trivy KSV018', 'Polaris memoryLimitsMissing'],
  guidance: {
    why: 'Assume breach: a compromised or runaway container without a memory limit can take the whole host\'s memory and starve every neighbour, so one failure crosses into every other zone on that machine. A limit keeps the damage inside the container. Memory is the resource that matters here (CPU is throttled, memory is not), so a CPU limit alone does not count.',
    fix: 'Set a memory limit sized from observed use: compose `deploy.resources.limits.memory` (or `mem_limit`), Kubernetes `resources.limits.memory`. The quick fix inserts 512M as a starting point; review it.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    deploy:\n      resources:\n        limits:\n          memory: 512M',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      const node = service.node;
      if (!node || extendsAnotherService(tree, service)) continue;
      const limits = tree.map(tree.map(tree.map(node, 'deploy'), 'resources'), 'limits');
      if (scalarText(tree.get(node, 'mem_limit')) !== undefined || scalarText(tree.get(limits, 'memory')) !== undefined) continue;
      context.report({
        range: service.keyRange,
        message: `Service "${service.name}" has no memory limit: if it is compromised or leaks, it can exhaust the host's memory and take every other service down with it.`,
        fixes: fix(`Limit memory to ${COMPOSE_MEMORY} (review the size)`, [setNestedValueAtEnd(tree, node, ['deploy', 'resources', 'limits', 'memory'], COMPOSE_MEMORY)], false),
      });
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    for (const container of runningContainers(object)) {
      const limits = tree.map(tree.map(container.node, 'resources'), 'limits');
      if (scalarText(tree.get(limits, 'memory')) !== undefined) continue;
      context.report({
        range: container.subjectRange,
        message: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}" has no memory limit: if it is compromised or leaks, it can exhaust the node's memory and evict its neighbours.`,
        fixes: fix(`Limit memory to ${KUBERNETES_MEMORY} (review the size)`, [setNestedValueAtEnd(tree, container.node, ['resources', 'limits', 'memory'], KUBERNETES_MEMORY)], false),
      });
    }
  },
});
