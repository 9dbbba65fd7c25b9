import { isSeq, type YAMLMap } from '../core/yaml';
import { asBoolean, rangeOf, scalarText, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { Located } from './architecture';

/** Reading located values from a model's syntax tree (shared by our format and the Threagile reader). */

export function locatedString(tree: YamlTree, map: unknown, key: string): Located<string> | undefined {
  const node = tree.get(map, key);
  const value = scalarText(node);
  const range = rangeOf(node);
  return value !== undefined && value !== '' && range ? { value, range } : undefined;
}

export function locatedBoolean(tree: YamlTree, map: unknown, key: string): Located<boolean> | undefined {
  const node = tree.get(map, key);
  const value = asBoolean(node);
  const range = rangeOf(node);
  return value !== undefined && range ? { value, range } : undefined;
}

/** A scalar or a list of scalars, each with its range. */
export function locatedList(tree: YamlTree, map: unknown, key: string): Located<string>[] {
  const node = tree.get(map, key);
  const nodes = isSeq(node) ? tree.items(node) : [node];
  const out: Located<string>[] = [];
  for (const item of nodes) {
    const value = scalarText(item);
    const range = rangeOf(item);
    if (value !== undefined && value !== '' && range) out.push({ value, range });
  }
  return out;
}

export function keyRangeOf(tree: YamlTree, map: unknown, key: string): OffsetRange | undefined {
  const pair = tree.pair(map, key);
  return pair ? rangeOf(pair.key) : undefined;
}

export function sectionKeys(tree: YamlTree, root: YAMLMap, names: readonly string[]): Record<string, OffsetRange> {
  const keys: Record<string, OffsetRange> = {};
  for (const name of names) {
    const range = keyRangeOf(tree, root, name);
    if (range) keys[name] = range;
  }
  return keys;
}

