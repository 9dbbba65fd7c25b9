import type { MappedSegment, SourceSpan, ValueOrigin } from '../sourceMap';
import type { KMap, KNode, ScalarData } from './nodes';

/**
 * Writes build trees as block YAML and records, for every key and scalar written, the span of
 * text it occupies with the node's producer and value origin: the source map of the build.
 * Strings that would read back as anything but the same string are double-quoted, so the text
 * parses (YAML 1.2 or 1.1) to exactly the objects that were built.
 */
export class YamlWriter {
  private readonly parts: string[] = [];
  private length = 0;
  readonly segments: MappedSegment[] = [];

  get text(): string {
    return this.parts.join('');
  }

  get size(): number {
    return this.length;
  }

  /** Writes one document (a `---` separator first unless it is the first). Returns its [start, end) offsets. */
  document(root: KMap): { start: number; end: number } {
    if (this.length > 0) this.write('---\n');
    const start = this.length;
    if (root.entries.length === 0) this.write('{}\n');
    else this.mapBody(root, 0, false);
    return { start, end: this.length };
  }

  private write(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }

  private mapped(text: string, producer: SourceSpan | undefined, value: ValueOrigin | undefined): void {
    if (producer || value) {
      const segment: MappedSegment = value ? { start: this.length, end: this.length + text.length, producer: producer ?? value, value } : { start: this.length, end: this.length + text.length, producer: producer! };
      this.segments.push(segment);
    }
    this.write(text);
  }

  /** Entries of a map at `indent`; when `inline`, the first entry continues the current line ("- "). */
  private mapBody(map: KMap, indent: number, inline: boolean): void {
    const pad = ' '.repeat(indent);
    map.entries.forEach((entry, index) => {
      if (!(inline && index === 0)) this.write(pad);
      this.mapped(formatKey(entry.key), entry.keyOrigin, entry.keyValue);
      this.write(':');
      this.value(entry.value, indent, 'map');
    });
  }

  private value(node: KNode, indent: number, parent: 'map' | 'seq'): void {
    const empty = node.kind === 'scalar' ? undefined : node.kind === 'map' ? node.entries.length === 0 && '{}' : node.items.length === 0 && '[]';
    if (node.kind === 'scalar' || empty) {
      this.write(' ');
      this.mapped(node.kind === 'scalar' ? formatScalar(node.data) : (empty as string), node.origin, node.value);
      this.write('\n');
      return;
    }
    // Under a list item the collection starts on the item's line; under a key, on the next line.
    const inline = parent === 'seq';
    this.write(inline ? ' ' : '\n');
    if (node.kind === 'map') this.mapBody(node, indent + 2, inline);
    // Sequences under a key sit at the key's indentation, as Kustomize writes them.
    else this.seqBody(node.items, inline ? indent + 2 : indent, inline);
  }

  private seqBody(items: readonly KNode[], indent: number, inline: boolean): void {
    const pad = ' '.repeat(indent);
    items.forEach((item, index) => {
      if (!(inline && index === 0)) this.write(pad);
      this.write('-');
      this.value(item, indent, 'seq');
    });
  }
}

const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|)$/i;
/** Plain text that reads back as itself: no indicator first, `:` and spaces only inside words. */
const PLAIN = /^[A-Za-z0-9_./$][A-Za-z0-9_./$@+=()~%,-]*(?:[: ][A-Za-z0-9_./$@+=()~%,-]+)*$/;
/** Spellings YAML 1.2 or 1.1 read as numbers or timestamps. */
const NUMBER_LIKE = [
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?0o[0-7_]+$/,
  /^[-+]?0b[01_]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9_.]*[eE][-+]?[0-9]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];

function needsQuotes(text: string): boolean {
  if (text.length > 200 || !PLAIN.test(text)) return true;
  const first = text.charCodeAt(0);
  // Only text starting with a digit, '.', '+' or '-' can read as a number or a date; few words are reserved.
  if ((first >= 48 && first <= 57) || first === 46 || first === 43 || first === 45) return NUMBER_LIKE.some((pattern) => pattern.test(text));
  // The yaml package's YAML 1.1 schema also reads an exponent alone ("e0") as a number.
  if ((first === 101 || first === 69) && /^[eE][-+]?[0-9]+$/.test(text)) return true;
  return text.length <= 5 && RESERVED.test(text);
}

/** Keys repeat across every object of a build; their written form is computed once. */
const writtenKeys = new Map<string, string>();

export function formatScalar(data: ScalarData): string {
  if (data === null) return 'null';
  if (typeof data === 'boolean') return data ? 'true' : 'false';
  if (typeof data === 'number') {
    if (Number.isNaN(data)) return '.nan';
    if (data === Infinity) return '.inf';
    if (data === -Infinity) return '-.inf';
    return String(data);
  }
  return needsQuotes(data) ? doubleQuoted(data) : data;
}

function formatKey(key: string): string {
  let written = writtenKeys.get(key);
  if (written === undefined) {
    written = needsQuotes(key) ? doubleQuoted(key) : key;
    if (writtenKeys.size < 10_000) writtenKeys.set(key, written);
  }
  return written;
}

/** A YAML double-quoted scalar: JSON escapes plus the characters YAML does not allow raw. */
export function doubleQuoted(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
