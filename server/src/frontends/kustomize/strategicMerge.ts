import type { SourceSpan } from '../sourceMap';
import { entryOf, isNullNode, kScalar, resolvePlainScalar, scalarString, type KEntry, type KMap, type KNode, type KSeq } from './nodes';
import { schemaFor, type SchemaField } from './schema';
import { BuildError } from './problems';

/**
 * Strategic merge patch as Kustomize 5.x applies it (kyaml's merge walker with the patch's list
 * items first): maps merge key by key, a `null` in the patch deletes the key, `$patch: delete` /
 * `replace` / `merge` act on maps and lists, lists of built-in kinds merge element by element on
 * their merge keys (containers by name, ports by containerPort and protocol, volumeMounts by
 * mountPath, ...), every other list — and every list of a kind without a built-in schema (CRDs) —
 * is replaced. Keys such as `$retainKeys` or `$setElementOrder/…` are not directives to Kustomize
 * and are kept as written, as Kustomize does.
 *
 * The target is merged in place. Nodes taken from the patch keep the patch's span as their value
 * origin and get the target's place as their producer (see `finishPatchOrigins`).
 * Returns the merged object, or undefined when the patch deleted it. Throws `BuildError` on a
 * patch whose shape does not fit the target (a map where the target has a list) or an unknown
 * `$patch` directive.
 */
export function strategicMerge(target: KMap, patch: KMap, tracker: PatchTracker): KMap | undefined {
  const apiVersion = scalarString(entryOf(target, 'apiVersion')?.value) ?? '';
  const kind = scalarString(entryOf(target, 'kind')?.value) ?? '';
  const root = schemaFor(apiVersion, kind);
  const merged = walk(target, patch, root ? { shape: root } : undefined, [], tracker);
  if (!merged || merged.kind !== 'map') return undefined;
  return merged;
}

/** Remembers which nodes came from the patch being applied, so their origins can be fixed afterwards. */
export class PatchTracker {
  readonly nodes = new WeakMap<object, SourceSpan | undefined>();
  readonly entries = new WeakMap<KEntry, SourceSpan | undefined>();
  /** Patch scalars that replaced a target scalar and took over its producer. */
  readonly rebased = new WeakSet<object>();

  /** Registers every node and key of a (cloned) patch tree. */
  track(node: KNode): void {
    this.nodes.set(node, node.origin);
    if (node.kind === 'map') {
      for (const entry of node.entries) {
        this.entries.set(entry, entry.keyOrigin);
        this.track(entry.value);
      }
    } else if (node.kind === 'seq') for (const item of node.items) this.track(item);
  }

  isPatchNode(node: KNode | undefined): boolean {
    return node !== undefined && this.nodes.has(node);
  }
}

/**
 * After a patch: nodes from the patch get `value` = their place in the patch (with the path they
 * now have in the object) and `origin` = the target's place they were merged into (the nearest
 * target ancestor when the patch added them). Keys the patch added are treated the same way.
 */
export function finishPatchOrigins(root: KNode, tracker: PatchTracker): void {
  visit(root, root.origin, '');

  function visit(node: KNode, nearestOrigin: SourceSpan | undefined, path: string): void {
    const fromPatch = tracker.nodes.has(node);
    if (fromPatch) {
      const own = tracker.nodes.get(node);
      if (own) node.value = { file: own.file, range: own.range, path };
      if (!tracker.rebased.has(node)) node.origin = nearestOrigin;
    }
    const childOrigin = fromPatch ? (tracker.rebased.has(node) ? node.origin : nearestOrigin) : (node.origin ?? nearestOrigin);
    if (node.kind === 'map') {
      for (const entry of node.entries) {
        const childPath = joinPath(path, entry.key);
        if (tracker.entries.has(entry)) {
          const keySpan = tracker.entries.get(entry);
          if (keySpan) entry.keyValue = { file: keySpan.file, range: keySpan.range, path: childPath };
          entry.keyOrigin = childOrigin;
          tracker.entries.delete(entry);
        }
        visit(entry.value, childOrigin, childPath);
      }
    } else if (node.kind === 'seq') node.items.forEach((item, index) => visit(item, childOrigin, `${path}[${index}]`));
    if (fromPatch) tracker.nodes.delete(node);
  }
}

export function joinPath(path: string, key: string): string {
  const part = /^[A-Za-z0-9_$-]+$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === '') return part.startsWith('[') ? part : part;
  return part.startsWith('[') ? `${path}${part}` : `${path}.${part}`;
}

type Directive = 'merge' | 'replace' | 'delete';
const DIRECTIVE_KEY = '$patch';

function isMissingOrNull(node: KNode | undefined): boolean {
  return isNullNode(node);
}

function isEmptyMap(node: KNode | undefined): boolean {
  return node?.kind === 'map' && node.entries.length === 0;
}

/** Kind of the first non-null source, or undefined when all are null/missing. */
function kindOf(dest: KNode | undefined, origin: KNode | undefined): KNode['kind'] | undefined {
  if (!isMissingOrNull(dest)) return dest!.kind;
  if (!isMissingOrNull(origin)) return origin!.kind;
  return undefined;
}

function walk(dest: KNode | undefined, origin: KNode | undefined, schema: SchemaField | undefined, path: string[], tracker: PatchTracker): KNode | undefined {
  const kind = kindOf(dest, origin);
  if (kind !== undefined) {
    for (const source of [dest, origin]) {
      if (!isMissingOrNull(source) && source!.kind !== kind) {
        throw new BuildError(`the patch sets ${path.join('.') || 'the object'} to a ${describeKind(source!.kind)}, but the target has a ${describeKind(kind)} there`);
      }
    }
  }
  switch (kind) {
    case 'map':
    case undefined:
      return walkMap(dest, origin, schema, path, tracker);
    case 'seq':
      if (schema?.mergeKeys !== undefined) return walkAssociativeList(dest, origin, schema, path, tracker);
      if (origin === undefined) return dest;
      rebase(dest, origin, tracker);
      return origin;
    case 'scalar':
      return visitScalar(dest, origin, tracker);
  }
}

function describeKind(kind: KNode['kind']): string {
  return kind === 'map' ? 'map' : kind === 'seq' ? 'list' : 'value';
}

function visitScalar(dest: KNode | undefined, origin: KNode | undefined, tracker: PatchTracker): KNode | undefined {
  if (origin === undefined) return dest;
  rebase(dest, origin, tracker);
  return origin;
}

/** A patch node that takes a target node's place also takes its producer (the base line). */
function rebase(dest: KNode | undefined, origin: KNode, tracker: PatchTracker): void {
  if (dest && !isMissingOrNull(dest) && !tracker.isPatchNode(dest) && tracker.isPatchNode(origin)) {
    origin.origin = dest.origin;
    tracker.rebased.add(origin);
  }
}

/** A target's explicit `null` that a patch did not touch: kept, unlike nulls the patch writes. */
const persistentNulls = new WeakSet<KNode>();

function walkMap(dest: KNode | undefined, origin: KNode | undefined, schema: SchemaField | undefined, path: string[], tracker: PatchTracker): KNode | undefined {
  let target: KNode | undefined;
  if (isMissingOrNull(dest)) {
    if (mapDirective(origin, false) === 'delete') return undefined;
    // An explicit `null` in the target survives a patch that does not mention it; an empty value does not.
    if (origin === undefined && dest !== undefined && !(dest.kind === 'scalar' && dest.empty)) {
      persistentNulls.add(dest);
      return dest;
    }
    target = origin;
  } else {
    if (origin !== undefined && isMissingOrNull(origin)) return undefined;
    const directive = mapDirective(origin, true);
    if (directive === 'delete') return undefined;
    target = dest;
    if (directive === 'replace') {
      rebase(dest, origin!, tracker);
      target = origin;
    }
  }
  if (!target || target.kind !== 'map') return target;
  const destMap = target;
  const originMap = origin?.kind === 'map' ? origin : undefined;
  // Kustomize walks the union of field names in sorted order; new fields are appended in that order.
  const names = new Set<string>();
  for (const entry of destMap.entries) names.add(entry.key);
  if (originMap) for (const entry of originMap.entries) names.add(entry.key);
  for (const name of [...names].sort(compareGo)) {
    const destEntry = entryOf(destMap, name);
    const originEntry = originMap ? entryOf(originMap, name) : undefined;
    const childSchema = schema?.shape?.fields[name];
    const value = walk(destEntry?.value, originEntry?.value, childSchema, [...path, name], tracker);
    setField(destMap, name, value, destEntry, originEntry, tracker);
  }
  return destMap;
}

/** kyaml's FieldSetter: null clears the field, an existing key keeps its place, a new one is appended. */
function setField(map: KMap, name: string, value: KNode | undefined, existing: KEntry | undefined, fromPatch: KEntry | undefined, tracker: PatchTracker): void {
  if (value === undefined || (value.kind === 'scalar' && value.data === null && !persistentNulls.has(value))) {
    if (existing) map.entries.splice(map.entries.indexOf(existing), 1);
    return;
  }
  if (existing) {
    existing.value = value;
    return;
  }
  const entry: KEntry = fromPatch ? { ...fromPatch, value } : { key: name, keyOrigin: undefined, value };
  if (fromPatch && tracker.entries.has(fromPatch)) tracker.entries.set(entry, tracker.entries.get(fromPatch));
  map.entries.push(entry);
}

/** Reads and removes a map's `$patch` directive. */
function mapDirective(patch: KNode | undefined, strict: boolean): Directive {
  if (!patch || patch.kind !== 'map') return 'merge';
  const entry = entryOf(patch, DIRECTIVE_KEY);
  if (!entry) return 'merge';
  const value = scalarString(entry.value);
  if (value === 'delete' || value === 'replace' || value === 'merge') {
    patch.entries.splice(patch.entries.indexOf(entry), 1);
    return value;
  }
  if (strict) throw new BuildError(`unknown patch strategy '${value}'`);
  return 'merge';
}

/** Reads and removes a list's `- $patch: …` element (an element with that single key). */
function listDirective(patch: KSeq): Directive {
  const element = patch.items.find((item) => item.kind === 'map' && entryOf(item, DIRECTIVE_KEY) !== undefined) as KMap | undefined;
  if (!element || element.entries.length > 1) return 'merge';
  const value = scalarString(entryOf(element, DIRECTIVE_KEY)!.value);
  if (value === 'delete' || value === 'replace' || value === 'merge') {
    setElement(patch, undefined, [DIRECTIVE_KEY], [value]);
    return value;
  }
  throw new BuildError(`unknown patch strategy '${value}'`);
}

function walkAssociativeList(dest: KNode | undefined, origin: KNode | undefined, schema: SchemaField, path: string[], tracker: PatchTracker): KNode | undefined {
  let target: KNode | undefined;
  if (isMissingOrNull(dest)) target = origin;
  else if (origin !== undefined && isMissingOrNull(origin)) return undefined;
  else {
    const directive = origin?.kind === 'seq' ? listDirective(origin) : 'merge';
    if (directive === 'delete') return undefined;
    target = directive === 'replace' ? origin : dest;
  }
  if (!target || target.kind !== 'seq') return target;
  const sources: [KSeq | undefined, KSeq | undefined] = [target, origin?.kind === 'seq' ? origin : undefined];
  const keys = [...(schema.mergeKeys ?? [])];
  const values = elementValues(sources, keys);
  if (values.length > 0 || keys.length > 0) return setAssociativeElements(values, keys, target, sources, schema, path, tracker);
  return setAssociativeElements(primitiveValues(sources), [''], target, sources, schema, path, tracker);
}

/** Key tuples of every element, the patch's first (Kustomize prepends patch items), without repeats. */
function elementValues(sources: [KSeq | undefined, KSeq | undefined], keys: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const source of [sources[1], sources[0]]) {
    if (!source) continue;
    for (const item of source.items) {
      const tuple = keys.map((key) => fieldText(item, key));
      if (tuple.length === 0) continue;
      const id = JSON.stringify(tuple);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(tuple);
    }
  }
  return out;
}

function primitiveValues(sources: [KSeq | undefined, KSeq | undefined]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const source of [sources[1], sources[0]]) {
    if (!source) continue;
    for (const item of source.items) {
      const text = item.kind === 'scalar' ? (scalarString(item) ?? '') : '';
      if (seen.has(text)) continue;
      seen.add(text);
      out.push([text]);
    }
  }
  return out;
}

/** Value of an element's field as text; '' when absent, null or an empty collection. */
function fieldText(item: KNode, key: string): string {
  if (item.kind !== 'map') return '';
  const value = entryOf(item, key)?.value;
  if (!value || isNullNode(value)) return '';
  if (value.kind === 'map') return '';
  if (value.kind === 'seq') return '';
  return scalarString(value) ?? '';
}

/** Tuples that agree wherever both have a value are the same element (a port with and without protocol). */
function mergeValues(valuesList: string[][]): string[][] {
  for (let i = 0; i < valuesList.length; i++) {
    const first = valuesList[i];
    for (let j = 0; j < valuesList.length; j++) {
      const result = matchTuples(first, valuesList[j]);
      if (result) {
        valuesList[i] = result;
        valuesList[j] = result;
      }
    }
  }
  return valuesList;
}

function matchTuples(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      out.push(a[i]);
      continue;
    }
    if (a[i] !== '' && b[i] !== '') return undefined;
    out.push(a[i] !== '' ? a[i] : b[i]);
  }
  return common ? out : undefined;
}

/** The keys that have a value in some tuple (secondary keys nobody set are ignored). */
function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const tuple of valuesList) tuple.forEach((value, i) => value !== '' && valid.add(keys[i]));
  if (valid.size === 0) return [keys, values];
  return [keys.filter((key) => valid.has(key)), values.filter((value, i) => value !== '' || valid.has(keys[i]))];
}

function setAssociativeElements(
  valuesList: string[][],
  keys: string[],
  dest: KSeq,
  sources: [KSeq | undefined, KSeq | undefined],
  schema: SchemaField,
  path: string[],
  tracker: PatchTracker,
): KNode | undefined {
  const itemsToAdd: KSeq = { kind: 'seq', items: [], origin: undefined };
  const elementSchema: SchemaField | undefined = schema.shape ? { shape: schema.shape } : undefined;
  if (keys.length > 1) valuesList = mergeValues(valuesList);
  let validKeys: string[] = keys;
  let validValues: string[] = [];
  for (const values of valuesList) {
    if (values.length === 0) continue;
    [validKeys, validValues] = validateKeys(valuesList, values, keys);
    const [lookupKeys, lookupValues] = validateKeys([validValues], validValues, validKeys);
    const destElement = sources[0] ? findElement(sources[0], lookupKeys, lookupValues) : undefined;
    const originElement = sources[1] ? findElement(sources[1], lookupKeys, lookupValues) : undefined;
    const value = walk(destElement, originElement, elementSchema, [...path, `[${validValues.join(',')}]`], tracker);
    let removed = false;
    for (let i = 0; i < validKeys.length; i++) {
      if (isMissingOrNull(value) || isEmptyMap(value)) {
        setElement(dest, undefined, validKeys, validValues);
        removed = true;
      } else if (value!.kind === 'map' && !entryOf(value as KMap, validKeys[i]) && validValues[i] !== '') {
        (value as KMap).entries.push({ key: validKeys[i], keyOrigin: value!.origin, value: kScalar(resolvePlainScalar(validValues[i]), value!.origin) });
      }
    }
    if (removed) continue;
    setElement(itemsToAdd, value, validKeys, validValues);
  }
  let result: KSeq = dest;
  if (valuesList.length > 0) result = appendList(itemsToAdd, dest, validKeys);
  if (isMissingOrNull(result)) return undefined;
  return result;
}

/** kyaml's ElementMatcher: the first element whose `keys` fields equal `values` ('' key: a primitive equal to the value). */
function findElement(list: KSeq, keys: string[], values: string[]): KNode | undefined {
  if (keys.length === 0) keys = [''];
  if (values.length === 0) values = [''];
  if (keys[0] === '') return list.items.find((item) => item.kind === 'scalar' && scalarString(item) === values[0]);
  if (keys.length !== values.length) throw new BuildError('length of merge keys and values differ');
  for (const item of list.items) {
    if (item.kind !== 'map') continue;
    let matches = true;
    for (let i = 0; i < keys.length; i++) {
      const field = entryOf(item, keys[i])?.value;
      if (!field || textOf(field) !== values[i]) {
        matches = false;
        break;
      }
    }
    if (matches) return item;
  }
  return undefined;
}

/** yaml.v3's node Value: scalar text; '' for collections. */
function textOf(node: KNode): string {
  return node.kind === 'scalar' ? (scalarString(node) ?? '') : '';
}

/**
 * kyaml's ElementSetter: replaces the elements matching keys/values with `element` (or removes
 * them when `element` is undefined), appends it when none matched, and drops empty elements.
 */
function setElement(list: KSeq, element: KNode | undefined, keys: string[], values: string[]): void {
  if (keys.length === 0) keys = [''];
  const mappingSetter = keys[0] !== '' && values.length > 0 && values[0] !== '';
  const content: KNode[] = [];
  let matched = false;
  for (const item of list.items) {
    if (isMissingOrNull(item) || isEmptyMap(item)) continue;
    if (item.kind !== 'map' && mappingSetter) {
      content.push(item);
      continue;
    }
    let found = true;
    let lastMatch: KNode | undefined;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) lastMatch = matchField(item, keys[j], values[j]);
      if (lastMatch === undefined) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (values.length > 0) content.push(item);
      continue;
    }
    matched = true;
    if (element === undefined) continue;
    content.push(element);
  }
  list.items = content;
  if (element === undefined || isMissingOrNull(element)) return;
  if (!matched) list.items.push(element);
}

/** kyaml's FieldMatcher{Name, StringValue}: the field's value node when it matches ('' value: any). */
function matchField(item: KNode, name: string, value: string): KNode | undefined {
  if (isMissingOrNull(item)) return undefined;
  if (name === '') {
    if (item.kind !== 'scalar') throw new BuildError('expected a list of values');
    return textOf(item) === value ? item : undefined;
  }
  if (item.kind !== 'map') throw new BuildError('expected a list of maps');
  let found: KNode | undefined;
  for (const entry of item.entries) {
    if (entry.key !== name) continue;
    if (value === '' || textOf(entry.value) === value) found = entry.value;
  }
  return found;
}

/** Adds the target's elements after the patch's, each replacing a patch element with the same keys. */
function appendList(into: KSeq, from: KSeq, keys: string[]): KSeq {
  for (const element of from.items) {
    if (keys[0] === '') {
      setElement(into, element, [''], [textOf(element)]);
      continue;
    }
    if (element.kind !== 'map') throw new BuildError('expected a list of maps to merge');
    const values: string[] = [];
    for (const key of keys) {
      const field = entryOf(element, key)?.value;
      if (field === undefined) {
        into.items.push(element);
        continue;
      }
      values.push(textOf(field));
    }
    if (keys.length > 1) setElement(into, undefined, keys, values);
    setElement(into, element, keys, values);
  }
  return into;
}

/** Go's sort.Strings order: byte-wise on UTF-8, which for these keys is code-unit order. */
function compareGo(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
