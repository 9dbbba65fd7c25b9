import { isMap, isSeq, type Node, type YAMLMap } from './yaml';
import { rangeOf, type YamlTree } from './tree';
import { columnOf } from './positions';
import type { Fix, TextEdit } from './types';

/**
 * Text edits computed from YAML nodes. They touch as little text as possible and keep the
 * user's comments and indentation; every fix is re-analysed in the tests to prove it removes
 * its finding.
 */

export function replaceNode(node: unknown, newText: string): TextEdit | undefined {
  const range = rangeOf(node);
  return range ? { start: range.start, end: range.end, newText } : undefined;
}

export function fix(title: string, edits: Array<TextEdit | undefined>, safe = true): Fix[] {
  const present = edits.filter((edit): edit is TextEdit => edit !== undefined);
  return present.length === edits.length && present.length > 0 ? [{ title, edits: present, safe }] : [];
}

/** Indentation unit of the document (2 unless the text clearly uses 4). */
export function indentUnit(text: string): number {
  const match = /\n( +)\S/.exec(text);
  return match && match[1].length === 4 ? 4 : 2;
}

/**
 * Inserts `key: value` lines into a block or flow map. `lines` are the entry's lines with
 * indentation relative to the key (nested lines start with the document's indent unit).
 * Inserting before the first key keeps sequence items (`- name: x`) valid.
 */
export function insertIntoMap(tree: YamlTree, map: YAMLMap, lines: string[]): TextEdit | undefined {
  const text = tree.text;
  const range = rangeOf(map);
  if (!range) return undefined;
  if (map.flow) {
    const open = text.indexOf('{', range.start);
    if (open === -1) return undefined;
    const flowText = lines.map((line) => line.trim()).join(' ');
    const isEmpty = map.items.length === 0;
    return { start: open + 1, end: open + 1, newText: isEmpty ? ` ${flowText} ` : ` ${flowText},` };
  }
  const first = map.items[0];
  const firstKey = first ? rangeOf(first.key) : undefined;
  if (!firstKey) return undefined;
  const column = columnOf(text, firstKey.start);
  const indent = ' '.repeat(column);
  const body = lines.map((line, index) => (index === 0 ? line : indent + line)).join('\n');
  return { start: firstKey.start, end: firstKey.start, newText: `${body}\n${indent}` };
}

/**
 * Sets `key` in `map` to a scalar (replacing an existing value, else inserting the entry).
 */
export function setMapValue(tree: YamlTree, map: YAMLMap, key: string, valueText: string): TextEdit | undefined {
  const pair = tree.pair(map, key);
  if (pair) {
    const value = pair.value as Node | null;
    if (value && rangeOf(value) && !isMap(value) && !isSeq(value)) return replaceNode(value, valueText);
    const keyRange = rangeOf(pair.key);
    if (!keyRange) return undefined;
    // `key:` with no value: put the value after the colon.
    const colon = tree.text.indexOf(':', keyRange.end);
    return colon === -1 ? undefined : { start: colon + 1, end: colon + 1, newText: ` ${valueText}` };
  }
  return insertIntoMap(tree, map, [`${key}: ${valueText}`]);
}

/**
 * Ensures `path` of nested maps exists under `map` and sets the last key. Creates the missing
 * maps as block YAML with the document's indentation.
 */
export function setNestedValue(tree: YamlTree, map: YAMLMap, path: string[], valueText: string): TextEdit | undefined {
  let current = map;
  for (let i = 0; i < path.length - 1; i++) {
    const next = tree.get(current, path[i]);
    if (isMap(next) && (next.items.length > 0 || next.flow)) {
      current = next;
      continue;
    }
    if (next !== undefined && !(isMap(next) && next.items.length === 0) && !isNullScalar(next)) return undefined;
    const unit = ' '.repeat(indentUnit(tree.text));
    const rest = path.slice(i);
    const lines = rest.map((segment, depth) => unit.repeat(depth) + (depth === rest.length - 1 ? `${segment}: ${valueText}` : `${segment}:`));
    const existing = tree.pair(current, path[i]);
    if (existing) {
      // Replace an empty `key:` / `key: {}` entry with the nested block.
      const keyRange = rangeOf(existing.key);
      const valueRange = rangeOf(existing.value);
      if (!keyRange) return undefined;
      const column = columnOf(tree.text, keyRange.start);
      const indent = ' '.repeat(column);
      const nested = lines.slice(1).map((line) => `\n${indent}${line}`).join('');
      return { start: keyRange.end, end: valueRange && valueRange.end > keyRange.end ? valueRange.end : keyRange.end + 1, newText: `:${nested}` };
    }
    return insertIntoMap(tree, current, lines);
  }
  return setMapValue(tree, current, path[path.length - 1], valueText);
}

function isNullScalar(node: unknown): boolean {
  return typeof node === 'object' && node !== null && 'value' in node && (node as { value: unknown }).value === null;
}

/** Deletes a whole `key: value` entry of a block map, including its line. */
export function deletePair(tree: YamlTree, map: YAMLMap, key: string): TextEdit | undefined {
  const pair = tree.pair(map, key);
  if (!pair || map.flow) return undefined;
  const keyRange = rangeOf(pair.key);
  const valueEnd = (pair.value as Node | null)?.range?.[2] ?? keyRange?.end;
  if (!keyRange || valueEnd === undefined) return undefined;
  const text = tree.text;
  const lineStart = text.lastIndexOf('\n', keyRange.start - 1) + 1;
  const onlyKeyOnLine = text.slice(lineStart, keyRange.start).trim() === '';
  let end = valueEnd;
  if (end > 0 && text[end - 1] !== '\n') {
    const newline = text.indexOf('\n', end);
    end = newline === -1 ? text.length : newline + 1;
  }
  return onlyKeyOnLine ? { start: lineStart, end, newText: '' } : undefined;
}

/** Appends an item to a block or flow sequence. */
export function appendToSeq(tree: YamlTree, seq: Node, itemText: string): TextEdit | undefined {
  if (!isSeq(seq)) return undefined;
  const range = rangeOf(seq);
  if (!range) return undefined;
  if (seq.flow) {
    const close = tree.text.lastIndexOf(']', range.end);
    if (close === -1) return undefined;
    return { start: close, end: close, newText: seq.items.length > 0 ? `, ${itemText}` : itemText };
  }
  const first = seq.items[0] as Node | undefined;
  const firstRange = rangeOf(first);
  if (!firstRange) return undefined;
  const dash = tree.text.lastIndexOf('-', firstRange.start);
  const column = columnOf(tree.text, dash);
  return { start: dash, end: dash, newText: `- ${itemText}\n${' '.repeat(column)}` };
}
