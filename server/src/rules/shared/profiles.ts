import { isMap, type Node } from '../../core/yaml';
import { scalarText, valueTextRange } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import { runningContainers, type KubernetesObject } from '../../model/kubernetes';
import { effectiveSetting } from '../../model/podSecurity';

/** A place where a pod or container switches a kernel confinement profile off. */
export interface UnconfinedProfile {
  readonly node: Node;
  readonly range: OffsetRange;
  /** What is written there, e.g. `seccompProfile.type: Unconfined`. */
  readonly setting: string;
  /** Containers that run with it. */
  readonly containers: readonly string[];
  /** Replacement text that restores the runtime's default profile. */
  readonly confinedValue: string;
}

/**
 * Finds unconfined `seccompProfile` / `appArmorProfile` settings (a container's own setting
 * overrides the pod's, so a pod-level Unconfined matters only to containers that inherit it) and
 * the older per-pod / per-container annotations.
 */
export function unconfinedProfiles(object: KubernetesObject, field: 'seccompProfile' | 'appArmorProfile', annotations: { pod?: string; containerPrefix: string; defaultValue: string }): UnconfinedProfile[] {
  const tree = object.tree;
  const byNode = new Map<Node, { range: OffsetRange; setting: string; containers: string[]; confinedValue: string }>();
  for (const container of runningContainers(object)) {
    const profile = effectiveSetting(object, container, field);
    if (!profile || !isMap(profile.value)) continue;
    const typeNode = tree.get(profile.value, 'type');
    if (scalarText(typeNode)?.toLowerCase() !== 'unconfined' || !typeNode) continue;
    const entry = byNode.get(typeNode) ?? { range: valueTextRange(tree.text, typeNode)!, setting: `${profile.level}-level ${field}.type: Unconfined`, containers: [], confinedValue: 'RuntimeDefault' };
    entry.containers.push(container.name ?? '?');
    byNode.set(typeNode, entry);
  }
  const metadata = object.podSpec?.metadata ?? (object.kind === 'Pod' ? object.metadata : undefined);
  for (const [key, value] of tree.entries(metadata ? tree.get(metadata, 'annotations') : undefined)) {
    const name = String(key.value);
    if (scalarText(value)?.trim().toLowerCase() !== 'unconfined' || !value) continue;
    const containerName = name.startsWith(annotations.containerPrefix) ? name.slice(annotations.containerPrefix.length) : undefined;
    if (name !== annotations.pod && containerName === undefined) continue;
    const containers = containerName !== undefined ? [containerName] : runningContainers(object).map((container) => container.name ?? '?');
    byNode.set(value, { range: valueTextRange(tree.text, value)!, setting: `annotation ${name}: unconfined`, containers, confinedValue: annotations.defaultValue });
  }
  return [...byNode.entries()].map(([node, entry]) => ({ node, ...entry }));
}

export function describeContainers(names: readonly string[]): string {
  return names.length === 1 ? `container "${names[0]}"` : `containers ${names.map((name) => `"${name}"`).join(', ')}`;
}
