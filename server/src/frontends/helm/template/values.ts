/**
 * How Go values of a template's data are held in JavaScript, and the Go semantics that depend on
 * their type (truth, kinds, printing with `%v`).
 *
 * | Go                         | here                                        |
 * |----------------------------|---------------------------------------------|
 * | nil (untyped, nil interface)| `null`                                     |
 * | bool, string               | `boolean`, `string`                          |
 * | int, int64 (one kind here) | `bigint`                                     |
 * | float64                    | `number` (Helm's values are JSON numbers: float64) |
 * | []interface{}              | `GoValue[]`                                  |
 * | map[string]interface{}     | an object with a null prototype (`GoMap`)    |
 * | structs with methods       | `GoStruct` (`.Chart`, `.Capabilities`, `.Files`, semver versions) |
 *
 * Strings rendered by `include`, `tpl` and `toYaml` may be `TracedString`s: the text plus the
 * places its pieces came from. They behave as strings everywhere (functions receive the plain text
 * unless they declare that they keep traces).
 */
import type { SourceSpan, ValueOrigin } from '../../sourceMap';

export type GoValue = null | boolean | string | bigint | number | GoValue[] | GoMap | GoStruct | TracedString;

export interface GoMap {
  [key: string]: GoValue;
}

/** A Go struct or pointer with exported fields and methods (looked up by `.Name`). */
export class GoStruct {
  constructor(
    /** Go type name for messages and `typeOf` (`*chart.Metadata`). */
    readonly typeName: string,
    readonly fields: Readonly<Record<string, GoValue>>,
    readonly methods: Readonly<Record<string, (args: GoValue[]) => GoValue>> = {},
    /** For struct types that are Go maps underneath (`.Files`): their length for `len`. */
    readonly size?: () => number,
  ) {}
}

/** A piece of a traced string: its offsets in the text and where it came from. */
export interface TraceSegment {
  readonly start: number;
  readonly end: number;
  readonly producer?: SourceSpan;
  readonly value?: ValueOrigin;
}

/** Text with the places its pieces came from (segments sorted, disjoint, relative to `text`). */
export class TracedString {
  constructor(
    readonly text: string,
    readonly segments: readonly TraceSegment[],
  ) {}
  toString(): string {
    return this.text;
  }
}

export function newMap(): GoMap {
  return Object.create(null) as GoMap;
}

export function isGoMap(value: unknown): value is GoMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoStruct) && !(value instanceof TracedString);
}

export function hasKey(map: GoMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** The plain value of a possibly traced string. */
export function plain(value: GoValue): GoValue {
  return value instanceof TracedString ? value.text : value;
}

/** Go's truth for `if`, `with`, `and`, `or`, `not`: false, 0, nil, and empty strings, slices and maps are false. */
export function truth(value: GoValue): boolean {
  if (value === null) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'bigint':
      return value !== 0n;
    case 'number':
      return value !== 0;
  }
  if (value instanceof TracedString) return value.text.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof GoStruct) return true;
  for (const _ in value) return true;
  return false;
}

/** Go's reflect kind name: `string`, `bool`, `int`, `float64`, `slice`, `map`, `ptr`, `invalid` (nil). */
export function kindOf(value: GoValue): string {
  if (value === null) return 'invalid';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
  }
  if (value instanceof TracedString) return 'string';
  if (Array.isArray(value)) return 'slice';
  if (value instanceof GoStruct) return value.typeName.startsWith('*') ? 'ptr' : 'struct';
  return 'map';
}

/** Go's type name as `%T` and sprig's `typeOf` print it. */
export function typeName(value: GoValue): string {
  if (value === null) return '<nil>';
  if (value instanceof GoStruct) return value.typeName;
  const kind = kindOf(value);
  return kind === 'slice' ? '[]interface {}' : kind === 'map' ? 'map[string]interface {}' : kind;
}

/** Sorted keys of a map, as Go's fmt and `range` visit them. */
export function sortedKeys(map: GoMap): string[] {
  return Object.keys(map).sort(compareStrings);
}

/** Byte-wise order of Go strings (UTF-8 order equals code point order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}

/**
 * Formats a float64 as Go's `%v`: strconv's 'g' format with the shortest digits, which switches to
 * an exponent when it is below -4 or at least 6 (`1e+06`, `1.5e-05`, `123456`).
 */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, e] = value.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    const abs = Math.abs(exponent);
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' + abs : abs}`;
  }
  return String(value);
}

/** Go's `%v` (and `print`) text of a value: `map[a:1 b:2]`, `[1 2]`, `<nil>`, `true`, floats in shortest form. */
export function formatValue(value: GoValue, top = true): string {
  if (value === null) return '<nil>';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return formatFloat(value);
  }
  if (value instanceof TracedString) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, false)).join(' ')}]`;
  if (value instanceof GoStruct) {
    const inner = Object.keys(value.fields)
      .map((k) => formatValue(value.fields[k], false))
      .join(' ');
    return `${value.typeName.startsWith('*') && top ? '&' : ''}{${inner}}`;
  }
  return `map[${sortedKeys(value)
    .map((k) => `${k}:${formatValue(value[k], false)}`)
    .join(' ')}]`;
}
