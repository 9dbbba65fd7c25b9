import type { SourceSpan } from '../sourceMap';
import { goJson, nameHash, secretBase64 } from './encoding';
import type { GeneratorArgs, GeneratorOptions, KeyValue, Kustomization, Spanned } from './kustomization';
import { entryOf, kMap, kScalar, mapAt, setEntry, stringAt, toPlain, valueOf, type KEntry, type KMap } from './nodes';
import { BuildError } from './problems';
import { newResource, type Resource } from './resource';

/** Reads a file named by a kustomization, relative to its folder; throws `BuildError` when it cannot. */
export type ReadRelative = (path: string, named: Spanned<string>) => { readonly path: string; readonly text: string };

interface Pair {
  readonly key: string;
  readonly value: string;
  readonly span: SourceSpan | undefined;
}

/**
 * Builds the ConfigMap or Secret one `configMapGenerator`/`secretGenerator` entry describes
 * (Kustomize's generators): env files first, then literals, then files; keys checked as
 * Kubernetes checks ConfigMap keys; Secret values base64-encoded; labels, annotations and
 * `immutable` from the entry's options merged over `generatorOptions`. The object is marked for a
 * content-hash name suffix unless `disableNameSuffixHash` is set.
 * Data values map back to the literal, the env file line or the file they came from.
 */
export function generate(args: GeneratorArgs, kind: 'ConfigMap' | 'Secret', kustomization: Kustomization, read: ReadRelative): Resource {
  const at = args.node.origin;
  if (!args.name || args.name.value === '') throw new BuildError(`a ${kind === 'ConfigMap' ? 'configmap' : 'secret'} generator needs a name`, 'invalid-kustomization', at);
  const name = args.name;
  const pairs = [...envPairs(args.envs, read), ...literalPairs(args.literals), ...filePairs(args.files, read)];
  const known = new Map<string, Pair>();
  for (const pair of pairs) {
    if (!/^[-._a-zA-Z0-9]+$/.test(pair.key) || pair.key.length > 253) {
      throw new BuildError(`"${pair.key}" is not a valid ${kind} key: it must consist of alphanumeric characters, '-', '_' or '.'`, 'invalid-kustomization', pair.span ?? at);
    }
    if (known.has(pair.key)) throw new BuildError(`${kind.toLowerCase()} ${name.value} illegally repeats the key \`${pair.key}\``, 'invalid-kustomization', pair.span ?? at);
    known.set(pair.key, pair);
  }

  const object = kMap([], at);
  setEntry(object, 'apiVersion', kScalar('v1', at), at);
  setEntry(object, 'kind', kScalar(kind, at), at);
  const metadata = kMap([], at);
  setEntry(metadata, 'name', kScalar(name.value, name.node.origin), at);
  if (args.namespace && args.namespace.value !== '') setEntry(metadata, 'namespace', kScalar(args.namespace.value, args.namespace.node.origin), at);
  setEntry(object, 'metadata', metadata, at);
  if (kind === 'Secret') setEntry(object, 'type', kScalar(args.type && args.type !== '' ? args.type : 'Opaque', at), at);
  if (known.size > 0) {
    const data = kMap([], at);
    for (const key of [...known.keys()].sort()) {
      const pair = known.get(key)!;
      const value = kind === 'Secret' ? secretBase64(pair.value) : pair.value;
      setEntry(data, key, kScalar(value, pair.span), pair.span);
    }
    setEntry(object, 'data', data, at);
  }
  const options = mergeOptions(args.options, kustomization.generatorOptions);
  if (options) {
    for (const [field, list] of [
      ['labels', options.labels],
      ['annotations', options.annotations],
    ] as const) {
      if (list.length === 0) continue;
      let target = mapAt(metadata, field);
      if (!target) {
        target = kMap([], at);
        setEntry(metadata, field, target, at);
      }
      for (const item of [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) setEntry(target, item.key, kScalar(item.value, item.valueNode.origin), item.keySpan);
    }
    if (options.immutable) setEntry(object, 'immutable', kScalar(true, at), at);
  }

  const resource = newResource(object, kustomization.file);
  resource.needsHash = !(options?.disableNameSuffixHash ?? false);
  resource.behavior = args.behavior;
  resource.generatedBy = at;
  return resource;
}

/** Entry options win; `generatorOptions` fills in labels and annotations the entry does not set. */
function mergeOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions | undefined {
  if (!global) return local;
  if (!local) return global;
  const fill = (own: readonly KeyValue[], shared: readonly KeyValue[]): KeyValue[] => [...own, ...shared.filter((item) => !own.some((mine) => mine.key === item.key))];
  return {
    labels: fill(local.labels, global.labels),
    annotations: fill(local.annotations, global.annotations),
    disableNameSuffixHash: local.disableNameSuffixHash || global.disableNameSuffixHash,
    immutable: local.immutable || global.immutable,
  };
}

function literalPairs(literals: readonly Spanned<string>[]): Pair[] {
  return literals.map((literal) => {
    const text = literal.value;
    const equals = text.indexOf('=');
    if (equals <= 0) throw new BuildError(`invalid literal source ${text}, expected key=value`, 'invalid-kustomization', literal.node.origin);
    return { key: text.slice(0, equals), value: removeQuotes(text.slice(equals + 1)), span: literal.node.origin };
  });
}

/** Surrounding quotes go only when both ends carry the same quote. */
function removeQuotes(text: string): string {
  if (text.length < 2 || text[0] !== text[text.length - 1]) return text;
  return text[0] === '"' || text[0] === "'" ? text.slice(1, -1) : text;
}

function filePairs(files: readonly Spanned<string>[], read: ReadRelative): Pair[] {
  return files.map((source) => {
    const text = source.value;
    const separators = text.split('=').length - 1;
    let key: string;
    let path: string;
    if (separators === 0) {
      path = text;
      key = text.slice(text.lastIndexOf('/') + 1);
    } else if (separators === 1 && text.startsWith('=')) {
      throw new BuildError(`missing key name for file path "${text.slice(1)}" in source "${text}"`, 'invalid-kustomization', source.node.origin);
    } else if (separators === 1 && text.endsWith('=')) {
      throw new BuildError(`missing file path for key name "${text.slice(0, -1)}" in source "${text}"`, 'invalid-kustomization', source.node.origin);
    } else if (separators > 1) {
      throw new BuildError(`source "${text}" key name or file path contains '='`, 'invalid-kustomization', source.node.origin);
    } else {
      [key, path] = text.split('=');
    }
    const file = read(path, source);
    return { key, value: file.text, span: { file: file.path, range: { start: 0, end: firstLineEnd(file.text) } } };
  });
}

function envPairs(envs: readonly Spanned<string>[], read: ReadRelative): Pair[] {
  const out: Pair[] = [];
  for (const env of envs) {
    const file = read(env.value, env);
    let offset = 0;
    const lines = file.text.split('\n');
    lines.forEach((raw, index) => {
      const start = offset;
      offset += raw.length + 1;
      let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (index === 0) line = line.replace(/^\uFEFF/, '');
      const trimmed = line.replace(/^\s+/, '');
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const equals = trimmed.indexOf('=');
      const key = equals >= 0 ? trimmed.slice(0, equals) : trimmed;
      const span = { file: file.path, range: { start, end: start + line.length } };
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
        throw new BuildError(`"${key}" in ${env.value} is not a valid environment variable name: it must consist of letters, digits, '_', '-' or '.', and must not start with a digit`, 'invalid-kustomization', span);
      }
      out.push({ key, value: equals >= 0 ? trimmed.slice(equals + 1) : '', span });
    });
  }
  return out;
}

function firstLineEnd(text: string): number {
  const newline = text.indexOf('\n');
  return newline === -1 ? text.length : newline;
}

/**
 * The content hash Kustomize appends to a generated ConfigMap's or Secret's name: SHA-256 over the
 * Go-JSON encoding of kind, name and data (and binaryData / type and stringData). Kustomize 5.x
 * looks the name up under a path that never matches, so the name enters the hash as "": the same
 * data gives the same suffix whatever the prefix (observed with kubectl 1.32 / Kustomize 5.5).
 */
export function contentHash(object: KMap): string {
  const kind = stringAt(object, 'kind');
  const name = '';
  const field = (key: string): unknown => {
    const node = valueOf(object, key);
    if (!node || (node.kind === 'scalar' && node.data === null)) return '';
    return node.kind === 'scalar' ? String(node.data) : toPlain(node);
  };
  if (kind === 'ConfigMap') {
    const encoded: Record<string, unknown> = { kind: 'ConfigMap', name, data: field('data') };
    if (valueOf(object, 'binaryData')?.kind === 'map') encoded.binaryData = field('binaryData');
    return nameHash(goJson(encoded));
  }
  if (kind === 'Secret') {
    const encoded: Record<string, unknown> = { kind: 'Secret', type: field('type'), name, data: field('data') };
    if (valueOf(object, 'stringData')?.kind === 'map') encoded.stringData = field('stringData');
    return nameHash(goJson(encoded));
  }
  return nameHash(goJson(toPlain(object)));
}

/**
 * Absorbs a generated object into the accumulated ones (Kustomize's appendReplaceOrMerge): a new id
 * is appended; `behavior: merge` merges data, labels and annotations into the object with that id
 * (its name and history kept), `replace` replaces it; `create` on an existing id is an error.
 */
export function absorbGenerated(resources: Resource[], generated: Resource, matches: (candidate: Resource) => boolean, describe: string): void {
  const found = resources.filter(matches);
  const at = generated.generatedBy;
  if (found.length === 0) {
    if (generated.behavior === 'merge' || generated.behavior === 'replace') {
      throw new BuildError(`${describe} does not exist; cannot ${generated.behavior} it`, 'conflict', at);
    }
    resources.push(generated);
    return;
  }
  if (found.length > 1) throw new BuildError(`found several objects that could accept the merge of ${describe}`, 'conflict', at);
  const old = found[0];
  if (generated.behavior !== 'merge' && generated.behavior !== 'replace') {
    throw new BuildError(`${describe} already exists; set behavior: merge or replace`, 'conflict', at);
  }
  const behavior = generated.behavior;
  copyMergeMetadata(generated, old);
  if (behavior === 'merge') {
    mergeMapInto(generated.object, old.object, 'data');
    mergeMapInto(generated.object, old.object, 'binaryData');
  }
  resources[resources.indexOf(old)] = generated;
}

function copyMergeMetadata(into: Resource, from: Resource): void {
  const metadata = mapAt(into.object, 'metadata') ?? kMap([], into.object.origin);
  if (!mapAt(into.object, 'metadata')) setEntry(into.object, 'metadata', metadata, into.object.origin);
  for (const field of ['labels', 'annotations'] as const) {
    const old = mapAt(from.object, 'metadata', field);
    if (!old) continue;
    const mine = mapAt(metadata, field);
    const merged = kMap([...old.entries.filter((entry) => !mine || !entryOf(mine, entry.key)), ...(mine?.entries ?? [])], mine?.origin ?? old.origin);
    setEntry(metadata, field, merged, old.origin);
  }
  const oldMetadata = mapAt(from.object, 'metadata');
  const oldName = oldMetadata ? entryOf(oldMetadata, 'name') : undefined;
  const oldNamespace = oldMetadata ? entryOf(oldMetadata, 'namespace') : undefined;
  if (oldName) setEntry(metadata, 'name', oldName.value, oldName.keyOrigin);
  if (oldNamespace) setEntry(metadata, 'namespace', oldNamespace.value, oldNamespace.keyOrigin);
  else removeEntry(metadata, 'namespace');
  into.needsHash = into.needsHash && from.needsHash;
  into.behavior = from.behavior;
  into.prevIds = from.prevIds.map((id) => ({ ...id }));
  into.prefixes = [...from.prefixes];
  into.suffixes = [...from.suffixes];
}

function removeEntry(map: KMap, key: string): void {
  const index = map.entries.findIndex((entry: KEntry) => entry.key === key);
  if (index >= 0) map.entries.splice(index, 1);
}

function mergeMapInto(into: KMap, from: KMap, field: string): void {
  const old = mapAt(from, field);
  if (!old) return;
  const mine = mapAt(into, field);
  const merged = kMap([...old.entries.filter((entry) => !mine || !entryOf(mine, entry.key)), ...(mine?.entries ?? [])], mine?.origin ?? old.origin);
  if (merged.entries.length > 0) setEntry(into, field, merged, old.origin);
}
