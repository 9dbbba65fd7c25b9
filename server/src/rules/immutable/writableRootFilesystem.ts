import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import { containerLabel } from '../shared/workloads';
import { runningContainers } from '../../model/kubernetes';

export const writableRootFilesystem = defineRule({
  id: 'IMM003',
  pattern: 'IMM',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Root filesystem is writable',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['kube-linter no-read-only-root-fs', 'Checkov CKV_K8S_22', 'Trivy KSV014', 'Polaris notReadOnlyRootFilesystem'],
  guidance: {
    why: 'A writable root filesystem lets the running container drift from its image: an attacker (or an operator with a shell) can drop binaries, edit configuration or patch code in place, and the change survives until the container is replaced. Immutable infrastructure means the image is the only source of the code that runs. Reported where the file says so (`read_only: false`, `readOnlyRootFilesystem: false`); a missing setting is one item of the hardening baseline (TCB011).',
    fix: 'Compose: `read_only: true`, with `tmpfs:` for the few paths the process must write (/tmp, /var/run). Kubernetes: `securityContext.readOnlyRootFilesystem: true` on each container, with `emptyDir` volumes for scratch paths.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    read_only: false',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    read_only: true\n    tmpfs:\n      - /tmp',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node) continue;
      const value = tree.get(service.node, 'read_only');
      const readOnly = tree.boolean(service.node, 'read_only');
      if (readOnly !== false) continue;
      context.report({
        range: valueTextRange(tree.text, value)!,
        message: `Service "${service.name}" sets read_only: false: its code and configuration can be changed inside the running container, and the change lives until it is replaced.`,
        fixes: fix('Set read_only: true', [replaceNode(value, 'true')], false),
      });
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    for (const container of runningContainers(object)) {
      const securityContext = container.securityContext;
      const value = securityContext ? tree.get(securityContext, 'readOnlyRootFilesystem') : undefined;
      const readOnly = tree.boolean(securityContext, 'readOnlyRootFilesystem');
      if (readOnly !== false || scalarText(value)?.includes('{{')) continue;
      context.report({
        range: valueTextRange(tree.text, value)!,
        message: `${containerLabel(object, container)} sets readOnlyRootFilesystem: false: its code and configuration can be changed inside the running container.`,
        fixes: fix('Set readOnlyRootFilesystem: true', [replaceNode(value, 'true')], false),
      });
    }
  },
});
