import type { SourceSpan, ValueOrigin } from '../sourceMap';
import {
  applyFieldSpec,
  COMMON_ANNOTATION_SPECS,
  gvkOfObject,
  specMatches,
  COMMON_LABEL_SPECS,
  IMAGE_SPECS,
  METADATA_LABELS_SPEC,
  NAMESPACE_SPECS,
  REPLICA_SPECS,
  TEMPLATE_LABEL_SPECS,
  type FieldSetter,
  type FieldSpec,
} from './fieldSpecs';
import type { ImageEntry, KeyValue, LabelSet, ReplicaEntry, Spanned } from './kustomization';
import { entryOf, kScalar, scalarString, stringAt, type KMap, type KNode } from './nodes';
import { BuildError } from './problems';
import {
  allIds,
  apiVersionOf,
  currentId,
  gvkIsClusterScoped,
  gvkOf,
  gvkSelected,
  hadName,
  idKey,
  idString,
  kindOf,
  originalId,
  storePreviousId,
  type Resource,
} from './resource';
import { compilePattern } from './selector';

/** The value origin of a kustomization field: where a finding about what it set should point. */
export function originOf(node: KNode | undefined, path: string): ValueOrigin | undefined {
  const span = node?.origin;
  return span ? { file: span.file, range: span.range, path } : undefined;
}

function spanOrigin(span: SourceSpan | undefined, path: string): ValueOrigin | undefined {
  return span ? { file: span.file, range: span.range, path } : undefined;
}

/** Replaces a scalar with `text`, keeping its producer (the base line) and recording who set it. */
function scalarSetter(text: string | number, provenance: ValueOrigin | undefined, what: string): FieldSetter {
  return (node, replace) => {
    if (node.kind !== 'scalar') throw new BuildError(`${what} must be set on a value, but the field holds a ${node.kind === 'map' ? 'map' : 'list'}`);
    replace(kScalar(text, node.origin, provenance));
  };
}

/**
 * `namespace:` — sets metadata.namespace on every namespaced object, renames a Namespace object to
 * it, updates APIService and CRD webhook service namespaces, and the namespace of (Cluster)RoleBinding
 * subjects named `default` (Kustomize's NamespaceTransformer with its default settings).
 * Throws `BuildError` when two objects end up with the same id.
 */
export function applyNamespace(resources: readonly Resource[], namespace: Spanned<string>): void {
  const provenance = originOf(namespace.node, namespace.path);
  const setter = scalarSetter(namespace.value, provenance, 'namespace');
  for (const resource of resources) {
    storePreviousId(resource);
    const object = resource.object;
    if (!gvkIsClusterScoped(gvkOf(resource))) applyFieldSpec(object, { path: 'metadata/namespace', create: true }, setter, 'scalar', provenance);
    const kind = kindOf(resource);
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') setDefaultSubjectNamespaces(object, namespace.value, provenance);
    for (const spec of NAMESPACE_SPECS) {
      if (spec.path === 'metadata/name' && apiVersionOf(resource) !== 'v1') continue;
      applyFieldSpec(object, spec, setter, 'scalar', provenance);
    }
  }
  const seen = new Set<string>();
  for (const resource of resources) {
    const id = currentId(resource);
    const key = idKey(id);
    if (seen.has(key)) throw new BuildError(`the namespace makes two objects the same: ${idString(id)}`, 'conflict', provenance);
    seen.add(key);
  }
}

function setDefaultSubjectNamespaces(object: KMap, namespace: string, provenance: ValueOrigin | undefined): void {
  const subjects = entryOf(object, 'subjects')?.value;
  if (!subjects || subjects.kind !== 'seq') return;
  for (const subject of subjects.items) {
    if (subject.kind !== 'map' || scalarString(entryOf(subject, 'name')?.value) !== 'default') continue;
    const existing = entryOf(subject, 'namespace');
    if (existing) existing.value = kScalar(namespace, existing.value.origin, provenance);
    else subject.entries.push({ key: 'namespace', keyOrigin: subject.origin, keyValue: provenance, value: kScalar(namespace, subject.origin, provenance) });
  }
}

/** Kinds whose names Kustomize never prefixes or suffixes. */
function keepsName(resource: Resource): boolean {
  const gvk = originalId(resource).gvk;
  return gvkSelected(gvk, { kind: 'CustomResourceDefinition' }) || gvkSelected(gvk, { group: 'apiregistration.k8s.io', kind: 'APIService' }) || gvkSelected(gvk, { kind: 'Namespace' });
}

/** `namePrefix:` / `nameSuffix:` — renames every object but CRDs, APIServices and Namespaces, remembering the old name. */
export function applyNameAffix(resources: readonly Resource[], affix: Spanned<string>, where: 'prefix' | 'suffix'): void {
  const provenance = originOf(affix.node, affix.path);
  for (const resource of resources) {
    if (keepsName(resource)) continue;
    if (where === 'prefix') resource.prefixes.push(affix.value);
    else resource.suffixes.push(affix.value);
    storePreviousId(resource);
    applyFieldSpec(
      resource.object,
      { path: 'metadata/name' },
      (node, replace) => {
        const name = scalarString(node) ?? '';
        replace(kScalar(where === 'prefix' ? affix.value + name : name + affix.value, node.origin, provenance));
      },
      'scalar',
      provenance,
    );
  }
}

/** Adds or overwrites map entries (labels, annotations) at the places `specs` name. */
function applyPairs(resources: readonly Resource[], pairs: readonly KeyValue[], specs: readonly FieldSpec[], what: string): void {
  const sorted = [...pairs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const resource of resources) {
    const gvk = gvkOfObject(resource.object);
    const applicable = specs.filter((spec) => specMatches(spec, gvk));
    for (const pair of sorted) {
      const keyValue = spanOrigin(pair.keySpan, pair.path);
      const valueOrigin = originOf(pair.valueNode, pair.path);
      for (const spec of applicable) {
        applyFieldSpec(
          resource.object,
          spec,
          (node) => {
            if (node.kind !== 'map') throw new BuildError(`${what} must be added to a map, but ${spec.path} holds a ${node.kind === 'seq' ? 'list' : 'value'}`);
            const existing = entryOf(node, pair.key);
            if (existing) existing.value = kScalar(pair.value, existing.value.origin, valueOrigin);
            else node.entries.push({ key: pair.key, keyOrigin: node.origin, keyValue, value: kScalar(pair.value, node.origin, valueOrigin) });
          },
          'map',
          valueOrigin,
          gvk,
        );
      }
    }
  }
}

/** Field specs with duplicates (same kind, group, version and path) left out, the first kept. */
function mergeSpecs(...lists: ReadonlyArray<readonly FieldSpec[]>): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const list of lists) {
    for (const spec of list) {
      if (!out.some((seen) => seen.path === spec.path && (seen.kind ?? '') === (spec.kind ?? '') && (seen.group ?? '') === (spec.group ?? '') && (seen.version ?? '') === (spec.version ?? ''))) out.push(spec);
    }
  }
  return out;
}

/** `labels:` entries: metadata only, plus pod templates (includeTemplates) or templates and selectors (includeSelectors). */
export function applyLabelSet(resources: readonly Resource[], labels: LabelSet): void {
  const specs = labels.includeSelectors
    ? mergeSpecs(labels.fields, COMMON_LABEL_SPECS)
    : mergeSpecs(labels.fields, labels.includeTemplates ? TEMPLATE_LABEL_SPECS : [], [METADATA_LABELS_SPEC]);
  applyPairs(resources, labels.pairs, specs, 'labels');
}

/** `commonLabels:` — objects, pod templates and selectors (Services, workloads, PDBs, NetworkPolicies). */
export function applyCommonLabels(resources: readonly Resource[], pairs: readonly KeyValue[]): void {
  applyPairs(resources, pairs, COMMON_LABEL_SPECS, 'commonLabels');
}

export function applyCommonAnnotations(resources: readonly Resource[], pairs: readonly KeyValue[]): void {
  applyPairs(resources, pairs, COMMON_ANNOTATION_SPECS, 'commonAnnotations');
}

/**
 * `images:` — for every container and init container image whose name is an entry's `name` (with
 * any tag or digest), sets the entry's new name, tag, digest or tag suffix; entries apply in order.
 * Kustomize looks in every `containers` and `initContainers` list of any object except CRDs, then
 * again at the pod-spec image fields, so an image both passes find is updated twice (which only a
 * tag suffix shows). Each object is walked once for all entries.
 */
export function applyImages(resources: readonly Resource[], images: readonly ImageEntry[]): void {
  const entries = images.map((image) => {
    let pattern: RegExp | undefined;
    try {
      pattern = compilePattern(`^${image.name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`, `image name '${image.name}'`);
    } catch {
      pattern = undefined;
    }
    const deciding = image.newTag ?? image.digest ?? image.newName ?? image.tagSuffix;
    return { image, pattern, provenance: deciding ? originOf(deciding.node, deciding.path) : originOf(image.node, image.path) };
  });
  if (entries.every((entry) => !entry.pattern)) return;
  for (const resource of resources) {
    if (kindOf(resource) === 'CustomResourceDefinition') continue;
    const slots = new Map<KNode, { node: KNode; replace: (next: KNode) => void; passes: number }>();
    const found = (node: KNode, replace: (next: KNode) => void) => {
      const slot = slots.get(node);
      if (slot) slot.passes++;
      else slots.set(node, { node, replace, passes: 1 });
    };
    collectContainerImages(resource.object, found);
    const gvk = gvkOfObject(resource.object);
    for (const spec of IMAGE_SPECS) applyFieldSpec(resource.object, spec, found, undefined, undefined, gvk);
    for (const slot of slots.values()) {
      let current = slot.node;
      for (const { image, pattern, provenance } of entries) {
        if (!pattern) continue;
        for (let pass = 0; pass < slot.passes; pass++) {
          if (current.kind !== 'scalar') throw new BuildError('an image must be a string');
          const value = current.data === null ? '' : String(current.data);
          if (!pattern.test(value)) continue;
          current = kScalar(updatedImage(value, image), current.origin, provenance);
        }
      }
      if (current !== slot.node) slot.replace(current);
    }
  }
}

function collectContainerImages(node: KNode, found: FieldSetter): void {
  if (node.kind === 'seq') {
    for (const item of node.items) collectContainerImages(item, found);
    return;
  }
  if (node.kind !== 'map') return;
  for (const entry of node.entries) {
    collectContainerImages(entry.value, found);
    if ((entry.key !== 'containers' && entry.key !== 'initContainers') || entry.value.kind !== 'seq') continue;
    for (const container of entry.value.items) {
      if (container.kind !== 'map') throw new BuildError(`${entry.key} must be a list of maps`);
      const imageEntry = entryOf(container, 'image');
      if (imageEntry) found(imageEntry.value, (next) => (imageEntry.value = next));
    }
  }
}

function updatedImage(value: string, image: ImageEntry): string {
  let [name, tag, digest] = splitImage(value);
  if (image.newName) name = image.newName.value;
  if (image.newTag && image.digest) {
    tag = image.newTag.value;
    digest = image.digest.value;
  } else if (image.newTag) {
    tag = image.newTag.value;
    digest = '';
  } else if (image.digest) {
    tag = '';
    digest = image.digest.value;
  } else if (image.tagSuffix) {
    tag += image.tagSuffix.value;
    digest = '';
  }
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

/** Name, tag and digest of an image reference; a registry's `host:port/` is not mistaken for a tag. */
export function splitImage(image: string): [string, string, string] {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  let at = search.indexOf('@');
  let colon = search.indexOf(':');
  if (colon < 0 && at < 0) return [image, '', ''];
  if (at >= 0 && (at < colon || colon < 0)) {
    at += offset;
    return [image.slice(0, at), '', image.slice(at + 1)];
  }
  if (at >= 0 && colon >= 0) {
    at += offset;
    colon += offset;
    return [image.slice(0, colon), image.slice(colon + 1, at), image.slice(at + 1)];
  }
  colon += offset;
  return [image.slice(0, colon), image.slice(colon + 1), ''];
}

/** `replicas:` — sets spec.replicas of the Deployments, ReplicationControllers, ReplicaSets and StatefulSets with that name. */
export function applyReplicas(resources: readonly Resource[], replica: ReplicaEntry): void {
  const provenance = originOf(replica.count.node, replica.count.path);
  let found = false;
  const named = resources
    .filter((resource) => hadName(resource, replica.name))
    .map((resource) => ({ resource, ids: allIds(resource).filter((id) => id.name === replica.name) }));
  for (const spec of REPLICA_SPECS) {
    const matching = named.filter((candidate) => candidate.ids.some((id) => gvkSelected(id.gvk, { kind: spec.kind }))).map((candidate) => candidate.resource);
    if (matching.length === 0) continue;
    found = true;
    for (const resource of matching) applyFieldSpec(resource.object, spec, scalarSetter(replica.count.value, provenance, 'replicas'), 'scalar', provenance);
  }
  if (!found) throw new BuildError(`replicas: no Deployment, ReplicationController, ReplicaSet or StatefulSet is named ${replica.name}`, 'no-patch-target', replica.node.origin);
}

/** Name of a resource for messages. */
export function describeResource(resource: Resource): string {
  return idString(currentId(resource)) + (stringAt(resource.object, 'metadata', 'name') ? '' : ' (no name)');
}
