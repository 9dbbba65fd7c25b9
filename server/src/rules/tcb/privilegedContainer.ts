import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { keyRange, rangeOf } from '../../core/tree';
import { runningContainers } from '../../model/kubernetes';

export const privilegedContainer = defineRule({
  id: 'TCB001',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'error',
  title: 'Privileged container',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS 2d8a2fbc Privileged Containers Enabled', 'kube-linter privileged-container', 'Checkov CKV_K8S_16', 'Trivy KSV017'],
  guidance: {
    why: 'A privileged container has every capability and all host devices: one compromised process owns the node, and everything on it joins your trusted computing base.',
    fix: 'Remove `privileged: true`; add only the specific capability the workload needs (`cap_add` / `capabilities.add`), and nothing else.',
    bad: 'services:\n  agent:\n    image: example/agent:1.4.2\n    privileged: true',
    good: 'services:\n  agent:\n    image: example/agent:1.4.2\n    privileged: false',
  },
  checkCompose(model, context) {
    for (const service of model.services) {
      if (!service.node) continue;
      const pair = model.tree.pair(service.node, 'privileged');
      if (!pair || model.tree.boolean(service.node, 'privileged') !== true) continue;
      context.report({
        range: rangeOf(pair.value) ?? keyRange(pair)!,
        message: `Service "${service.name}" runs privileged: it gets every capability and the host's devices, so the whole host becomes part of its trusted base.`,
        fixes: fix('Set privileged: false', [setMapValue(model.tree, service.node, 'privileged', 'false')], false),
      });
    }
  },
  checkKubernetes(object, context) {
    for (const container of runningContainers(object)) {
      const securityContext = container.securityContext;
      if (!securityContext || object.tree.boolean(securityContext, 'privileged') !== true) continue;
      const pair = object.tree.pair(securityContext, 'privileged')!;
      context.report({
        range: rangeOf(pair.value) ?? keyRange(pair)!,
        message: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}" runs privileged: it gets every capability and the node's devices.`,
        fixes: fix('Set privileged: false', [setMapValue(object.tree, securityContext, 'privileged', 'false')], false),
      });
    }
  },
});
