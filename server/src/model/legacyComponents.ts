import { scalarText, valueTextRange } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { imageProduct } from './images';
import { runningContainers, type KubernetesContainer, type KubernetesObject } from './kubernetes';

/**
 * Legacy cluster components that still turn up in manifests people edit: Helm 2's Tiller
 * (end of life since November 2020) and the Kubernetes Dashboard.
 */
export type LegacyComponent = 'tiller' | 'dashboard';

const PRODUCTS: ReadonlyArray<[LegacyComponent, RegExp]> = [
  ['tiller', /(^|\/)tiller$/],
  ['dashboard', /(^|\/)(kubernetes-dashboard(-amd64|-arm64|-arm)?|dashboard|dashboard-api|dashboard-web|dashboard-auth)$/],
];

export interface LegacyContainer {
  readonly component: LegacyComponent;
  readonly container: KubernetesContainer;
  /** Command and args items as written, each with its range. */
  readonly arguments: ReadonlyArray<{ readonly text: string; readonly range: OffsetRange }>;
}

/** The legacy components a workload's containers run, by image (`ghcr.io/helm/tiller`, `kubernetesui/dashboard`). */
export function legacyContainers(object: KubernetesObject): LegacyContainer[] {
  const found: LegacyContainer[] = [];
  const tree = object.tree;
  for (const container of runningContainers(object)) {
    const product = imageProduct(container.image?.value);
    if (!product) continue;
    const match = PRODUCTS.find(([component, pattern]) => pattern.test(product) && (component !== 'dashboard' || /kubernetesui|kubernetes-dashboard|google_containers|k8s\.gcr\.io|registry\.k8s\.io/.test(container.image!.value)));
    if (!match) continue;
    const items = [...tree.items(tree.get(container.node, 'command')), ...tree.items(tree.get(container.node, 'args'))];
    const args = items.flatMap((item) => {
      const text = scalarText(item);
      const range = valueTextRange(tree.text, item);
      return text !== undefined && range ? [{ text: text.trim(), range }] : [];
    });
    found.push({ component: match[0], container, arguments: args });
  }
  return found;
}

/** A flag among a container's arguments (`--enable-skip-login`, `--enable-skip-login=true`); its value, `true` when bare. */
export function legacyFlag(container: LegacyContainer, name: string): { readonly value: string; readonly range: OffsetRange } | undefined {
  let found: { value: string; range: OffsetRange } | undefined;
  for (const argument of container.arguments) {
    const match = new RegExp(`^--?${name}(?:=(.*))?$`).exec(argument.text);
    if (match) found = { value: (match[1] ?? 'true').trim(), range: argument.range };
  }
  return found;
}
