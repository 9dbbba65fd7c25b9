import { defineRule } from '../rule';
import { coversCoreGroup, rbacRules } from '../../model/rbac';

const READ_VERBS = new Set(['get', 'list', 'watch', '*']);

export const rbacSecretAccess = defineRule({
  id: 'ZT009',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'RBAC role reads Secrets',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter access-to-secrets', 'KICS RBAC Roles with Read Secrets Permissions', 'Checkov CKV_K8S_157', 'Trivy KSV041'],
  guidance: {
    why: 'A role that can get, list or watch Secrets puts every credential of its scope into the hands of each subject bound to it: they all join the trusted computing base. `list` and `watch` return the secret values, not just names.',
    fix: 'Mount the one Secret the workload needs instead of reading it through the API; if it must use the API, restrict the rule with `resourceNames` and the `get` verb only.',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ["get", "list"]',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n  - apiGroups: [""]\n    resources: ["secrets"]\n    resourceNames: ["reader-tls"]\n    verbs: ["get"]',
  },
  checkKubernetes(object, context) {
    for (const rule of rbacRules(object)) {
      if (!coversCoreGroup(rule)) continue;
      const secrets = rule.resources.find((resource) => resource.value === 'secrets');
      const verbs = rule.verbs.filter((verb) => READ_VERBS.has(verb.value)).map((verb) => verb.value);
      if (!secrets || verbs.length === 0) continue;
      const onlyNamed = rule.resourceNames.length > 0 && verbs.every((verb) => verb === 'get');
      if (onlyNamed) continue;
      const scope = object.kind === 'ClusterRole' ? 'in every namespace it is bound for' : object.namespace ? `in namespace "${object.namespace}"` : 'in its namespace';
      context.report({
        range: secrets.range,
        message: `${object.kind} "${object.name ?? '?'}" can ${verbs.join('/')} Secrets ${scope}: every subject bound to it holds every credential there.`,
      });
    }
  },
});
