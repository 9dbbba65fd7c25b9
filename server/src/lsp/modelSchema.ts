import { isMap, isScalar, isSeq, parseDocument, type Node } from '../core/yaml';
import { THREAGILE_SCHEMA } from '../model/threagileSchema';
import architectureSchema from '../../../schemas/architecture.schema.json';

/**
 * The JSON Schemas of the two model formats, and where in them a place of a YAML text is: what
 * completion offers and what hovers on keys explain, without any other extension installed.
 */

export type Schema = Record<string, unknown>;
export type ModelFormat = 'architecture' | 'threagile';

export const MODEL_SCHEMAS: Record<ModelFormat, Schema> = { architecture: architectureSchema as Schema, threagile: THREAGILE_SCHEMA };

/** One step of a path into a YAML document: a map key, or an item of a sequence. */
export type PathStep = { readonly key: string } | { readonly item: true };

/** The schema of the value at a path, following properties, maps keyed by name and items (also through anyOf/oneOf). */
export function schemaAt(schema: Schema, path: readonly PathStep[]): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const step of path) {
    if (!current) return undefined;
    current = 'key' in step ? childSchema(current, step.key) : itemSchema(current);
  }
  return current;
}

function variants(schema: Schema): Schema[] {
  const nested = [...((schema.anyOf as Schema[] | undefined) ?? []), ...((schema.oneOf as Schema[] | undefined) ?? [])];
  return [schema, ...nested.flatMap(variants)];
}

function childSchema(schema: Schema, key: string): Schema | undefined {
  for (const variant of variants(schema)) {
    const properties = variant.properties as Record<string, Schema> | undefined;
    if (properties?.[key]) return properties[key];
  }
  for (const variant of variants(schema)) if (typeof variant.additionalProperties === 'object') return variant.additionalProperties as Schema;
  return undefined;
}

function itemSchema(schema: Schema): Schema | undefined {
  for (const variant of variants(schema)) if (variant.items && typeof variant.items === 'object') return variant.items as Schema;
  return undefined;
}

/** Keys a map at this schema may have, with their descriptions. */
export function propertiesOf(schema: Schema): Array<{ key: string; schema: Schema }> {
  const out: Array<{ key: string; schema: Schema }> = [];
  for (const variant of variants(schema)) {
    for (const [key, child] of Object.entries((variant.properties as Record<string, Schema> | undefined) ?? {})) if (key !== '<<' && !out.some((item) => item.key === key)) out.push({ key, schema: child });
  }
  return out;
}

/** The values an enumeration allows (also inside anyOf and array items), without null. */
export function enumValues(schema: Schema): string[] {
  const values = new Set<string>();
  for (const variant of variants(schema)) for (const value of (variant.enum as unknown[] | undefined) ?? []) if (typeof value === 'string') values.add(value);
  return [...values];
}

export function describes(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  for (const variant of variants(schema)) if (typeof variant.description === 'string') return variant.description;
  return undefined;
}

/** Whether the value at this schema is (or may be) a list. */
export function isListSchema(schema: Schema): boolean {
  return variants(schema).some((variant) => variant.type === 'array' || (Array.isArray(variant.type) && variant.type.includes('array')));
}

/** Whether the value at this schema is a map (its children are keys). */
export function isMapSchema(schema: Schema): boolean {
  return variants(schema).some((variant) => variant.type === 'object' || (Array.isArray(variant.type) && variant.type.includes('object')) || variant.properties !== undefined);
}

const CURSOR = '__sbd_cursor__';

export interface CursorPlace {
  /** Where the cursor is: typing a key, or a value (after `key:` or `- `). */
  readonly role: 'key' | 'value';
  /** Path of the map that holds the key (role key), or of the value (role value). */
  readonly path: readonly PathStep[];
  /** Keys already present beside the cursor's key (role key). */
  readonly siblings: readonly string[];
  /** The text typed so far, and where it starts. */
  readonly prefix: string;
  readonly start: number;
}

/**
 * Where the cursor is in a (possibly half-typed) YAML document: the current line's word is
 * replaced by a marker, the text parsed, and the marker's path read from the syntax tree. Works
 * on a key being typed, on a value after `key: `, and on an item after `- `.
 */
export function cursorPlace(text: string, offset: number): CursorPlace | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd === -1) lineEnd = text.length;
  const before = text.slice(lineStart, offset);
  if (before.includes('#')) return undefined;
  const word = /[^\s:[\],{}]*$/.exec(before)![0];
  const start = offset - word.length;
  const head = text.slice(lineStart, start);
  const after = text.slice(offset, lineEnd);
  const rest = /^[^\s:,\]}]*/.exec(after)![0];
  const tail = after.slice(rest.length);
  const valuePosition = /:\s*$/.test(head) || /^\s*-\s+$/.test(head) || /[[,]\s*$/.test(head);
  const role = valuePosition ? 'value' : 'key';
  // A key being typed becomes `marker:`; a value becomes the marker itself.
  const replacement = role === 'key' ? `${CURSOR}:` : CURSOR;
  const line = head + replacement + (role === 'key' ? '' : tail);
  const patched = text.slice(0, lineStart) + line + text.slice(lineEnd);
  const document = parseDocument(patched, { uniqueKeys: false, strict: false });
  const found = findMarker(document.contents, []);
  if (!found) return undefined;
  return { role, path: found.path, siblings: role === 'key' ? found.siblings : [], prefix: word, start };
}

/** The marker scalar as a map key (path of its map, sibling keys) or as a value (path of the value). */
function findMarker(node: unknown, path: PathStep[]): { path: PathStep[]; siblings: string[] } | undefined {
  if (isScalar(node)) return node.value === CURSOR ? { path, siblings: [] } : undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.value === CURSOR) {
        return { path, siblings: node.items.flatMap((other) => (isScalar(other.key) && other.key.value !== CURSOR ? [String(other.key.value)] : [])) };
      }
      if (!isScalar(pair.key)) continue;
      const found = findMarker(pair.value, [...path, { key: String(pair.key.value) }]);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = findMarker(item, [...path, { item: true }]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The path of keys and items from the document root to a node of a parsed document. */
export function pathOfNode(root: Node | null, target: Node): PathStep[] | undefined {
  let result: PathStep[] | undefined;
  const walk = (node: unknown, path: PathStep[]): void => {
    if (result) return;
    if (node === target) {
      result = path;
      return;
    }
    if (isMap(node)) for (const pair of node.items) {
      if (pair.key === target) {
        result = path;
        return;
      }
      if (isScalar(pair.key)) walk(pair.value, [...path, { key: String(pair.key.value) }]);
    }
    else if (isSeq(node)) for (const item of node.items) walk(item, [...path, { item: true }]);
  };
  walk(root, []);
  return result;
}
