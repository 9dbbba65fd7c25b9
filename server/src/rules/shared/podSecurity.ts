import { perObject } from '../../model/perObject';
import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from '../../core/yaml';
import { scalarText } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import { valueTextRange } from '../../model/common';
import { podSecurityContext, type KubernetesContainer, type KubernetesObject } from '../../model/kubernetes';

/** A security setting as the kubelet sees it: the container's value wins over the pod's. */
export interface EffectiveSetting {
  readonly value: Node | undefined;
  readonly pair: Pair<Scalar, unknown>;
  /** The securityContext map holding the setting. */
  readonly holder: YAMLMap;
  readonly level: 'container' | 'pod';
  /** Range of the value text (the key when the value is empty). */
  readonly range: OffsetRange;
}

export function effectiveSetting(object: KubernetesObject, container: KubernetesContainer, key: string): EffectiveSetting | undefined {
  const tree = object.tree;
  const candidates: Array<[YAMLMap | undefined, EffectiveSetting['level']]> = [
    [container.securityContext, 'container'],
    [podSecurityContext(object), 'pod'],
  ];
  for (const [holder, level] of candidates) {
    if (!holder) continue;
    const pair = tree.pair(holder, key);
    if (!pair) continue;
    const value = tree.resolve(pair.value);
    const range = (isScalar(value) && scalarText(value) !== undefined ? valueTextRange(tree.text, value) : undefined) ?? valueTextRange(tree.text, pair.key)!;
    return { value, pair, holder, level, range };
  }
  return undefined;
}

/** Containers the kubelet runs in the pod (ephemeral debug containers are added later by hand). */
export function runningContainers(object: KubernetesObject): readonly KubernetesContainer[] {
  return (object.podSpec?.containers ?? []).filter((container) => container.kind !== 'ephemeralContainer');
}

/** Pod-template labels of a workload (a bare Pod's own labels). */
export const podLabels: (object: KubernetesObject) => Readonly<Record<string, string>> = perObject(readPodLabels);

function readPodLabels(object: KubernetesObject): Record<string, string> {
  const tree = object.tree;
  const metadata = object.podSpec?.metadata ?? (object.kind === 'Pod' ? object.metadata : undefined);
  const labels: Record<string, string> = {};
  for (const [key, value] of tree.entries(metadata ? tree.get(metadata, 'labels') : undefined)) {
    const text = scalarText(value);
    if (text !== undefined) labels[String(key.value)] = text;
  }
  return labels;
}

/** Namespaces compare with an unset namespace meaning `default`, as kubectl applies it. */
export function namespaceOf(object: KubernetesObject): string {
  return object.namespace ?? 'default';
}

/** A scalar item of a list, with the range of its text. */
export interface ListItem {
  readonly value: string;
  readonly node: Scalar;
  readonly range: OffsetRange;
}

export function stringItems(object: { tree: KubernetesObject['tree'] }, map: unknown, key: string): ListItem[] {
  const tree = object.tree;
  const list = tree.get(map, key);
  const items: ListItem[] = [];
  const values = isScalar(list) ? [list] : tree.items(list);
  for (const item of values) {
    const text = scalarText(item);
    const range = valueTextRange(tree.text, item);
    if (isScalar(item) && text !== undefined && range) items.push({ value: text, node: item, range });
  }
  return items;
}

/** Host namespaces and privilege a pod runs with: what makes it part of the node. */
export const hostLevelAccess: (object: KubernetesObject) => ReadonlyArray<{ readonly reason: string; readonly range: OffsetRange }> = perObject(readHostLevelAccess);

function readHostLevelAccess(object: KubernetesObject): Array<{ reason: string; range: OffsetRange }> {
  const tree = object.tree;
  const spec = object.podSpec;
  if (!spec) return [];
  const found: Array<{ reason: string; range: OffsetRange }> = [];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (tree.boolean(spec.node, key) === true) found.push({ reason: `${key}: true`, range: valueTextRange(tree.text, tree.get(spec.node, key))! });
  }
  // Init containers have exited before the pod serves a request; only long-running ones count.
  for (const container of spec.containers.filter((candidate) => candidate.kind === 'container')) {
    const context = container.securityContext;
    if (context && tree.boolean(context, 'privileged') === true) {
      found.push({ reason: `container "${container.name ?? '?'}" is privileged`, range: valueTextRange(tree.text, tree.get(context, 'privileged'))! });
    }
  }
  return found;
}

export function asMapNode(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}
