import { defineRule } from '../rule';
import { isMap } from '../../core/yaml';
import { valueTextRange } from '../../core/tree';
import { isRoleBinding } from '../../model/rbac';

/** Subjects that are everyone who can reach the API server (kubernetes.io "Using RBAC Authorization"). */
const ANONYMOUS: ReadonlyMap<string, string> = new Map([
  ['User:system:anonymous', 'the anonymous user'],
  ['Group:system:unauthenticated', 'every unauthenticated request'],
]);

export const rbacUnauthenticatedSubject = defineRule({
  id: 'ZT013',
  pattern: 'ZT',
  alsoPattern: 'BND',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'RBAC binding grants a role to anonymous requests or to the default service account',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kubesec BindingsToSystemAnonymous', 'KICS Role Binding To Default Service Account', 'Trivy KSV122', 'Checkov CKV_K8S_38'],
  guidance: {
    why: 'A binding to `system:anonymous` or `system:unauthenticated` gives the role to anyone who can reach the API server, with no identity at all: the opposite of "verify explicitly". A binding to a namespace\'s `default` service account gives it to every pod of that namespace that does not name its own service account, present and future: the rights follow location, not identity.',
    fix: 'Bind roles to named users, groups or service accounts. Create a service account per workload and bind to it; leave `default` without bindings.',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: open\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: Group\n    apiGroup: rbac.authorization.k8s.io\n    name: system:unauthenticated',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: viewers\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: Group\n    apiGroup: rbac.authorization.k8s.io\n    name: team-observability',
  },
  checkKubernetes(object, context) {
    if (!isRoleBinding(object)) return;
    const tree = object.tree;
    const role = tree.string(tree.get(object.root, 'roleRef'), 'name') ?? '?';
    for (const subject of tree.items(tree.get(object.root, 'subjects'))) {
      if (!isMap(subject)) continue;
      const kind = tree.string(subject, 'kind');
      const name = tree.string(subject, 'name');
      const nameNode = tree.get(subject, 'name');
      const range = valueTextRange(tree.text, nameNode);
      if (!kind || !name || !range) continue;
      const everyone = ANONYMOUS.get(`${kind}:${name}`);
      if (everyone) {
        context.report({ range, message: `${object.kind} "${object.name ?? '?'}" grants role "${role}" to ${everyone} (${kind} ${name}): anyone who reaches the API server holds it without authenticating.` });
      } else if (kind === 'ServiceAccount' && name === 'default') {
        const namespace = tree.string(subject, 'namespace') ?? object.namespace;
        context.report({
          range,
          severity: 'warning',
          message: `${object.kind} "${object.name ?? '?'}" grants role "${role}" to the default service account${namespace ? ` of namespace "${namespace}"` : ''}: every pod there that names no service account of its own holds it.`,
        });
      }
    }
  },
});
