import { defineRule } from '../rule';
import { isMap } from '../../core/yaml';
import { scalarText, valueTextRange } from '../../core/tree';
import { isRoleBinding } from '../../model/rbac';

/** Built-in ClusterRoles that hand over (nearly) everything in their scope. */
const ADMIN_ROLES: ReadonlyMap<string, string> = new Map([
  ['cluster-admin', 'full control of the whole cluster'],
  ['admin', 'full control of every namespace it is bound in, including RoleBindings'],
  ['edit', 'write access to nearly everything, including Secrets and pod exec'],
]);

export const clusterAdminBinding = defineRule({
  id: 'ZT008',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'error',
  title: 'Binding to a built-in admin role',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter cluster-admin-role-binding', 'KICS Cluster Admin Rolebinding With Superuser Permissions', 'Checkov CKV2_K8S_3', 'Trivy KSV111', 'Polaris clusterrolebindingClusterAdmin'],
  guidance: {
    why: '`cluster-admin` (and `admin` or `edit` bound cluster-wide) gives a subject power over every workload and Secret: one stolen token becomes the whole cluster, and the trusted base is everyone who can reach that token. A namespaced RoleBinding to `admin`/`edit` is the intended way to delegate one namespace and is not reported; cluster-admin always is.',
    fix: 'Write a Role (or ClusterRole) with the verbs and resources the subject uses, and bind that; keep cluster-admin for break-glass humans outside manifests.',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: ci\n    namespace: build',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ci\n  namespace: apps\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: deployer\nsubjects:\n  - kind: ServiceAccount\n    name: ci\n    namespace: build',
  },
  checkKubernetes(object, context) {
    if (!isRoleBinding(object)) return;
    const tree = object.tree;
    const roleRef = tree.map(object.root, 'roleRef');
    if (!roleRef || tree.string(roleRef, 'kind') !== 'ClusterRole') return;
    const nameNode = tree.get(roleRef, 'name');
    const role = scalarText(nameNode);
    const power = role !== undefined ? ADMIN_ROLES.get(role) : undefined;
    if (!power || role === undefined) return;
    const clusterWide = object.kind === 'ClusterRoleBinding';
    if (role !== 'cluster-admin' && !clusterWide) return;
    const subjects = tree.items(tree.get(object.root, 'subjects')).flatMap((subject) => {
      if (!isMap(subject)) return [];
      const name = tree.string(subject, 'name');
      return name === undefined ? [] : [`${tree.string(subject, 'kind') ?? 'subject'} "${name}"`];
    });
    // Kubernetes' own bootstrap binding for the system:masters group.
    if (subjects.length === 1 && subjects[0] === 'Group "system:masters"') return;
    context.report({
      range: valueTextRange(tree.text, nameNode)!,
      message: `${object.kind} "${object.name ?? '?'}" binds ${subjects.length > 0 ? subjects.join(', ') : 'its subjects'} to ClusterRole "${role}"${clusterWide ? ' cluster-wide' : ''}: that is ${power}, far more than any subject should hold in a manifest.`,
    });
  },
});
