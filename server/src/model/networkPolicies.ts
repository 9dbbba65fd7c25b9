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
  /**
   * Whether it governs connections into the selected pods: `policyTypes` lists Ingress, or is
   * absent (then Ingress is implied, with Egress only when `egress` rules are written). An
   * Egress-only policy leaves ingress open.
   */
  readonly governsIngress: boolean;
  /** The `policyTypes` list, where findings about what it leaves out point. */
  readonly policyTypesNode?: unknown;
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
  const policyTypesNode = spec ? tree.get(spec, 'policyTypes') : undefined;
  const types = tree.items(policyTypesNode).map((item) => String((item as { value?: unknown }).value ?? ''));
  const governsIngress = policyTypesNode === undefined || types.includes('Ingress') || types.some((type) => type.includes('{{'));
  return { podSelector: readSelector(tree, spec ? tree.get(spec, 'podSelector') : undefined), ingress, governsIngress, policyTypesNode };
}
