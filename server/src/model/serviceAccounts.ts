import { isMap } from '../core/yaml';
import { scalarText, valueTextRange } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { namespaceOf, type KubernetesObject } from './kubernetes';
import type { AnalyzedDocument } from './documents';
import { isRoleBinding } from './rbac';

/** The ServiceAccount a pod runs as, and where that is written. */
export interface PodIdentity {
  readonly name: string;
  /** The `serviceAccountName` value; undefined when the pod falls back to `default`. */
  readonly range?: OffsetRange;
}

export function podIdentity(object: KubernetesObject): PodIdentity | undefined {
  const spec = object.podSpec?.node;
  if (!spec) return undefined;
  const tree = object.tree;
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    const node = tree.get(spec, key);
    const name = scalarText(node);
    if (name !== undefined && name.trim() !== '') return { name, range: valueTextRange(tree.text, node) };
  }
  return { name: 'default' };
}

/** A RoleBinding or ClusterRoleBinding subject that is a ServiceAccount. */
export interface ServiceAccountSubject {
  readonly binding: KubernetesObject;
  readonly document: AnalyzedDocument;
  readonly namespace: string;
  readonly name: string;
  readonly nameRange: OffsetRange;
}

export function serviceAccountSubjects(binding: KubernetesObject): Array<Omit<ServiceAccountSubject, 'document'>> {
  if (!isRoleBinding(binding)) return [];
  const tree = binding.tree;
  const subjects: Array<Omit<ServiceAccountSubject, 'document'>> = [];
  for (const subject of tree.items(tree.get(binding.root, 'subjects'))) {
    if (!isMap(subject) || tree.string(subject, 'kind') !== 'ServiceAccount') continue;
    const nameNode = tree.get(subject, 'name');
    const name = scalarText(nameNode);
    const nameRange = valueTextRange(tree.text, nameNode);
    if (name === undefined || !nameRange) continue;
    subjects.push({ binding, namespace: tree.string(subject, 'namespace') ?? namespaceOf(binding), name, nameRange });
  }
  return subjects;
}

export function accountKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
