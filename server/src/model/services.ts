import { isMap, type Node, type YAMLMap } from '../core/yaml';
import { scalarText, valueTextRange } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { portNumber } from './common';
import type { KubernetesObject } from './kubernetes';
import { readSelector, type LabelSelector } from './labels';
import { perObject } from './perObject';

/** A port of a Kubernetes Service. */
export interface ServicePort {
  readonly node: YAMLMap;
  readonly port?: number;
  readonly portRange?: OffsetRange;
  readonly targetPort?: string;
  readonly name?: string;
}

export interface KubernetesService {
  readonly object: KubernetesObject;
  readonly spec?: YAMLMap;
  /** `ClusterIP` when not written. */
  readonly type: string;
  readonly typeNode?: Node;
  readonly ports: readonly ServicePort[];
  /** `spec.selector`: a plain map of labels, read as matchLabels. */
  readonly selector?: LabelSelector;
}

/** The Service an object is, or undefined (read once per object). */
export const readService: (object: KubernetesObject) => KubernetesService | undefined = perObject(readServiceOf);

function readServiceOf(object: KubernetesObject): KubernetesService | undefined {
  if (object.kind !== 'Service' || object.apiVersion !== 'v1') return undefined;
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  const typeNode = spec ? tree.get(spec, 'type') : undefined;
  const ports: ServicePort[] = [];
  for (const item of tree.items(spec ? tree.get(spec, 'ports') : undefined)) {
    if (!isMap(item)) continue;
    const portNode = tree.get(item, 'port');
    ports.push({
      node: item,
      port: portNumber(scalarText(portNode)),
      portRange: valueTextRange(tree.text, portNode),
      targetPort: tree.string(item, 'targetPort'),
      name: tree.string(item, 'name'),
    });
  }
  return { object, spec, type: scalarText(typeNode) ?? 'ClusterIP', typeNode, ports, selector: spec ? readSelector(tree, tree.get(spec, 'selector'), true) : undefined };
}

/** LoadBalancer and NodePort Services are reachable from outside the cluster network. */
export function isExternallyReachable(service: KubernetesService): boolean {
  return service.type === 'LoadBalancer' || service.type === 'NodePort';
}

/**
 * Names of the Services an Ingress routes to (networking.k8s.io/v1 `service.name` and the older
 * `serviceName`), each once; read once per Ingress.
 */
export const ingressBackends: (object: KubernetesObject) => readonly string[] = perObject(readIngressBackends);

function readIngressBackends(ingress: KubernetesObject): string[] {
  if (ingress.kind !== 'Ingress') return [];
  const tree = ingress.tree;
  const names: string[] = [];
  const add = (backend: unknown) => {
    if (!isMap(backend)) return;
    const name = scalarText(tree.get(tree.get(backend, 'service'), 'name')) ?? tree.string(backend, 'serviceName');
    if (name !== undefined && !names.includes(name)) names.push(name);
  };
  const spec = tree.map(ingress.root, 'spec');
  add(tree.get(spec, 'defaultBackend'));
  add(tree.get(spec, 'backend'));
  for (const rule of tree.items(tree.get(spec, 'rules'))) {
    for (const path of tree.items(tree.get(tree.get(rule, 'http'), 'paths'))) add(tree.get(path, 'backend'));
  }
  return names;
}
