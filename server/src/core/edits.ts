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

/**
 * One fix from edits that must all exist (else none is offered). Not `safe` unless said so: only
 * fixes that cannot change what the service does may be applied in bulk ("fix all" on save).
 */
export function fix(title: string, edits: Array<TextEdit | undefined>, safe = false): Fix[] {
  const present = edits.filter((edit): edit is TextEdit => edit !== undefined);
  return present.length === edits.length && present.length > 0 ? [{ title, edits: present, safe }] : [];
}

/** Indentation unit of the document (2 unless the text clearly uses 4). */
export function indentUnit(text: string): number {
  const match = /\n( +)\S/.exec(text);
  return match && match[1].length === 4 ? 4 : 2;
}

/**
 * Block-style entry lines as flow text, so nested entries stay valid inside `{…}`:
 * `["capabilities:", "  drop: [ALL]"]` → `capabilities: {drop: [ALL]}`.
 */
function blockLinesToFlow(lines: readonly string[]): string {
  const entries = lines.filter((line) => line.trim() !== '').map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() }));
  let next = 0;
  const level = (indent: number): string[] => {
    const out: string[] = [];
    while (next < entries.length && entries[next].indent >= indent) {
      const { text } = entries[next++];
      if (next < entries.length && entries[next].indent > indent && text.endsWith(':')) {
        const children = level(entries[next].indent);
        const isList = children.every((child) => child.startsWith('- '));
        out.push(`${text} ${isList ? `[${children.map((child) => child.slice(2)).join(', ')}]` : `{${children.join(', ')}}`}`);
      } else out.push(text);
    }
    return out;
  };
  return level(entries[0]?.indent ?? 0).join(', ');
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
    const flowText = blockLinesToFlow(lines);
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

/**
 * Removes one item from a block or flow sequence: the whole `- item` line in block style, the
 * item and one separating comma in flow style. Removing the last block item leaves `key:` (null).
 */
export function deleteSeqItem(tree: YamlTree, seq: Node, item: Node): TextEdit | undefined {
  if (!isSeq(seq)) return undefined;
  const index = seq.items.indexOf(item as never);
  const range = rangeOf(item);
  if (index === -1 || !range) return undefined;
  const text = tree.text;
  if (seq.flow) {
    const next = seq.items[index + 1] as Node | undefined;
    const previous = seq.items[index - 1] as Node | undefined;
    const nextRange = rangeOf(next);
    const previousRange = rangeOf(previous);
    if (nextRange) return { start: range.start, end: nextRange.start, newText: '' };
    if (previousRange) return { start: previousRange.end, end: range.end, newText: '' };
    return { start: range.start, end: range.end, newText: '' };
  }
  const dash = text.lastIndexOf('-', range.start);
  const lineStart = text.lastIndexOf('\n', dash - 1) + 1;
  if (dash === -1 || text.slice(lineStart, dash).trim() !== '') return undefined;
  const itemEnd = (item as Node).range?.[2] ?? range.end;
  let end = Math.max(itemEnd, range.end);
  if (end > 0 && text[end - 1] !== '\n') {
    const newline = text.indexOf('\n', end);
    end = newline === -1 ? text.length : newline + 1;
  }
  return { start: lineStart, end, newText: '' };
}

/**
 * Appends `key: value` lines after the last entry of a block map (flow and empty maps fall back
 * to insertIntoMap). Reads more naturally than inserting first where the first key names the
 * item (`- name: api`).
 */
export function appendToMap(tree: YamlTree, map: YAMLMap, lines: string[]): TextEdit | undefined {
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (map.flow || !first || !last) return insertIntoMap(tree, map, lines);
  const text = tree.text;
  const firstKey = rangeOf(first.key);
  const lastEnd = (last.value as Node | null)?.range?.[1] ?? rangeOf(last.key)?.end;
  if (!firstKey || lastEnd === undefined) return undefined;
  const indent = ' '.repeat(columnOf(text, firstKey.start));
  // A block scalar's value ends after its own line break.
  const newline = lastEnd > 0 && text[lastEnd - 1] === '\n' ? lastEnd - 1 : text.indexOf('\n', lastEnd);
  const body = lines.map((line) => indent + line).join('\n');
  return newline === -1 ? { start: text.length, end: text.length, newText: `\n${body}` } : { start: newline + 1, end: newline + 1, newText: `${body}\n` };
}

/**
 * Like setNestedValue, but a missing branch of a non-empty block map is appended after its
 * last entry instead of inserted before its first.
 */
export function setNestedValueAtEnd(tree: YamlTree, map: YAMLMap, path: string[], valueText: string): TextEdit | undefined {
  let current = map;
  let depth = 0;
  for (; depth < path.length - 1; depth++) {
    const next = tree.get(current, path[depth]);
    if (!isMap(next) || (next.items.length === 0 && !next.flow)) break;
    current = next;
  }
  const rest = path.slice(depth);
  if (rest.length === 1 || tree.pair(current, rest[0]) !== undefined || current.flow || current.items.length === 0) return setNestedValue(tree, current, rest, valueText);
  const unit = ' '.repeat(indentUnit(tree.text));
  return appendToMap(tree, current, rest.map((segment, level) => unit.repeat(level) + (level === rest.length - 1 ? `${segment}: ${valueText}` : `${segment}:`)));
}
