import { isScalar, type Node, type Pair, type Scalar, type YAMLMap } from '../core/yaml';
import { scalarText, valueTextRange } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { perObject } from './perObject';
import { podSecurityContext, runningContainers, type KubernetesContainer, type KubernetesObject } from './kubernetes';

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
  for (const container of runningContainers(object).filter((candidate) => candidate.kind === 'container')) {
    const context = container.securityContext;
    if (context && tree.boolean(context, 'privileged') === true) {
      found.push({ reason: `container "${container.name ?? '?'}" is privileged`, range: valueTextRange(tree.text, tree.get(context, 'privileged'))! });
    }
  }
  return found;
}
