/**
 * Reads a values file (or any YAML Helm reads into template data: `fromYaml`, `Chart.yaml`) into
 * template values, keeping for every key and list item the span of the file that set it. YAML 1.1
 * as Helm reads it (go-yaml v2: `yes`/`on` are booleans), numbers as float64 (Helm converts values
 * through JSON), merge keys (`<<`) resolved, aliases expanded with a bound (alias bombs stop with
 * an error), timestamps kept as their text.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from '../../core/yaml';
import type { ValueOrigin } from '../sourceMap';
import { setKeyOrigin, setSelfOrigin } from './template/provenance';
import { newMap, type GoMap, type GoValue } from './template/values';

export interface ValuesProblem {
  readonly file: string;
  readonly range: { start: number; end: number };
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface ParsedValues {
  /** The top-level map (empty when the file is empty, not a map, or broken). */
  readonly values: GoMap;
  readonly problems: ValuesProblem[];
}

/** At most this many nodes are materialised from one file (aliases included). */
const MAX_NODES = 100_000;
/** At most this many values come from expanding aliases (real values files reuse a few small anchors). */
const MAX_ALIAS_NODES = 20_000;

/**
 * Parses YAML text into values with origins. `file` names the file in origins; `pathPrefix` is
 * prepended to origin paths (a subchart's values are `sub.key` as the parent sees them).
 * Never throws: syntax errors are returned as problems and the parsable part is kept.
 */
export function parseValuesYaml(text: string, file: string, pathPrefix = '', topLevel: 'map' | 'any' = 'map'): ParsedValues & { value: GoValue } {
  const problems: ValuesProblem[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter, prettyErrors: false, uniqueKeys: false, merge: false, keepSourceTokens: false });
  for (const error of doc.errors) {
    problems.push({ file, range: { start: error.pos[0], end: error.pos[1] }, message: error.message.split('\n')[0], severity: 'error' });
  }
  let budget = MAX_NODES;
  let aliasBudget = MAX_ALIAS_NODES;
  // Alias.resolve searches the document; resolve each alias once.
  const aliasTargets = new Map<Node, Node | undefined>();
  const sizes = new Map<Node, number>();
  /** Nodes a subtree expands to, aliases included (memoised, capped just above the budget). */
  const sizeOf = (node: Node | null | undefined, depth: number): number => {
    if (!node || depth > 500) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (isAlias(node)) {
      if (!aliasTargets.has(node)) aliasTargets.set(node, node.resolve(doc) as Node | undefined);
      size = sizeOf(aliasTargets.get(node), depth + 1);
    } else if (isMap(node)) {
      for (const pair of node.items) if (isPair(pair)) size += sizeOf(pair.value as Node, depth + 1);
    } else if (isSeq(node)) {
      for (const item of node.items) size += sizeOf(item as Node, depth + 1);
    }
    size = Math.min(size, MAX_NODES + 1);
    sizes.set(node, size);
    return size;
  };
  const convert = (node: Node | null | undefined, path: string, depth: number): GoValue => {
    if (--budget < 0) throw new RangeError(`more than ${MAX_NODES} values (an alias bomb?)`);
    if (depth > 500) throw new RangeError('values nested more than 500 levels');
    if (!node) return null;
    if (isAlias(node)) {
      if (!aliasTargets.has(node)) aliasTargets.set(node, node.resolve(doc) as Node | undefined);
      const target = aliasTargets.get(node);
      // Refuse an expansion that would exceed the alias budget before building any of it.
      aliasBudget -= target ? sizeOf(target, 0) : 0;
      if (aliasBudget < 0) throw new RangeError(`aliases expand to more than ${MAX_ALIAS_NODES} values (an alias bomb?)`);
      return target ? convert(target, path, depth + 1) : null;
    }
    if (isMap(node)) {
      const out = newMap();
      const mergeSources: Node[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyValue = isScalar(keyNode) ? keyNode.value : keyNode ? String(keyNode) : '';
        if (keyValue === '<<' && isScalar(keyNode) && (keyNode.source === '<<' || keyNode.type === 'PLAIN')) {
          const v = pair.value as Node | null;
          if (isSeq(v)) mergeSources.push(...(v.items as Node[]));
          else if (v) mergeSources.push(v);
          continue;
        }
        const key = keyValue === null ? 'null' : typeof keyValue === 'object' ? String(keyValue) : String(keyValue);
        const childPath = path ? `${path}.${key}` : key;
        const valueNode = pair.value as Node | null;
        const value = convert(valueNode, childPath, depth + 1);
        if (Object.prototype.hasOwnProperty.call(out, key)) {
          problems.push({ file, range: rangeOf(keyNode, text.length), message: `duplicate key "${key}": the later value wins`, severity: 'warning' });
        }
        out[key] = value;
        setKeyOrigin(out, key, originOf(file, childPath, keyNode, valueNode, value));
      }
      // Merge keys: entries of the merged maps that the map does not set itself.
      for (const source of mergeSources) {
        const merged = convert(source, path, depth + 1);
        if (merged && typeof merged === 'object' && !Array.isArray(merged)) {
          for (const key of Object.keys(merged)) if (!Object.prototype.hasOwnProperty.call(out, key)) out[key] = (merged as GoMap)[key];
        }
      }
      return out;
    }
    if (isSeq(node)) {
      const out: GoValue[] = [];
      node.items.forEach((item, i) => {
        const childPath = `${path}[${i}]`;
        const value = convert(item as Node, childPath, depth + 1);
        out.push(value);
        setKeyOrigin(out, i, originOf(file, childPath, null, item as Node, value));
      });
      return out;
    }
    if (isScalar(node)) return scalarValue(node.value, node.range ? text.slice(node.range[0], node.range[1]) : '');
    return null;
  };
  let value: GoValue = null;
  try {
    value = convert(doc.contents as Node | null, pathPrefix, 0);
  } catch (e) {
    problems.push({ file, range: { start: 0, end: 0 }, message: (e as Error).message, severity: 'error' });
    value = null;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    setSelfOrigin(value, { file, path: pathPrefix, range: { start: 0, end: 0 } });
  }
  const isMapValue = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (topLevel === 'map' && value !== null && !isMapValue) {
    problems.push({ file, range: { start: 0, end: Math.min(text.length, 1) }, message: 'values must be a map of keys to values', severity: 'error' });
  }
  return { values: isMapValue ? (value as GoMap) : newMap(), value, problems };
}

function rangeOf(node: Node | null | undefined, fallback: number): { start: number; end: number } {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : { start: fallback, end: fallback };
}

/**
 * The span a value was set at: a scalar's own text (the place a quick fix edits), a collection's
 * key (or its first line when it is a list item).
 */
function originOf(file: string, path: string, keyNode: Node | null, valueNode: Node | null, value: GoValue): ValueOrigin {
  const collection = value !== null && typeof value === 'object';
  let range: { start: number; end: number };
  if (!collection && valueNode?.range) range = { start: valueNode.range[0], end: valueNode.range[1] };
  else if (keyNode?.range) range = { start: keyNode.range[0], end: keyNode.range[1] };
  else if (valueNode?.range) range = { start: valueNode.range[0], end: valueNode.range[0] };
  else range = { start: 0, end: 0 };
  const origin: ValueOrigin = { file, path, range };
  if (collection) setSelfOrigin(value, origin);
  return origin;
}

function scalarValue(value: unknown, source: string): GoValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return source.replace(/^['"]|['"]$/g, '');
  return String(value);
}
