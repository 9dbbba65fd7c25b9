import { isMap, isScalar, type Node, type Scalar, type YAMLMap } from '../core/yaml';
import { rangeOf, scalarText, valueTextRange, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { EnvVar } from './common';
import { imageRepository } from './images';

export interface KubernetesContainer {
  readonly name?: string;
  /** The container's `name` value, or the start of its item: where "missing" findings point. */
  readonly subjectRange: OffsetRange;
  readonly node: YAMLMap;
  readonly kind: 'container' | 'initContainer' | 'ephemeralContainer';
  readonly image?: { readonly value: string; readonly node: Scalar; readonly range: OffsetRange };
  readonly securityContext?: YAMLMap;
  readonly env: readonly EnvVar[];
}

export interface KubernetesPodSpec {
  readonly node: YAMLMap;
  /** The `spec` key holding this pod spec. */
  readonly specKey: Scalar;
  /** Metadata of the pod template (labels, annotations) when there is one. */
  readonly metadata?: YAMLMap;
  readonly containers: readonly KubernetesContainer[];
}

export interface KubernetesObject {
  readonly tree: YamlTree;
  readonly root: YAMLMap;
  readonly apiVersion: string;
  /** The object's `kind` as written: Deployment, Service, NetworkPolicy, a CRD's kind. */
  readonly kind: string;
  readonly kindRange: OffsetRange;
  readonly name?: string;
  /** `metadata.name` value, else the `kind` value: where object-level findings point. */
  readonly subjectRange: OffsetRange;
  readonly namespace?: string;
  readonly metadata?: YAMLMap;
  readonly podSpec?: KubernetesPodSpec;
}

/** Kinds whose pod template sits at spec.template.spec (CRDs like Argo Rollouts included by shape). */
const CRONJOB = 'CronJob';

export function buildKubernetesObjects(tree: YamlTree): KubernetesObject[] {
  const root = tree.root;
  if (!isMap(root)) return [];
  const kind = tree.string(root, 'kind');
  if (kind === 'List' || (kind?.endsWith('List') && tree.seq(root, 'items'))) {
    return tree.items(tree.get(root, 'items')).flatMap((item) => (isMap(item) ? objectFrom(tree, item) : []));
  }
  return objectFrom(tree, root);
}

function objectFrom(tree: YamlTree, root: YAMLMap): KubernetesObject[] {
  const apiVersion = tree.string(root, 'apiVersion');
  const kindNode = tree.scalar(root, 'kind');
  const kind = scalarText(kindNode);
  if (apiVersion === undefined || kind === undefined) return [];
  const metadata = tree.map(root, 'metadata');
  const nameNode = metadata ? tree.scalar(metadata, 'name') : undefined;
  const kindRange = rangeOf(kindNode) ?? { start: 0, end: 0 };
  return [
    {
      tree,
      root,
      apiVersion,
      kind,
      kindRange,
      name: scalarText(nameNode),
      subjectRange: (nameNode && scalarText(nameNode) !== undefined ? valueTextRange(tree.text, nameNode) : undefined) ?? kindRange,
      namespace: metadata ? tree.string(metadata, 'namespace') : undefined,
      metadata,
      podSpec: findPodSpec(tree, root, kind),
    },
  ];
}

function findPodSpec(tree: YamlTree, root: YAMLMap, kind: string): KubernetesPodSpec | undefined {
  if (kind === 'Pod') return podSpecAt(tree, root, undefined);
  const spec = tree.map(root, 'spec');
  if (!spec) return undefined;
  if (kind === CRONJOB) {
    const jobTemplate = tree.map(spec, 'jobTemplate');
    const jobSpec = jobTemplate ? tree.map(jobTemplate, 'spec') : undefined;
    const template = jobSpec ? tree.map(jobSpec, 'template') : undefined;
    return template ? podSpecAt(tree, template, tree.map(template, 'metadata')) : undefined;
  }
  const template = tree.map(spec, 'template');
  return template ? podSpecAt(tree, template, tree.map(template, 'metadata')) : undefined;
}

function podSpecAt(tree: YamlTree, holder: YAMLMap, metadata: YAMLMap | undefined): KubernetesPodSpec | undefined {
  const pair = tree.pair(holder, 'spec');
  const node = pair ? tree.resolve(pair.value) : undefined;
  if (!pair || !isMap(node) || !isScalar(pair.key)) return undefined;
  // A pod spec has containers; a CRD's unrelated `spec.template.spec` does not.
  if (!tree.pair(node, 'containers') && !tree.pair(node, 'initContainers')) return undefined;
  const containers: KubernetesContainer[] = [
    ...readContainers(tree, tree.get(node, 'containers'), 'container'),
    ...readContainers(tree, tree.get(node, 'initContainers'), 'initContainer'),
    ...readContainers(tree, tree.get(node, 'ephemeralContainers'), 'ephemeralContainer'),
  ];
  return { node, specKey: pair.key, metadata, containers };
}

function readContainers(tree: YamlTree, list: Node | undefined, kind: KubernetesContainer['kind']): KubernetesContainer[] {
  const containers: KubernetesContainer[] = [];
  for (const item of tree.items(list)) {
    if (!isMap(item)) continue;
    const nameNode = tree.scalar(item, 'name');
    const imageNode = tree.scalar(item, 'image');
    const imageText = scalarText(imageNode);
    const itemRange = rangeOf(item) ?? { start: 0, end: 0 };
    containers.push({
      name: scalarText(nameNode),
      subjectRange: (nameNode && scalarText(nameNode) !== undefined ? valueTextRange(tree.text, nameNode) : undefined) ?? { start: itemRange.start, end: itemRange.start },
      node: item,
      kind,
      image: imageNode && imageText !== undefined ? { value: imageText, node: imageNode, range: valueTextRange(tree.text, imageNode) ?? itemRange } : undefined,
      securityContext: tree.map(item, 'securityContext'),
      env: readKubernetesEnv(tree, tree.get(item, 'env')),
    });
  }
  return containers;
}

function readKubernetesEnv(tree: YamlTree, list: Node | undefined): EnvVar[] {
  const vars: EnvVar[] = [];
  for (const item of tree.items(list)) {
    if (!isMap(item)) continue;
    const nameNode = tree.scalar(item, 'name');
    const name = scalarText(nameNode);
    const nameRange = valueTextRange(tree.text, nameNode);
    if (name === undefined || !nameRange) continue;
    const valueNode = tree.get(item, 'value');
    vars.push({
      name,
      value: scalarText(valueNode),
      nameRange,
      valueRange: valueNode ? valueTextRange(tree.text, valueNode) : undefined,
      node: (valueNode ?? item) as Node,
      form: 'kubernetes',
    });
  }
  return vars;
}

/** Namespaces compare with an unset namespace meaning `default`, as kubectl applies it. */
export function namespaceOf(object: KubernetesObject): string {
  return object.namespace ?? 'default';
}

/**
 * How messages name an object's namespace without claiming more than the file says: `namespace
 * "shop"` when it is written; for an object without `namespace:` (a kustomize base, Helm output,
 * a manifest applied with `-n`), the namespace it is deployed to, which the file does not name.
 */
export function namespaceLabel(object: KubernetesObject): string {
  if (object.namespace !== undefined) return `namespace "${object.namespace}"`;
  const labels = object.metadata ? object.tree.map(object.metadata, 'labels') : undefined;
  const helm = object.tree.string(labels, 'app.kubernetes.io/managed-by') === 'Helm' || object.tree.pair(labels, 'helm.sh/chart') !== undefined;
  return helm ? 'the namespace the release is installed in' : 'the namespace it is deployed to';
}

/**
 * Every container the pod spec declares: regular, init and ephemeral. Rules about what is written
 * into a container (its image, environment, secret references) read these: the text is
 * there whoever starts the container.
 */
export function declaredContainers(object: KubernetesObject): readonly KubernetesContainer[] {
  return object.podSpec?.containers ?? [];
}

/**
 * The containers the kubelet starts with the pod: regular and init containers, not ephemeral ones
 * (added to a running pod by hand for debugging, and rejected in a pod template). Rules about how
 * the pod runs (security contexts, capabilities, resources) read these.
 */
export function runningContainers(object: KubernetesObject): readonly KubernetesContainer[] {
  return declaredContainers(object).filter((container) => container.kind !== 'ephemeralContainer');
}

/** Workload kinds that run pods (used for "this object runs code" questions). */
export function isWorkload(object: KubernetesObject): boolean {
  return object.podSpec !== undefined;
}

/** Pod-level security context of a pod spec. */
export function podSecurityContext(object: KubernetesObject): YAMLMap | undefined {
  return object.podSpec ? object.tree.map(object.podSpec.node, 'securityContext') : undefined;
}

/**
 * The program a workload runs: the image repository of its first container, without tag
 * (`quay.io/argoproj/argocd:v2.12` → `argoproj/argocd`), so that components of one product that
 * run one image count once; else the object itself.
 */
export function workloadProgram(object: KubernetesObject): string {
  const main = runningContainers(object).find((container) => container.kind === 'container') ?? runningContainers(object)[0];
  const image = main?.image?.value;
  const repository = imageRepository(image);
  return repository !== undefined ? `image:${repository}` : image !== undefined ? `image:${image}` : `object:${object.kind}/${namespaceOf(object)}/${object.name ?? '?'}`;
}
