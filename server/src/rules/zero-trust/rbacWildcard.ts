import { defineRule } from '../rule';
import { rbacRules } from '../../model/rbac';

export const rbacWildcard = defineRule({
  id: 'ZT007',
  pattern: 'ZT',
  severity: 'warning',
  title: 'RBAC rule grants a wildcard',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter wildcard-in-rules', 'KICS RBAC Wildcard In Rule', 'Checkov CKV_K8S_49', 'Trivy KSV044, KSV045, KSV046'],
  guidance: {
    why: '`*` in verbs, resources or apiGroups grants everything that exists today and everything a future CRD or API version adds: nobody can say what the role may do, and least privilege becomes unreviewable.',
    fix: 'List the exact apiGroups, resources and verbs the workload uses (`kubectl auth can-i --list` or the audit log tells you which).',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\nrules:\n  - apiGroups: ["apps"]\n    resources: ["deployments"]\n    verbs: ["*"]',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\nrules:\n  - apiGroups: ["apps"]\n    resources: ["deployments"]\n    verbs: ["get", "list", "patch"]',
  },
  checkKubernetes(object, context) {
    for (const rule of rbacRules(object)) {
      const wildcards = [
        ...rule.verbs.filter((item) => item.value === '*').map((item) => ({ field: 'verbs', item })),
        ...rule.resources.filter((item) => item.value === '*' || item.value === '*/*').map((item) => ({ field: 'resources', item })),
        ...rule.apiGroups.filter((item) => item.value === '*').map((item) => ({ field: 'apiGroups', item })),
      ];
      if (wildcards.length === 0) continue;
      const [first, ...others] = wildcards;
      context.report({
        range: first.item.range,
        message: `${object.kind} "${object.name ?? '?'}" grants ${wildcards.map((w) => `${w.field}: *`).join(', ')}: the role allows whatever the API offers now or later, so its privilege cannot be reviewed.`,
        related: others.map((other) => ({ message: `also ${other.field}: *`, range: other.item.range })),
      });
    }
  },
});
