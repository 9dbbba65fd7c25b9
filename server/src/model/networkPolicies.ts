import { isMap, type YAMLMap } from '../core/yaml';
import type { KubernetesObject } from './kubernetes';
import { readSelector, type LabelSelector } from './labels';
import { perObject } from './perObject';

/** One `from` entry of an ingress rule: pods and/or namespaces it admits (an `ipBlock` peer has neither). */
export interface NetworkPolicyPeer {
  readonly node: YAMLMap;
  readonly pods?: LabelSelector;
  readonly namespaces?: LabelSelector;
}

/** What a `networking.k8s.io` NetworkPolicy says about who may connect to whom. */
export interface NetworkPolicyFacts {
  /** The pods it governs; undefined (no or an empty `podSelector`) selects every pod of its namespace. */
  readonly podSelector?: LabelSelector;
  readonly ingress: ReadonlyArray<{ readonly node: YAMLMap; readonly from: readonly NetworkPolicyPeer[] }>;
}

/** A Kubernetes NetworkPolicy (not a CNI plugin's own policy kind of the same name). */
export function isNetworkPolicy(object: KubernetesObject): boolean {
  return object.kind === 'NetworkPolicy' && object.apiVersion.startsWith('networking.k8s.io/');
}

/** The policy's selectors, read once per object; undefined for anything but a NetworkPolicy. */
export const networkPolicy: (object: KubernetesObject) => NetworkPolicyFacts | undefined = perObject(readNetworkPolicy);

function readNetworkPolicy(object: KubernetesObject): NetworkPolicyFacts | undefined {
  if (!isNetworkPolicy(object)) return undefined;
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  const ingress = tree.items(spec ? tree.get(spec, 'ingress') : undefined).flatMap((rule) => {
    if (!isMap(rule)) return [];
    const from = tree.items(tree.get(rule, 'from')).flatMap((peer) => (isMap(peer) ? [{ node: peer, pods: readSelector(tree, tree.get(peer, 'podSelector')), namespaces: readSelector(tree, tree.get(peer, 'namespaceSelector')) }] : []));
    return [{ node: rule, from }];
  });
  return { podSelector: readSelector(tree, spec ? tree.get(spec, 'podSelector') : undefined), ingress };
}
