import type { SourceSpan } from '../sourceMap';
import type { FieldSpec } from './fieldSpecs';
import { scalarString, type KEntry, type KNode } from './nodes';
import { BuildError } from './problems';
import type { TargetSelector } from './selector';

/** A value read from the kustomization file with the node it came from (its span is where fixes go). */
export interface Spanned<T> {
  readonly value: T;
  readonly node: KNode;
  /** Dotted path in the kustomization file: `images[0].newTag`. */
  readonly path: string;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly keySpan: SourceSpan | undefined;
  readonly valueNode: KNode;
  readonly path: string;
}

export interface LabelSet {
  readonly pairs: readonly KeyValue[];
  readonly includeSelectors: boolean;
  readonly includeTemplates: boolean;
  readonly fields: readonly FieldSpec[];
}

export interface PatchEntry {
  readonly path?: Spanned<string>;
  readonly patch?: Spanned<string>;
  readonly target?: TargetSelector;
  readonly allowNameChange: boolean;
  readonly allowKindChange: boolean;
  readonly node: KNode;
}

export interface ImageEntry {
  readonly name: string;
  readonly newName?: Spanned<string>;
  readonly newTag?: Spanned<string>;
  readonly digest?: Spanned<string>;
  readonly tagSuffix?: Spanned<string>;
  readonly node: KNode;
  readonly path: string;
}

export interface ReplicaEntry {
  readonly name: string;
  readonly count: Spanned<number>;
  readonly node: KNode;
}

export interface GeneratorOptions {
  readonly labels: readonly KeyValue[];
  readonly annotations: readonly KeyValue[];
  readonly disableNameSuffixHash: boolean;
  readonly immutable: boolean;
}

export interface GeneratorArgs {
  readonly name?: Spanned<string>;
  readonly namespace?: Spanned<string>;
  readonly behavior: 'create' | 'merge' | 'replace';
  readonly literals: readonly Spanned<string>[];
  readonly files: readonly Spanned<string>[];
  readonly envs: readonly Spanned<string>[];
  readonly options?: GeneratorOptions;
  /** Secret type (`Opaque` when unset). */
  readonly type?: string;
  readonly node: KNode;
  readonly path: string;
}

export interface SortOptions {
  readonly order: 'legacy' | 'fifo';
  readonly orderFirst?: readonly string[];
  readonly orderLast?: readonly string[];
}

/** A kustomization file, read and checked as Kustomize 5.x reads it (unknown fields are errors). */
export interface Kustomization {
  readonly file: string;
  readonly kind: 'Kustomization' | 'Component';
  readonly namePrefix?: Spanned<string>;
  readonly nameSuffix?: Spanned<string>;
  readonly namespace?: Spanned<string>;
  readonly commonLabels: readonly KeyValue[];
  readonly labels: readonly LabelSet[];
  readonly commonAnnotations: readonly KeyValue[];
  /** `resources` then the deprecated `bases`, in the order Kustomize reads them. */
  readonly resources: readonly Spanned<string>[];
  readonly components: readonly Spanned<string>[];
  readonly patchesStrategicMerge: readonly Spanned<string>[];
  readonly patchesJson6902: readonly PatchEntry[];
  readonly patches: readonly PatchEntry[];
  readonly images: readonly ImageEntry[];
  readonly replicas: readonly ReplicaEntry[];
  readonly configMapGenerator: readonly GeneratorArgs[];
  readonly secretGenerator: readonly GeneratorArgs[];
  readonly generatorOptions?: GeneratorOptions;
  readonly sortOptions?: SortOptions;
  /** Fields this builder does not apply (replacements, vars, helmCharts, plugins, ...), for a warning. */
  readonly unsupported: ReadonlyArray<{ readonly field: string; readonly span: SourceSpan | undefined }>;
}

const FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
] as const;

/** Fields that change the output which this builder does not apply. */
const UNSUPPORTED = ['replacements', 'vars', 'crds', 'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'configurations', 'generators', 'transformers', 'validators', 'openapi'];

export const KUSTOMIZATION_VERSION = 'kustomize.config.k8s.io/v1beta1';
export const COMPONENT_VERSION = 'kustomize.config.k8s.io/v1alpha1';

/**
 * Reads a kustomization's root map. Throws `BuildError` (code `invalid-kustomization`, with the
 * offending node's span) for unknown fields, wrong types (an unquoted `newTag: 1.21` is a number,
 * which Kustomize rejects), an empty file, or a kind/apiVersion Kustomize does not accept.
 */
export function readKustomization(root: KNode | undefined, file: string): Kustomization {
  const reader = new Reader(file);
  if (!root || (root.kind === 'scalar' && root.data === null)) throw reader.error(root, 'the kustomization is empty');
  if (root.kind !== 'map') throw reader.error(root, 'a kustomization must be a map of fields');
  const fields = reader.fields(root, FIELDS, 'kustomization');
  const kindNode = fields.get('kind');
  const kindText = kindNode ? reader.string(kindNode.value, 'kind') : 'Kustomization';
  if (kindText !== 'Kustomization' && kindText !== 'Component') throw reader.error(kindNode?.value, 'kind should be Kustomization or Component');
  const kind = kindText as 'Kustomization' | 'Component';
  const apiVersion = fields.get('apiVersion');
  if (apiVersion) {
    const required = kind === 'Component' ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
    if (reader.string(apiVersion.value, 'apiVersion') !== required) throw reader.error(apiVersion.value, `apiVersion for ${kind} should be ${required}`);
  }
  const meaningful = [...fields.keys()].filter((key) => key !== 'apiVersion' && key !== 'kind');
  if (meaningful.length === 0) throw reader.error(root, 'the kustomization is empty');

  const optionalString = (name: string): Spanned<string> | undefined => {
    const entry = fields.get(name);
    if (!entry || isNull(entry.value)) return undefined;
    return { value: reader.string(entry.value, name), node: entry.value, path: name };
  };
  const strings = (name: string): Spanned<string>[] => {
    const entry = fields.get(name);
    return entry ? reader.stringList(entry.value, name) : [];
  };

  const images = [...reader.list(fields.get('images')?.value, 'images'), ...reader.list(fields.get('imageTags')?.value, 'imageTags')].map((item) => readImage(reader, item.node, item.path));
  const unsupported = UNSUPPORTED.filter((field) => fields.has(field) && !isEmptyValue(fields.get(field)!.value)).map((field) => ({ field, span: fields.get(field)!.keyOrigin }));
  return {
    file,
    kind,
    namePrefix: optionalString('namePrefix'),
    nameSuffix: optionalString('nameSuffix'),
    namespace: optionalString('namespace'),
    commonLabels: fields.has('commonLabels') ? reader.stringMap(fields.get('commonLabels')!.value, 'commonLabels') : [],
    labels: reader.list(fields.get('labels')?.value, 'labels').map((item) => readLabelSet(reader, item.node, item.path)),
    commonAnnotations: fields.has('commonAnnotations') ? reader.stringMap(fields.get('commonAnnotations')!.value, 'commonAnnotations') : [],
    resources: [...strings('resources'), ...strings('bases')],
    components: strings('components'),
    patchesStrategicMerge: strings('patchesStrategicMerge'),
    patchesJson6902: reader.list(fields.get('patchesJson6902')?.value, 'patchesJson6902').map((item) => readPatch(reader, item.node, item.path)),
    patches: reader.list(fields.get('patches')?.value, 'patches').map((item) => readPatch(reader, item.node, item.path)),
    images,
    replicas: reader.list(fields.get('replicas')?.value, 'replicas').map((item) => readReplica(reader, item.node, item.path)),
    configMapGenerator: reader.list(fields.get('configMapGenerator')?.value, 'configMapGenerator').map((item) => readGenerator(reader, item.node, item.path, false)),
    secretGenerator: reader.list(fields.get('secretGenerator')?.value, 'secretGenerator').map((item) => readGenerator(reader, item.node, item.path, true)),
    generatorOptions: fields.has('generatorOptions') && !isNull(fields.get('generatorOptions')!.value) ? readGeneratorOptions(reader, fields.get('generatorOptions')!.value, 'generatorOptions') : undefined,
    sortOptions: fields.has('sortOptions') && !isNull(fields.get('sortOptions')!.value) ? readSortOptions(reader, fields.get('sortOptions')!.value) : undefined,
    unsupported,
  };
}

function isNull(node: KNode): boolean {
  return node.kind === 'scalar' && node.data === null;
}

function isEmptyValue(node: KNode): boolean {
  return isNull(node) || (node.kind === 'seq' && node.items.length === 0) || (node.kind === 'map' && node.entries.length === 0);
}

function readImage(reader: Reader, node: KNode, path: string): ImageEntry {
  const fields = reader.fields(node, ['name', 'newName', 'newTag', 'digest', 'tagSuffix'], path);
  const get = (name: string): Spanned<string> | undefined => {
    const entry = fields.get(name);
    if (!entry || isNull(entry.value)) return undefined;
    const value = reader.string(entry.value, `${path}.${name}`);
    return value === '' ? undefined : { value, node: entry.value, path: `${path}.${name}` };
  };
  const name = get('name');
  return { name: name?.value ?? '', newName: get('newName'), newTag: get('newTag'), digest: get('digest'), tagSuffix: get('tagSuffix'), node, path };
}

function readReplica(reader: Reader, node: KNode, path: string): ReplicaEntry {
  const fields = reader.fields(node, ['name', 'count'], path);
  const name = fields.get('name');
  const count = fields.get('count');
  const countValue = count ? reader.integer(count.value, `${path}.count`) : 0;
  return {
    name: name ? reader.string(name.value, `${path}.name`) : '',
    count: { value: countValue, node: count?.value ?? node, path: `${path}.count` },
    node,
  };
}

function readLabelSet(reader: Reader, node: KNode, path: string): LabelSet {
  const fields = reader.fields(node, ['pairs', 'includeSelectors', 'includeTemplates', 'fields'], path);
  return {
    pairs: fields.has('pairs') ? reader.stringMap(fields.get('pairs')!.value, `${path}.pairs`) : [],
    includeSelectors: fields.has('includeSelectors') ? reader.boolean(fields.get('includeSelectors')!.value, `${path}.includeSelectors`) : false,
    includeTemplates: fields.has('includeTemplates') ? reader.boolean(fields.get('includeTemplates')!.value, `${path}.includeTemplates`) : false,
    fields: reader.list(fields.get('fields')?.value, `${path}.fields`).map((item) => readFieldSpec(reader, item.node, item.path)),
  };
}

function readFieldSpec(reader: Reader, node: KNode, path: string): FieldSpec {
  const fields = reader.fields(node, ['path', 'create', 'group', 'version', 'kind'], path);
  const text = (name: string): string | undefined => (fields.has(name) && !isNull(fields.get(name)!.value) ? reader.string(fields.get(name)!.value, `${path}.${name}`) : undefined);
  return {
    path: text('path') ?? '',
    create: fields.has('create') ? reader.boolean(fields.get('create')!.value, `${path}.create`) : false,
    group: text('group'),
    version: text('version'),
    kind: text('kind'),
  };
}

function readTarget(reader: Reader, node: KNode, path: string): TargetSelector {
  const fields = reader.fields(node, ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'], path);
  const text = (name: string): string | undefined => (fields.has(name) && !isNull(fields.get(name)!.value) ? reader.string(fields.get(name)!.value, `${path}.${name}`) : undefined);
  return {
    group: text('group'),
    version: text('version'),
    kind: text('kind'),
    name: text('name'),
    namespace: text('namespace'),
    labelSelector: text('labelSelector'),
    annotationSelector: text('annotationSelector'),
  };
}

function readPatch(reader: Reader, node: KNode, path: string): PatchEntry {
  const fields = reader.fields(node, ['path', 'patch', 'target', 'options'], path);
  const text = (name: string): Spanned<string> | undefined => {
    const entry = fields.get(name);
    if (!entry || isNull(entry.value)) return undefined;
    return { value: reader.string(entry.value, `${path}.${name}`), node: entry.value, path: `${path}.${name}` };
  };
  const target = fields.get('target');
  const options = fields.get('options');
  let allowNameChange = false;
  let allowKindChange = false;
  if (options && !isNull(options.value)) {
    if (options.value.kind !== 'map') throw reader.error(options.value, `${path}.options must be a map of option names to true or false`);
    for (const entry of options.value.entries) {
      const enabled = reader.boolean(entry.value, `${path}.options.${entry.key}`);
      if (entry.key === 'allowNameChange') allowNameChange = enabled;
      if (entry.key === 'allowKindChange') allowKindChange = enabled;
    }
  }
  return {
    path: text('path'),
    patch: text('patch'),
    target: target && !isNull(target.value) ? readTarget(reader, target.value, `${path}.target`) : undefined,
    allowNameChange,
    allowKindChange,
    node,
  };
}

function readGenerator(reader: Reader, node: KNode, path: string, secret: boolean): GeneratorArgs {
  const known = ['name', 'namespace', 'behavior', 'literals', 'files', 'envs', 'env', 'options', ...(secret ? ['type'] : [])];
  const fields = reader.fields(node, known, path);
  const text = (name: string): Spanned<string> | undefined => {
    const entry = fields.get(name);
    if (!entry || isNull(entry.value)) return undefined;
    return { value: reader.string(entry.value, `${path}.${name}`), node: entry.value, path: `${path}.${name}` };
  };
  const behaviorText = text('behavior')?.value ?? '';
  const behavior = behaviorText === 'merge' ? 'merge' : behaviorText === 'replace' ? 'replace' : 'create';
  const list = (name: string): Spanned<string>[] => (fields.has(name) ? reader.stringList(fields.get(name)!.value, `${path}.${name}`) : []);
  const env = text('env');
  const options = fields.get('options');
  return {
    name: text('name'),
    namespace: text('namespace'),
    behavior,
    literals: list('literals'),
    files: list('files'),
    envs: [...list('envs'), ...(env && env.value !== '' ? [env] : [])],
    options: options && !isNull(options.value) ? readGeneratorOptions(reader, options.value, `${path}.options`) : undefined,
    type: secret ? text('type')?.value : undefined,
    node,
    path,
  };
}

function readGeneratorOptions(reader: Reader, node: KNode, path: string): GeneratorOptions {
  const fields = reader.fields(node, ['labels', 'annotations', 'disableNameSuffixHash', 'immutable'], path);
  return {
    labels: fields.has('labels') ? reader.stringMap(fields.get('labels')!.value, `${path}.labels`) : [],
    annotations: fields.has('annotations') ? reader.stringMap(fields.get('annotations')!.value, `${path}.annotations`) : [],
    disableNameSuffixHash: fields.has('disableNameSuffixHash') ? reader.boolean(fields.get('disableNameSuffixHash')!.value, `${path}.disableNameSuffixHash`) : false,
    immutable: fields.has('immutable') ? reader.boolean(fields.get('immutable')!.value, `${path}.immutable`) : false,
  };
}

function readSortOptions(reader: Reader, node: KNode): SortOptions {
  const fields = reader.fields(node, ['order', 'legacySortOptions'], 'sortOptions');
  const orderNode = fields.get('order');
  const order = orderNode ? reader.string(orderNode.value, 'sortOptions.order') : '';
  if (order !== 'legacy' && order !== 'fifo') throw reader.error(orderNode?.value ?? node, "sortOptions.order must be 'legacy' or 'fifo'");
  const legacy = fields.get('legacySortOptions');
  if (!legacy || isNull(legacy.value)) return { order };
  if (order !== 'legacy') throw reader.error(legacy.value, "sortOptions.legacySortOptions only applies to order 'legacy'");
  const legacyFields = reader.fields(legacy.value, ['orderFirst', 'orderLast'], 'sortOptions.legacySortOptions');
  const kinds = (name: string): string[] => (legacyFields.has(name) ? reader.stringList(legacyFields.get(name)!.value, `sortOptions.legacySortOptions.${name}`).map((item) => item.value) : []);
  return { order, orderFirst: kinds('orderFirst'), orderLast: kinds('orderLast') };
}

/** Typed reads from the kustomization tree; every failure names the field and points at its node. */
class Reader {
  constructor(private readonly file: string) {}

  error(node: KNode | undefined, message: string): BuildError {
    const span = node?.origin;
    return new BuildError(`invalid kustomization: ${message}`, 'invalid-kustomization', span && span.file === this.file ? span : { file: this.file, range: { start: 0, end: 0 } });
  }

  /** The map's entries by field name; unknown names are errors, names match case-insensitively as Go's JSON decoding does. */
  fields(node: KNode, known: readonly string[], what: string): Map<string, KEntry> {
    if (node.kind !== 'map') throw this.error(node, `${what} must be a map`);
    const out = new Map<string, KEntry>();
    for (const entry of node.entries) {
      const name = known.includes(entry.key) ? entry.key : known.find((candidate) => candidate.toLowerCase() === entry.key.toLowerCase());
      if (!name) throw this.errorAtKey(entry, `unknown field "${entry.key}" in ${what}`);
      out.set(name, entry);
    }
    return out;
  }

  private errorAtKey(entry: KEntry, message: string): BuildError {
    return new BuildError(`invalid kustomization: ${message}`, 'invalid-kustomization', entry.keyOrigin && entry.keyOrigin.file === this.file ? entry.keyOrigin : { file: this.file, range: { start: 0, end: 0 } });
  }

  string(node: KNode, what: string): string {
    if (node.kind === 'scalar' && typeof node.data === 'string') return node.data;
    if (node.kind === 'scalar' && node.data === null) return '';
    if (node.kind === 'scalar') throw this.error(node, `${what} must be a string; quote ${JSON.stringify(scalarString(node))} to make it one`);
    throw this.error(node, `${what} must be a string`);
  }

  boolean(node: KNode, what: string): boolean {
    if (node.kind === 'scalar' && typeof node.data === 'boolean') return node.data;
    if (node.kind === 'scalar' && node.data === null) return false;
    throw this.error(node, `${what} must be true or false`);
  }

  integer(node: KNode, what: string): number {
    if (node.kind === 'scalar' && typeof node.data === 'number' && Number.isInteger(node.data)) return node.data;
    throw this.error(node, `${what} must be a whole number`);
  }

  list(node: KNode | undefined, what: string): Array<{ node: KNode; path: string }> {
    if (!node || isNull(node)) return [];
    if (node.kind !== 'seq') throw this.error(node, `${what} must be a list`);
    return node.items.map((item, index) => ({ node: item, path: `${what}[${index}]` }));
  }

  stringList(node: KNode, what: string): Spanned<string>[] {
    return this.list(node, what).map((item) => ({ value: this.string(item.node, item.path), node: item.node, path: item.path }));
  }

  stringMap(node: KNode, what: string): KeyValue[] {
    if (isNull(node)) return [];
    if (node.kind !== 'map') throw this.error(node, `${what} must be a map of strings`);
    return node.entries.map((entry) => ({
      key: entry.key,
      value: this.string(entry.value, `${what}.${entry.key}`),
      keySpan: entry.keyOrigin,
      valueNode: entry.value,
      path: `${what}.${entry.key}`,
    }));
  }
}
