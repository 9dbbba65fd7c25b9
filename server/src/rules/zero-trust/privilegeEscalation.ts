import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import { runningContainers } from '../../model/kubernetes';
import { stringItems } from '../../model/common';
import { securityOptions } from '../../model/compose';

const NO_NEW_PRIVILEGES = 'no-new-privileges:true';

export const privilegeEscalation = defineRule({
  id: 'ZT002',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Privilege escalation allowed',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS 27fcc7d6 No New Privileges Not Set', 'kube-linter privilege-escalation-container', 'Checkov CKV_K8S_20', 'Trivy KSV001', 'Polaris privilegeEscalationAllowed'],
  guidance: {
    why: 'Without no_new_privs, a setuid binary (or a file capability) in the image lets a compromised process gain more privilege than it started with. Least privilege means the privilege a process starts with is the most it can ever have. Reported where the file allows it explicitly: `allowPrivilegeEscalation: true` or `no-new-privileges:false`. A missing setting is one item of the hardening baseline (TCB011); privileged containers are left to TCB001, where escalation cannot be switched off.',
    fix: 'Compose: add `no-new-privileges:true` to `security_opt`. Kubernetes: set `allowPrivilegeEscalation: false` in every container\'s `securityContext`.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    security_opt:\n      - no-new-privileges:false',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    security_opt:\n      - no-new-privileges:true',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node || tree.boolean(service.node, 'privileged') === true) continue;
      const option = securityOptions(tree, service).find((candidate) => candidate.name === 'no-new-privileges');
      if (!option || option.value === undefined || option.value.toLowerCase() === 'true') continue;
      context.report({
        range: option.range,
        message: `Service "${service.name}" sets ${option.node.value}: setuid binaries in the image can raise a compromised process to root.`,
        fixes: fix(`Set ${NO_NEW_PRIVILEGES}`, [{ ...option.range, newText: NO_NEW_PRIVILEGES }], false),
      });
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    for (const container of runningContainers(object)) {
      const securityContext = container.securityContext;
      if (securityContext && tree.boolean(securityContext, 'privileged') === true) continue;
      // The API rejects allowPrivilegeEscalation: false next to CAP_SYS_ADMIN; TCB rules own that case.
      const added = stringItems(object.tree, tree.map(securityContext, 'capabilities'), 'add').map((item) => item.value.toUpperCase().replace(/^CAP_/, ''));
      if (added.includes('SYS_ADMIN')) continue;
      const value = securityContext ? tree.get(securityContext, 'allowPrivilegeEscalation') : undefined;
      const allowed = tree.boolean(securityContext, 'allowPrivilegeEscalation');
      if (allowed !== true || scalarText(value)?.includes('{{')) continue;
      const where = `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}"`;
      context.report({
        range: valueTextRange(tree.text, value)!,
        message: `${where} sets allowPrivilegeEscalation: true: setuid binaries can raise a compromised process above the privileges it started with.`,
        fixes: fix('Set allowPrivilegeEscalation: false', [replaceNode(value, 'false')], false),
      });
    }
  },
});
