import { defineRule } from '../rule';
import { appendToMap, fix, replaceNode, setNestedValueAtEnd } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import { containerLabel } from '../shared/workloads';
import { runningContainers } from '../../model/kubernetes';
import { extendsAnotherService } from '../../model/compose';

export const writableRootFilesystem = defineRule({
  id: 'IMM003',
  pattern: 'IMM',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Root filesystem is writable',
  kinds: ['compose', 'kubernetes'],
  hasFix: true,
  peers: ['kube-linter no-read-only-root-fs', 'Checkov CKV_K8S_22', 'Trivy KSV014', 'Polaris notReadOnlyRootFilesystem'],
  guidance: {
    why: 'A writable root filesystem lets the running container drift from its image: an attacker (or an operator with a shell) can drop binaries, edit configuration or patch code in place, and the change survives until the container is replaced. Immutable infrastructure means the image is the only source of the code that runs. An explicit `false` is a warning; the missing setting is info.',
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
      if (readOnly === true || scalarText(value)?.includes('$')) continue;
      if (readOnly === false) {
        context.report({
          range: valueTextRange(tree.text, value)!,
          message: `Service "${service.name}" sets read_only: false: its code and configuration can be changed inside the running container, and the change lives until it is replaced.`,
          fixes: fix('Set read_only: true', [replaceNode(value, 'true')], false),
        });
      } else if (!extendsAnotherService(tree, service)) {
        context.report({
          range: service.keyRange,
          severity: 'info',
          message: `Service "${service.name}" does not set read_only: true, so its root filesystem is writable and the running container can drift from its image.`,
          fixes: fix('Add read_only: true', [appendToMap(tree, service.node, ['read_only: true'])], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    for (const container of runningContainers(object)) {
      const securityContext = container.securityContext;
      const value = securityContext ? tree.get(securityContext, 'readOnlyRootFilesystem') : undefined;
      const readOnly = tree.boolean(securityContext, 'readOnlyRootFilesystem');
      if (readOnly === true || scalarText(value)?.includes('{{')) continue;
      const where = containerLabel(object, container);
      context.report({
        range: readOnly === false ? valueTextRange(tree.text, value)! : container.subjectRange,
        severity: readOnly === false ? undefined : 'info',
        message:
          readOnly === false
            ? `${where} sets readOnlyRootFilesystem: false: its code and configuration can be changed inside the running container.`
            : `${where} does not set readOnlyRootFilesystem: true, so the running container can drift from its image.`,
        fixes: fix('Set readOnlyRootFilesystem: true', [setNestedValueAtEnd(tree, container.node, ['securityContext', 'readOnlyRootFilesystem'], 'true')], false),
      });
    }
  },
});
