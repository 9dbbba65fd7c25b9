import { YamlTree } from '../../core/tree';
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node as YamlNode, type Scalar } from '../../core/yaml';
import type { SourceSpan, ValueOrigin } from '../sourceMap';

/**
 * The tree a Kustomize build works on. Every node remembers where it came from, so the built YAML
 * can be mapped back to the base line, the patch line or the kustomization field that produced it:
 *
 * - `origin` is the producer: the node's own place in a base resource, or, for a node a patch or
 *   a kustomization field added, the place in the base it was merged into.
 * - `value` is set when a patch or a kustomization field set the node: that place is where a fix belongs.
 *
 * Nodes are mutable: transformers edit a build's private copy (`cloneNode`), never a cached parse.
 */
export type KNode = KScalar | KMap | KSeq;
export type ScalarData = string | number | boolean | null;

export interface KScalar {
  readonly kind: 'scalar';
  data: ScalarData;
  origin: SourceSpan | undefined;
  value?: ValueOrigin;
  /** A key with no value at all (`key:`), which a strategic merge drops where an explicit `null` survives. */
  empty?: boolean;
}

export interface KEntry {
  key: string;
  keyOrigin: SourceSpan | undefined;
  keyValue?: ValueOrigin;
  value: KNode;
}

export interface KMap {
  readonly kind: 'map';
  entries: KEntry[];
  origin: SourceSpan | undefined;
  value?: ValueOrigin;
}

export interface KSeq {
  readonly kind: 'seq';
  items: KNode[];
  origin: SourceSpan | undefined;
  value?: ValueOrigin;
}

export function kScalar(data: ScalarData, origin?: SourceSpan, value?: ValueOrigin): KScalar {
  return value ? { kind: 'scalar', data, origin, value } : { kind: 'scalar', data, origin };
}

export function kMap(entries: KEntry[] = [], origin?: SourceSpan, value?: ValueOrigin): KMap {
  return value ? { kind: 'map', entries, origin, value } : { kind: 'map', entries, origin };
}

export function kSeq(items: KNode[] = [], origin?: SourceSpan, value?: ValueOrigin): KSeq {
  return value ? { kind: 'seq', items, origin, value } : { kind: 'seq', items, origin };
}

/** Deep copy (iterative over maps and sequences is not needed: trees are bounded by `NodeBudget`). */
export function cloneNode<T extends KNode>(node: T): T {
  switch (node.kind) {
    case 'scalar': {
      const copy: KScalar = { kind: 'scalar', data: node.data, origin: node.origin };
      if (node.value) copy.value = node.value;
      if (node.empty) copy.empty = true;
      return copy as T;
    }
    case 'map': {
      const entries: KEntry[] = new Array(node.entries.length);
      for (let i = 0; i < entries.length; i++) {
        const entry = node.entries[i];
        entries[i] = entry.keyValue ? { key: entry.key, keyOrigin: entry.keyOrigin, keyValue: entry.keyValue, value: cloneNode(entry.value) } : { key: entry.key, keyOrigin: entry.keyOrigin, value: cloneNode(entry.value) };
      }
      const copy: KMap = { kind: 'map', entries, origin: node.origin };
      if (node.value) copy.value = node.value;
      return copy as T;
    }
    case 'seq': {
      const copy: KSeq = { kind: 'seq', items: node.items.map((item) => cloneNode(item)), origin: node.origin };
      if (node.value) copy.value = node.value;
      return copy as T;
    }
  }
}

export function isNullNode(node: KNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.data === null);
}

/** The textual value of a scalar as Kustomize compares it ('' for null); undefined for collections. */
export function scalarString(node: KNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar') return undefined;
  const data = node.data;
  if (data === null) return '';
  return typeof data === 'string' ? data : String(data);
}

export function entryOf(map: KMap, key: string): KEntry | undefined {
  for (const entry of map.entries) if (entry.key === key) return entry;
  return undefined;
}

export function valueOf(map: KNode | undefined, key: string): KNode | undefined {
  if (!map || map.kind !== 'map') return undefined;
  return entryOf(map, key)?.value;
}

export function mapAt(node: KNode | undefined, ...path: string[]): KMap | undefined {
  let current = node;
  for (const key of path) current = valueOf(current, key);
  return current?.kind === 'map' ? current : undefined;
}

export function stringAt(node: KNode | undefined, ...path: string[]): string | undefined {
  let current = node;
  for (const key of path) current = valueOf(current, key);
  return current?.kind === 'scalar' && current.data !== null ? scalarString(current) : undefined;
}

/** Sets `key` to `value`, keeping the key's place (and its origin) when it exists. */
export function setEntry(map: KMap, key: string, value: KNode, keyOrigin?: SourceSpan, keyValue?: ValueOrigin): KEntry {
  const existing = entryOf(map, key);
  if (existing) {
    existing.value = value;
    return existing;
  }
  const entry: KEntry = keyValue ? { key, keyOrigin, keyValue, value } : { key, keyOrigin, value };
  map.entries.push(entry);
  return entry;
}

export function deleteEntry(map: KMap, key: string): void {
  const index = map.entries.findIndex((entry) => entry.key === key);
  if (index >= 0) map.entries.splice(index, 1);
}

/** Plain JavaScript value of a node (for hashing, JSON patch `test` and comparisons). */
export function toPlain(node: KNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.data;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) out[entry.key] = toPlain(entry.value);
      return out;
    }
  }
}

export function nodesEqual(a: KNode, b: KNode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'scalar') return a.data === (b as KScalar).data;
  if (a.kind === 'seq') {
    const other = b as KSeq;
    return a.items.length === other.items.length && a.items.every((item, i) => nodesEqual(item, other.items[i]));
  }
  const other = b as KMap;
  if (a.entries.length !== other.entries.length) return false;
  for (const entry of a.entries) {
    const match = entryOf(other, entry.key);
    if (!match || !nodesEqual(entry.value, match.value)) return false;
  }
  return true;
}

/** Raised for a map that repeats a key. */
export class DuplicateKey extends Error {
  constructor(
    readonly key: string,
    readonly span: SourceSpan | undefined,
  ) {
    super(`the key "${key}" is repeated in the same map`);
  }
}

/** Raised when a tree grows past its node budget (alias bombs, huge generated inputs). */
export class NodeBudgetExceeded extends Error {}

/** Counts nodes created from one file so an alias bomb cannot expand without bound. */
export interface NodeBudget {
  remaining: number;
}

export interface ConvertContext {
  readonly file: string;
  readonly document: Document.Parsed;
  /** Maps an offset into the parsed text to an offset into `file` (identity for whole files, a line map for inline patches). */
  readonly toFileOffset: (offset: number) => number;
  readonly budget: NodeBudget;
  /** How plain scalars resolve: Kustomize reads resources with yaml.v3 rules, but JSON patch values with YAML 1.1. */
  readonly plainScalars?: 'yaml-v3' | 'yaml-1.1';
}

const MAX_ALIAS_DEPTH = 64;

/**
 * Converts a parsed YAML node into a build tree with source spans. Aliases are expanded (Kustomize
 * de-anchors every resource) and `<<` merge keys are applied with the map's own keys winning.
 * Throws `NodeBudgetExceeded` when the expansion passes the budget.
 */
export function fromYaml(node: unknown, context: ConvertContext, aliasDepth = 0): KNode {
  if (--context.budget.remaining < 0) throw new NodeBudgetExceeded('the YAML expands to too many nodes (aliases?)');
  if (isAlias(node)) {
    if (aliasDepth >= MAX_ALIAS_DEPTH) throw new NodeBudgetExceeded('aliases are nested too deeply');
    return fromYaml(resolveAlias(node, context) ?? null, context, aliasDepth + 1);
  }
  const origin = spanOf(node as YamlNode | undefined, context);
  if (isMap(node)) {
    const entries: KEntry[] = [];
    const seen = new Set<string>();
    const merged: unknown[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.source === '<<') {
        merged.push(pair.value);
        continue;
      }
      const key = keyText(keyNode, context);
      const value = pair.value === null || pair.value === undefined ? emptyScalar(spanAfterKey(keyNode as YamlNode, context)) : fromYaml(pair.value, context, aliasDepth);
      // Kustomize's YAML readers refuse a map that repeats a key; which value wins would be a guess.
      if (seen.has(key)) throw new DuplicateKey(key, spanOf(keyNode as YamlNode, context));
      seen.add(key);
      entries.push({ key, keyOrigin: spanOf(keyNode as YamlNode, context), value });
    }
    for (const source of merged) {
      const sources = isSeq(source) ? source.items : [source];
      for (const candidate of sources) {
        const expanded = fromYaml(candidate, context, aliasDepth + 1);
        if (expanded.kind !== 'map') continue;
        for (const entry of expanded.entries) {
          if (seen.has(entry.key)) continue;
          seen.add(entry.key);
          entries.push(entry);
        }
      }
    }
    return kMap(entries, origin);
  }
  if (isSeq(node)) {
    return kSeq(
      node.items.map((item) => (item === null || item === undefined ? kScalar(null, origin) : fromYaml(item, context, aliasDepth))),
      origin,
    );
  }
  if (isScalar(node)) {
    if (node.type === 'PLAIN' && (node.source ?? '') === '' && !node.tag) return emptyScalar(origin);
    return kScalar(scalarData(node, context.plainScalars ?? 'yaml-v3'), origin);
  }
  return kScalar(null, origin);
}

function emptyScalar(origin: SourceSpan | undefined): KScalar {
  return { kind: 'scalar', data: null, origin, empty: true };
}

/** One read-only tree per document: its anchor table resolves aliases without walking the document per alias. */
const trees = new WeakMap<object, YamlTree>();

function resolveAlias(alias: Alias, context: ConvertContext): YamlNode | undefined {
  let tree = trees.get(context.document);
  if (!tree) {
    tree = new YamlTree(context.document, '');
    trees.set(context.document, tree);
  }
  return tree.resolve(alias);
}

function keyText(key: unknown, context: ConvertContext): string {
  if (isScalar(key)) {
    if (key.type === 'PLAIN') return key.source ?? String(key.value);
    return String(key.value ?? '');
  }
  if (isAlias(key)) return keyText(resolveAlias(key, context), context);
  return String((key as { toString?: () => string })?.toString?.() ?? '');
}

function spanOf(node: YamlNode | undefined, context: ConvertContext): SourceSpan | undefined {
  const range = node?.range;
  if (!range) return undefined;
  const start = context.toFileOffset(range[0]);
  const end = context.toFileOffset(Math.max(range[0], range[1]));
  return { file: context.file, range: { start, end: Math.max(start, end) } };
}

/** An empty value (`key:`) has no node; point just after the key. */
function spanAfterKey(key: YamlNode, context: ConvertContext): SourceSpan | undefined {
  const span = spanOf(key, context);
  return span ? { file: span.file, range: { start: span.range.end, end: span.range.end } } : undefined;
}

function scalarData(node: Scalar, mode: 'yaml-v3' | 'yaml-1.1'): ScalarData {
  const explicitTag = node.tag;
  if (node.type !== 'PLAIN' || explicitTag === 'tag:yaml.org,2002:str' || explicitTag === '!!str') {
    const value = node.value;
    if (value === null || value === undefined) return node.type === 'PLAIN' ? null : '';
    return typeof value === 'string' ? value : String(node.source ?? value);
  }
  const text = node.source ?? (node.value === null ? '' : String(node.value));
  return mode === 'yaml-1.1' ? resolveYaml11Plain(text) : resolvePlainScalar(text);
}

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DATE_ONLY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?)?$/;

/**
 * Resolves a plain scalar as Kustomize does: it reads YAML with go-yaml v3 (YAML 1.2 booleans and
 * nulls, but 1.1-style octals such as `0755` still read as numbers) and writes its output through
 * JSON, so `0755` comes out as 493 and an unquoted date as an RFC 3339 timestamp string.
 */
export function resolvePlainScalar(text: string): ScalarData {
  switch (text) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Infinity;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return -Infinity;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return NaN;
  }
  const first = text.charCodeAt(0);
  const digitOrSign = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!digitOrSign) return text;
  const timestamp = resolveTimestamp(text);
  if (timestamp !== undefined) return timestamp;
  const plain = text.replace(/_/g, '');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return integer;
  if (YAML_FLOAT.test(plain)) {
    const value = Number(plain);
    if (!Number.isNaN(value)) return value;
  }
  return text;
}

/** `strconv.ParseInt(s, 0, 64)`: optional sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
function parseGoInteger(text: string): number | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const digits = match[2];
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) value = parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2);
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return sign * value;
}

function resolveTimestamp(text: string): string | undefined {
  const date = DATE_ONLY.exec(text);
  if (date) return `${date[1]}-${pad2(date[2])}-${pad2(date[3])}T00:00:00Z`;
  const time = DATE_TIME.exec(text);
  if (!time) return undefined;
  const fraction = time[7] ? time[7].replace(/0+$/, '').replace(/^\.$/, '') : '';
  let zone = time[8] ?? 'Z';
  if (zone !== 'Z') {
    const parts = /^([-+])(\d{1,2}):?(\d{2})?$/.exec(zone);
    zone = parts ? `${parts[1]}${pad2(parts[2])}:${parts[3] ?? '00'}` : 'Z';
    if (zone === '+00:00' || zone === '-00:00') zone = 'Z';
  }
  return `${time[1]}-${pad2(time[2])}-${pad2(time[3])}T${pad2(time[4])}:${pad2(time[5])}:${pad2(time[6])}${fraction}${zone}`;
}

function pad2(text: string): string {
  return text.length === 1 ? `0${text}` : text;
}

/** YAML 1.1 plain scalars, as sigs.k8s.io/yaml reads a JSON patch's `value` (yes/no/on/off are booleans). */
function resolveYaml11Plain(text: string): ScalarData {
  if (/^(?:y|Y|yes|Yes|YES|on|On|ON)$/.test(text)) return true;
  if (/^(?:n|N|no|No|NO|off|Off|OFF)$/.test(text)) return false;
  return resolvePlainScalar(text);
}
