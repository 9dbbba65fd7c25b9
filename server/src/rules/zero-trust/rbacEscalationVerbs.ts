import { defineRule } from '../rule';
import { rbacRules } from '../../model/rbac';

const ESCALATION_VERBS: ReadonlyMap<string, string> = new Map([
  ['bind', 'bind any role, including ones with more rights than it holds'],
  ['escalate', 'grant itself rights it does not hold'],
  ['impersonate', 'act as any user, group or service account'],
]);

export const rbacEscalationVerbs = defineRule({
  id: 'ZT010',
  pattern: 'ZT',
  severity: 'warning',
  title: 'RBAC role can escalate its own privilege',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['Trivy KSV043, KSV056', 'Checkov CKV_K8S_157, CKV_K8S_158', 'Polaris clusterrolePodExecAttach'],
  guidance: {
    why: '`bind`, `escalate` and `impersonate` bypass RBAC\'s own guard rails: a subject holding them can give itself, or become, anything in scope. Least privilege is meaningless for a role that can rewrite its privileges.',
    fix: 'Remove the verb; if a controller must create bindings, restrict `bind` with `resourceNames` to the exact roles it may hand out.',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: helper\nrules:\n  - apiGroups: [""]\n    resources: ["users", "serviceaccounts"]\n    verbs: ["impersonate"]',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: helper\nrules:\n  - apiGroups: [""]\n    resources: ["serviceaccounts"]\n    verbs: ["get"]',
  },
  checkKubernetes(object, context) {
    for (const rule of rbacRules(object)) {
      // `bind` limited to named roles is the documented least-privilege form.
      const limited = rule.resourceNames.length > 0;
      for (const verb of rule.verbs) {
        const power = ESCALATION_VERBS.get(verb.value);
        if (!power || (limited && verb.value === 'bind')) continue;
        context.report({
          range: verb.range,
          message: `${object.kind} "${object.name ?? '?'}" has the "${verb.value}" verb: its subjects can ${power}.`,
        });
      }
    }
  },
});
