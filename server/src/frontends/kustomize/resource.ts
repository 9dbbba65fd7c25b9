import type { SourceSpan } from '../sourceMap';
import { cloneNode, entryOf, kMap, kScalar, mapAt, setEntry, stringAt, type KMap } from './nodes';
import { isClusterScoped } from './schema';

/** Group, version and kind of an object, as Kustomize's resource ids hold them. */
export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A resource id: what Kustomize matches patches, merges and references on. */
export interface ResId {
  readonly gvk: Gvk;
  readonly name: string;
  readonly namespace: string;
}

/** One object being built, with the bookkeeping Kustomize keeps in build annotations. */
export interface Resource {
  object: KMap;
  /** The file the object was read from (the kustomization for generated objects). */
  readonly file: string;
  /** Ids the object had before renames, oldest first (name, effective namespace, kind). */
  prevIds: Array<{ name: string; namespace: string; kind: string }>;
  /** Name prefixes and suffixes applied by each kustomization layer, innermost first. */
  prefixes: string[];
  suffixes: string[];
  /** Generated ConfigMaps and Secrets get a content hash suffix at the end of the build. */
  needsHash: boolean;
  /** Generator behaviour against an object with the same id: create, merge or replace. */
  behavior?: 'create' | 'merge' | 'replace';
  /** The kustomization field that generated the object, for generated objects. */
  generatedBy?: SourceSpan;
}

export function newResource(object: KMap, file: string): Resource {
  return { object, file, prevIds: [], prefixes: [], suffixes: [], needsHash: false };
}

export function cloneResource(resource: Resource): Resource {
  return {
    ...resource,
    object: cloneNode(resource.object),
    prevIds: resource.prevIds.map((id) => ({ ...id })),
    prefixes: [...resource.prefixes],
    suffixes: [...resource.suffixes],
  };
}

export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash >= 0 ? { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) } : { group: '', version: apiVersion };
}

export function apiVersionOf(resource: Resource): string {
  return stringAt(resource.object, 'apiVersion') ?? '';
}

export function kindOf(resource: Resource): string {
  return stringAt(resource.object, 'kind') ?? '';
}

export function nameOf(resource: Resource): string {
  return stringAt(resource.object, 'metadata', 'name') ?? '';
}

export function namespaceOf(resource: Resource): string {
  return stringAt(resource.object, 'metadata', 'namespace') ?? '';
}

export function gvkOf(resource: Resource): Gvk {
  const { group, version } = parseGroupVersion(apiVersionOf(resource));
  return { group, version, kind: kindOf(resource) };
}

export function currentId(resource: Resource): ResId {
  return { gvk: gvkOf(resource), name: nameOf(resource), namespace: namespaceOf(resource) };
}

/** Previous ids carry the object's current group and version, as Kustomize rebuilds them. */
export function previousIds(resource: Resource): ResId[] {
  const { group, version } = parseGroupVersion(apiVersionOf(resource));
  return resource.prevIds.map((id) => ({ gvk: { group, version, kind: id.kind }, name: id.name, namespace: id.namespace }));
}

/** The id the object was first read or generated with. */
export function originalId(resource: Resource): ResId {
  return previousIds(resource)[0] ?? currentId(resource);
}

export function allIds(resource: Resource): ResId[] {
  return [...previousIds(resource), currentId(resource)];
}

export function gvkIsClusterScoped(gvk: Gvk): boolean {
  return isClusterScoped(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, gvk.kind);
}

/** Whether the object ever had `name` (now or before a rename): a cheap test before comparing whole ids. */
export function hadName(resource: Resource, name: string): boolean {
  return nameOf(resource) === name || resource.prevIds.some((id) => id.name === name);
}

/** `default` for unset namespaces, a marker for cluster-scoped objects: how Kustomize compares namespaces. */
export function effectiveNamespace(id: ResId): string {
  if (gvkIsClusterScoped(id.gvk)) return '_non_namespaceable_';
  return id.namespace === '' || id.namespace === 'default' ? 'default' : id.namespace;
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

export function idEquals(a: ResId, b: ResId): boolean {
  return a.name === b.name && gvkEquals(a.gvk, b.gvk) && effectiveNamespace(a) === effectiveNamespace(b);
}

/** A field spec's or selector's gvk selects `gvk` when each of its non-empty parts is equal. */
export function gvkSelected(gvk: Gvk, selector: Partial<Gvk>): boolean {
  return (!selector.group || selector.group === gvk.group) && (!selector.version || selector.version === gvk.version) && (!selector.kind || selector.kind === gvk.kind);
}

/** Records the current id before a rename, as Kustomize's StorePreviousId does. */
export function storePreviousId(resource: Resource): void {
  const id = currentId(resource);
  resource.prevIds.push({ name: id.name, namespace: effectiveNamespace(id), kind: id.gvk.kind });
}

/** A string equal for two ids exactly when `idEquals` holds, for sets and maps of ids. */
export function idKey(id: ResId): string {
  return `${id.gvk.group}/${id.gvk.version}/${id.gvk.kind}|${id.name}|${effectiveNamespace(id)}`;
}

export function idString(id: ResId): string {
  const group = id.gvk.group ? `${id.gvk.group}/` : '';
  const namespace = id.namespace ? ` in namespace ${id.namespace}` : '';
  return `${group}${id.gvk.version ? `${id.gvk.version}/` : ''}${id.gvk.kind} ${id.name}${namespace}`;
}

/** Sets metadata.name (creating metadata when missing), keeping the name node's place and producer. */
export function setName(resource: Resource, name: string, origin?: SourceSpan, value?: import('../sourceMap').ValueOrigin): void {
  setMetadataString(resource, 'name', name, origin, value);
}

export function setNamespace(resource: Resource, namespace: string, origin?: SourceSpan, value?: import('../sourceMap').ValueOrigin): void {
  setMetadataString(resource, 'namespace', namespace, origin, value);
}

function setMetadataString(resource: Resource, key: string, text: string, origin: SourceSpan | undefined, value: import('../sourceMap').ValueOrigin | undefined): void {
  let metadata = mapAt(resource.object, 'metadata');
  if (!metadata) {
    metadata = kMap([], origin ?? resource.object.origin);
    setEntry(resource.object, 'metadata', metadata, origin ?? resource.object.origin);
  }
  const existing = entryOf(metadata, key);
  const producer = existing?.value.origin ?? origin ?? metadata.origin;
  if (existing) existing.value = kScalar(text, producer, value ?? existing.value.value);
  else setEntry(metadata, key, kScalar(text, producer, value), producer, value);
}

/** Labels or annotations of an object as a plain map (non-string values as text). */
export function stringMap(resource: Resource, field: 'labels' | 'annotations'): Map<string, string> {
  const out = new Map<string, string>();
  const map = mapAt(resource.object, 'metadata', field);
  if (!map) return out;
  for (const entry of map.entries) {
    const value = entry.value;
    if (value.kind === 'scalar') out.set(entry.key, value.data === null ? '' : String(value.data));
  }
  return out;
}
