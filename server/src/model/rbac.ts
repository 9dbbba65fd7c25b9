import { isMap, type YAMLMap } from '../core/yaml';
import type { KubernetesObject } from './kubernetes';
import { stringItems, type ListItem } from './common';

/** One entry of a Role's or ClusterRole's `rules:`. */
export interface RbacRule {
  readonly node: YAMLMap;
  readonly apiGroups: readonly ListItem[];
  readonly resources: readonly ListItem[];
  readonly verbs: readonly ListItem[];
  readonly resourceNames: readonly ListItem[];
}

const RBAC_API = /^rbac\.authorization\.k8s\.io\//;

export function isRole(object: KubernetesObject): boolean {
  return RBAC_API.test(object.apiVersion) && (object.kind === 'Role' || object.kind === 'ClusterRole');
}

export function isRoleBinding(object: KubernetesObject): boolean {
  return RBAC_API.test(object.apiVersion) && (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding');
}

export function rbacRules(object: KubernetesObject): RbacRule[] {
  if (!isRole(object)) return [];
  const tree = object.tree;
  return tree.items(tree.get(object.root, 'rules')).flatMap((node) =>
    isMap(node)
      ? [
          {
            node,
            apiGroups: stringItems(tree, node, 'apiGroups'),
            resources: stringItems(tree, node, 'resources'),
            verbs: stringItems(tree, node, 'verbs'),
            resourceNames: stringItems(tree, node, 'resourceNames'),
          },
        ]
      : [],
  );
}

/** Whether the rule's apiGroups include the core group (where Secrets live). */
export function coversCoreGroup(rule: RbacRule): boolean {
  return rule.apiGroups.some((group) => group.value === '' || group.value === '*');
}
