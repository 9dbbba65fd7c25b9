import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from './yaml';
import type { OffsetRange } from './types';

const MERGE_KEY = '<<';

interface MapIndex {
  readonly pairs: Map<string, Pair<Scalar, unknown>>;
  readonly merged: unknown[];
}
const MAX_ALIAS_HOPS = 16;
/**
 * `<<` chains deeper than this are not followed (real files nest a handful); the tree records where
 * it stopped so the analysis reports it (SBD011) instead of silently missing a key beyond it.
 */
export const MAX_MERGE_DEPTH = 64;

/**
 * Read-only access to one parsed YAML document's syntax tree. Rules read the tree, never
 * `toJS()`: the tree keeps ranges, sees every duplicate key, and never expands aliases
 * (so alias bombs cost nothing). Aliases are resolved one node at a time through an anchor
 * table built on first use.
 */
export class YamlTree {
  private anchors: Map<string, Node[]> | undefined;
  private readonly mapIndexes = new WeakMap<YAMLMap, MapIndex>();
  /** The first map whose `<<` chain went past MAX_MERGE_DEPTH, if any. */
  mergeTooDeep: OffsetRange | undefined;

  constructor(
    readonly document: Document.Parsed,
    /** Text of this document's segment; every range in the tree is an offset into it. */
    readonly text: string,
  ) {}

  get root(): Node | null {
    return this.document.contents as Node | null;
  }

  /** Follows aliases to the anchored node; undefined for a dangling or cyclic alias. */
  resolve(node: unknown): Node | undefined {
    let current = node;
    for (let hops = 0; isAlias(current); hops++) {
      if (hops >= MAX_ALIAS_HOPS) return undefined;
      current = this.findAnchor(current.source, (current.range ?? [0])[0]);
    }
    return (current ?? undefined) as Node | undefined;
  }

  /** The pair for `key` in a map, honouring `<<` merge keys. The last duplicate wins, as at runtime. */
  pair(map: unknown, key: string): Pair<Scalar, unknown> | undefined {
    const resolved = this.resolve(map);
    if (!isMap(resolved)) return undefined;
    return this.pairIn(resolved, key, 0);
  }

  /**
   * Own keys first, then each merge source in order, depth-first (YAML 1.1 merge: earlier sources
   * win). Every map is visited once, so cyclic merges end; the depth is bounded and reported.
   */
  private pairIn(map: YAMLMap, key: string, depth: number, visited?: Set<YAMLMap>): Pair<Scalar, unknown> | undefined {
    const { pairs, merged } = this.indexOf(map);
    const found = pairs.get(key);
    if (found || merged.length === 0) return found;
    // Only maps with merge keys pay for the cycle check.
    visited ??= new Set<YAMLMap>();
    visited.add(map);
    if (depth >= MAX_MERGE_DEPTH) {
      this.mergeTooDeep ??= rangeOf(map);
      return undefined;
    }
    for (const candidate of this.mergeSources(merged)) {
      if (visited.has(candidate)) continue;
      const inner = this.pairIn(candidate, key, depth + 1, visited);
      if (inner) return inner;
    }
    return undefined;
  }

  /** The maps `<<` values name, aliases resolved, in order. */
  private mergeSources(merged: readonly unknown[]): YAMLMap[] {
    const maps: YAMLMap[] = [];
    for (const source of merged) {
      const resolved = this.resolve(source);
      for (const candidate of isSeq(resolved) ? resolved.items.map((i) => this.resolve(i)) : [resolved]) if (isMap(candidate)) maps.push(candidate);
    }
    return maps;
  }

  /**
   * Key → pair (the last duplicate wins) and the `<<` merge sources of a map, built on first use.
   * Rules look keys up by name over and over (a service per lookup in a map of hundreds), so a
   * scan per lookup would make analysis quadratic. The tree is never mutated, so the index stays valid.
   */
  private indexOf(map: YAMLMap): MapIndex {
    let index = this.mapIndexes.get(map);
    if (index) return index;
    index = { pairs: new Map(), merged: [] };
    for (const item of map.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const name = String(item.key.value);
      index.pairs.set(name, item as Pair<Scalar, unknown>);
      if (name === MERGE_KEY && item.key.type === 'PLAIN') index.merged.push(item.value);
    }
    this.mapIndexes.set(map, index);
    return index;
  }

  /** Value node of `key` (alias resolved). */
  get(map: unknown, key: string): Node | undefined {
    const pair = this.pair(map, key);
    return pair ? this.resolve(pair.value) : undefined;
  }

  map(map: unknown, key: string): YAMLMap | undefined {
    const value = this.get(map, key);
    return isMap(value) ? value : undefined;
  }

  seq(map: unknown, key: string): YAMLSeq | undefined {
    const value = this.get(map, key);
    return isSeq(value) ? value : undefined;
  }

  scalar(map: unknown, key: string): Scalar | undefined {
    const value = this.get(map, key);
    return isScalar(value) ? value : undefined;
  }

  /** String form of a scalar value (numbers and booleans included), else undefined. */
  string(map: unknown, key: string): string | undefined {
    return scalarText(this.get(map, key));
  }

  /** Boolean value, accepting the string spellings compose files use ("true", "yes"). */
  boolean(map: unknown, key: string): boolean | undefined {
    return asBoolean(this.get(map, key));
  }

  /** Entries of a map as [key scalar, resolved value] with merge keys expanded (own keys win; cyclic merges end). */
  entries(map: unknown): Array<[Scalar, Node | undefined, Pair]> {
    const resolved = this.resolve(map);
    if (!isMap(resolved)) return [];
    const own: Array<[Scalar, Node | undefined, Pair]> = [];
    const seen = new Set<string>();
    const visited = new Set<YAMLMap>();
    const collect = (current: YAMLMap, depth: number) => {
      visited.add(current);
      const merged: unknown[] = [];
      for (const item of current.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const name = String(item.key.value);
        if (name === MERGE_KEY && item.key.type === 'PLAIN') {
          merged.push(item.value);
          continue;
        }
        if (seen.has(name)) continue;
        seen.add(name);
        own.push([item.key, this.resolve(item.value), item]);
      }
      if (merged.length === 0) return;
      if (depth >= MAX_MERGE_DEPTH) {
        this.mergeTooDeep ??= rangeOf(current);
        return;
      }
      for (const candidate of this.mergeSources(merged)) if (!visited.has(candidate)) collect(candidate, depth + 1);
    };
    collect(resolved, 0);
    return own;
  }

  /** Items of a sequence, aliases resolved. */
  items(seq: unknown): Node[] {
    const resolved = this.resolve(seq);
    if (!isSeq(resolved)) return [];
    const out: Node[] = [];
    for (const item of resolved.items) {
      const node = this.resolve(item);
      if (node) out.push(node);
    }
    return out;
  }

  private findAnchor(name: string, before: number): Node | undefined {
    if (!this.anchors) this.anchors = collectAnchors(this.root);
    const candidates = this.anchors.get(name);
    if (!candidates) return undefined;
    let best: Node | undefined;
    for (const node of candidates) {
      const start = node.range?.[0] ?? 0;
      if (start < before) best = node;
    }
    return best ?? candidates[candidates.length - 1];
  }
}

/** Iterative walk (deeply nested input must not overflow the stack). */
function collectAnchors(root: Node | null): Map<string, Node[]> {
  const anchors = new Map<string, Node[]>();
  const stack: unknown[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!node || typeof node !== 'object' || isAlias(node)) continue;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) {
      const list = anchors.get(anchor) ?? [];
      list.push(node as Node);
      anchors.set(anchor, list);
    }
    if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  for (const list of anchors.values()) list.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
  return anchors;
}

export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    // Keep the source spelling of numbers ("0755", "1.10") where we have it.
    return node.source ?? String(value);
  }
  return undefined;
}

export function asBoolean(node: unknown): boolean | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value === 'string') {
    const text = node.value.trim().toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(text)) return true;
    if (['false', 'no', 'off', '0'].includes(text)) return false;
  }
  if (typeof node.value === 'number') return node.value !== 0;
  return undefined;
}

/** The range of a node's value (without trailing comments or line ends). */
export function rangeOf(node: unknown): OffsetRange | undefined {
  const range = (node as Node | undefined)?.range;
  if (!range) return undefined;
  return { start: range[0], end: Math.max(range[0], range[1]) };
}

/** Range of a scalar's text without its quotes; other nodes' ranges as `rangeOf` gives them. */
export function valueTextRange(text: string, node: unknown): OffsetRange | undefined {
  const range = rangeOf(node);
  if (!range || !isScalar(node)) return range;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    const first = text[range.start];
    if ((first === '"' || first === "'") && range.end - range.start >= 2) return { start: range.start + 1, end: range.end - 1 };
  }
  return range;
}

/** Range of the key of a pair: where "this key is wrong" should point. */
export function keyRange(pair: Pair): OffsetRange | undefined {
  return rangeOf(pair.key);
}

/**
 * Visits every scalar under `root` with the key it is the value of, in document order (iteratively;
 * aliases are not followed). With `enter`, a node (the root included) for which it answers false is
 * skipped with everything under it.
 */
export function forEachScalar(root: unknown, visit: (scalar: Scalar, key: string | undefined) => void, enter?: (node: unknown) => boolean): void {
  const stack: Array<[unknown, string | undefined]> = !enter || enter(root) ? [[root, undefined]] : [];
  const push = (node: unknown, key: string | undefined) => {
    if (!enter || enter(node)) stack.push([node, key]);
  };
  while (stack.length > 0) {
    const [node, key] = stack.pop()!;
    if (isScalar(node)) visit(node, key);
    else if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        push(pair.value, isScalar(pair.key) ? String(pair.key.value) : undefined);
      }
    } else if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) push(node.items[i], key);
  }
}
