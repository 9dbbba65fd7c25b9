import type { SourceSpan } from '../sourceMap';
import { cloneNode, entryOf, nodesEqual, scalarString, type KMap, type KNode } from './nodes';
import { BuildError } from './problems';
import type { PatchTracker } from './strategicMerge';

/** One RFC 6902 operation, its `value` already converted (with the patch's spans) when it has one. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly from?: string;
  readonly value?: KNode;
  /** The operation's place in the patch. */
  readonly span?: SourceSpan;
}

/**
 * Reads a JSON 6902 patch document (a list of operations, YAML or JSON). Throws `BuildError` when
 * it is not one: an operation without `op` or `path`, an unknown `op`, a missing `value`/`from`.
 */
export function readJsonPatch(document: KNode): JsonPatchOperation[] {
  if (document.kind !== 'seq') throw new BuildError('a JSON patch must be a list of operations');
  return document.items.map((item, index) => {
    if (item.kind !== 'map') throw new BuildError(`JSON patch operation ${index + 1} is not a map`);
    const field = (name: string): string | undefined => {
      const value = entryOf(item, name)?.value;
      return value ? scalarString(value) : undefined;
    };
    const op = field('op');
    if (!op || !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op)) throw new BuildError(`JSON patch operation ${index + 1} has ${op ? `an unknown op "${op}"` : 'no op'}`);
    const path = field('path');
    if (path === undefined) throw new BuildError(`JSON patch operation ${index + 1} (${op}) has no path`);
    const from = field('from');
    const valueEntry = entryOf(item, 'value');
    if ((op === 'add' || op === 'replace' || op === 'test') && !valueEntry) throw new BuildError(`JSON patch operation ${index + 1} (${op} ${path}) has no value`);
    if ((op === 'move' || op === 'copy') && from === undefined) throw new BuildError(`JSON patch operation ${index + 1} (${op} ${path}) has no from`);
    return { op: op as JsonPatchOperation['op'], path, from, value: valueEntry?.value, span: item.origin };
  });
}

/**
 * Applies operations to `target` in order (RFC 6902, with RFC 6901 pointers: `~1` is '/', `~0` is
 * '~', `-` appends). The first failing operation throws `BuildError` naming it: a missing parent, a
 * missing key for remove/replace, an index out of range, a failed test.
 */
export function applyJsonPatch(target: KMap, operations: readonly JsonPatchOperation[], tracker: PatchTracker): KMap {
  let root: KNode = target;
  for (const operation of operations) {
    const describe = `${operation.op} ${operation.path}`;
    switch (operation.op) {
      case 'add': {
        const value = cloneTracked(operation.value!, tracker);
        root = add(root, parsePointer(operation.path), value, describe, tracker, operation.span);
        break;
      }
      case 'remove':
        root = remove(root, parsePointer(operation.path), describe).root;
        break;
      case 'replace': {
        const pointer = parsePointer(operation.path);
        const value = cloneTracked(operation.value!, tracker);
        const old = get(root, pointer, describe);
        if (old && !tracker.isPatchNode(old) && tracker.isPatchNode(value)) {
          value.origin = old.origin;
          tracker.rebased.add(value);
        }
        if (pointer.length === 0) root = value;
        else replaceAt(root, pointer, value, describe);
        break;
      }
      case 'move': {
        const from = parsePointer(operation.from!);
        const to = parsePointer(operation.path);
        const removed = remove(root, from, describe);
        root = add(removed.root, to, removed.value, describe, tracker, operation.span);
        break;
      }
      case 'copy': {
        const value = cloneNode(get(root, parsePointer(operation.from!), describe));
        root = add(root, parsePointer(operation.path), value, describe, tracker, operation.span);
        break;
      }
      case 'test': {
        const actual = get(root, parsePointer(operation.path), describe);
        if (!nodesEqual(actual, operation.value!)) throw new BuildError(`JSON patch test failed: ${operation.path} does not have the tested value`);
        break;
      }
    }
  }
  if (root.kind !== 'map') throw new BuildError('the JSON patch replaced the whole object with something that is not an object');
  return root;
}

function cloneTracked(node: KNode, tracker: PatchTracker): KNode {
  const copy = cloneNode(node);
  tracker.track(copy);
  return copy;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new BuildError(`the JSON pointer "${pointer}" must start with '/'`);
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(root: KNode, pointer: readonly string[], describe: string): KNode {
  let current = root;
  for (const part of pointer) {
    const next = child(current, part);
    if (!next) throw new BuildError(`JSON patch "${describe}": ${part} does not exist`);
    current = next;
  }
  return current;
}

function child(node: KNode, part: string): KNode | undefined {
  if (node.kind === 'map') return entryOf(node, part)?.value;
  if (node.kind === 'seq') {
    const index = arrayIndex(part, node.items.length, false);
    return index === undefined ? undefined : node.items[index];
  }
  return undefined;
}

function arrayIndex(part: string, length: number, allowEnd: boolean): number | undefined {
  if (part === '-') return allowEnd ? length : undefined;
  if (!/^(0|[1-9][0-9]*)$/.test(part)) return undefined;
  const index = Number(part);
  return index < length || (allowEnd && index === length) ? index : undefined;
}

function add(root: KNode, pointer: readonly string[], value: KNode, describe: string, tracker: PatchTracker, operationSpan: SourceSpan | undefined): KNode {
  if (pointer.length === 0) return value;
  const parent = get(root, pointer.slice(0, -1), describe);
  const last = pointer[pointer.length - 1];
  if (parent.kind === 'map') {
    const existing = entryOf(parent, last);
    if (existing) {
      if (!tracker.isPatchNode(existing.value) && tracker.isPatchNode(value)) {
        value.origin = existing.value.origin;
        tracker.rebased.add(value);
      }
      existing.value = value;
    } else {
      const entry = { key: last, keyOrigin: parent.origin, value };
      // A key the patch added maps to the operation's value (or, moved or copied, to the operation).
      tracker.entries.set(entry, tracker.isPatchNode(value) ? tracker.nodes.get(value) : operationSpan);
      parent.entries.push(entry);
    }
    return root;
  }
  if (parent.kind === 'seq') {
    const index = arrayIndex(last, parent.items.length, true);
    if (index === undefined) throw new BuildError(`JSON patch "${describe}": index ${last} is out of range`);
    parent.items.splice(index, 0, value);
    return root;
  }
  throw new BuildError(`JSON patch "${describe}": the parent is a value, not a map or a list`);
}

function replaceAt(root: KNode, pointer: readonly string[], value: KNode, describe: string): void {
  const parent = get(root, pointer.slice(0, -1), describe);
  const last = pointer[pointer.length - 1];
  if (parent.kind === 'map') {
    const existing = entryOf(parent, last);
    if (!existing) throw new BuildError(`JSON patch "${describe}": ${last} does not exist`);
    existing.value = value;
    return;
  }
  if (parent.kind === 'seq') {
    const index = arrayIndex(last, parent.items.length, false);
    if (index === undefined) throw new BuildError(`JSON patch "${describe}": index ${last} is out of range`);
    parent.items[index] = value;
    return;
  }
  throw new BuildError(`JSON patch "${describe}": the parent is a value, not a map or a list`);
}

function remove(root: KNode, pointer: readonly string[], describe: string): { root: KNode; value: KNode } {
  if (pointer.length === 0) throw new BuildError(`JSON patch "${describe}": cannot remove the whole object`);
  const parent = get(root, pointer.slice(0, -1), describe);
  const last = pointer[pointer.length - 1];
  if (parent.kind === 'map') {
    const index = parent.entries.findIndex((entry) => entry.key === last);
    if (index < 0) throw new BuildError(`JSON patch "${describe}": ${last} does not exist`);
    const [entry] = parent.entries.splice(index, 1);
    return { root, value: entry.value };
  }
  if (parent.kind === 'seq') {
    const index = arrayIndex(last, parent.items.length, false);
    if (index === undefined) throw new BuildError(`JSON patch "${describe}": index ${last} is out of range`);
    const [value] = parent.items.splice(index, 1);
    return { root, value };
  }
  throw new BuildError(`JSON patch "${describe}": the parent is a value, not a map or a list`);
}
