/**
 * Helm's `toYaml`, `toJson`, `toPrettyJson` and `toToml` on template values, with the origin of
 * every output line. `toYaml` writes what sigs.k8s.io/yaml (JSON, then go-yaml v2) writes: keys
 * sorted in go-yaml's order (digit runs compared as numbers), sequences inside mappings not
 * indented, strings quoted only when YAML 1.1 would read them as something else, multi-line
 * strings as literal blocks, `{}`/`[]` for empty collections, whole-number floats as integers.
 * One deliberate difference: long plain strings are not folded at 80 columns (the value is the same).
 */
import type { ValueOrigin } from '../sourceMap';
import { keyOrigin, selfOrigin } from './template/provenance';
import { formatFloat, GoStruct, isGoMap, TracedString, type GoMap, type GoValue, type TraceSegment } from './template/values';

/** go-yaml v2's key order: letters after other characters, digit runs by numeric value. */
export function compareYamlKeys(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i] ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i] < br[i] ? -1 : 1;
  }
  return ar.length - br.length;
}

const YAML11_SPECIAL = /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const YAML11_INT = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/;
const YAML11_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/;

/** Whether go-yaml v2 would read the plain text as something other than a string. */
function resolvesToNonString(s: string): boolean {
  return s === '' || YAML11_SPECIAL.test(s) || YAML11_INT.test(s) || YAML11_FLOAT.test(s) || BASE60.test(s) || TIMESTAMP.test(s);
}

/** Whether the emitter may write the string plain (no indicator at the start, no `: ` or ` #`, no edge spaces). */
function plainAllowed(s: string): boolean {
  if (s.length === 0) return false;
  if (/^[\s]|[\s]$/.test(s)) return false;
  if (/^[\[\]{},#&*!|>'"%@`]/.test(s)) return false;
  if (/^[-?:](\s|$)/.test(s)) return false;
  if (/: |:$| #|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (/[\t]/.test(s)) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  return true;
}

/**
 * A double-quoted string with backslash escapes; `control` writes the other control characters
 * (YAML: `\xNN`, JSON: `\u00NN`), `extra` escapes more characters as `\uNNNN` (JSON's `<>&`).
 */
function quoteEscaped(s: string, control: (code: number) => string, extra: (ch: string, code: number) => boolean): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20) out += control(code);
    else if (extra(ch, code)) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function doubleQuote(s: string): string {
  return quoteEscaped(
    s,
    (code) => '\\x' + code.toString(16).toUpperCase().padStart(2, '0'),
    (_ch, code) => code === 0x7f || code === 0xfeff || code === 0x2028 || code === 0x2029 || code === 0x85,
  );
}

/** A scalar string as go-yaml v2 writes it inline (plain, single- or double-quoted). */
export function yamlScalarString(s: string): string {
  if (resolvesToNonString(s)) return doubleQuote(s);
  if (plainAllowed(s)) return s;
  if (/[\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return doubleQuote(s);
  return `'${s.replace(/'/g, "''")}'`;
}

/** Whether a multi-line string can be a literal block (no trailing spaces, no control characters). */
function literalAllowed(s: string): boolean {
  return !/[ \t]\n|[ \t]$|[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]/.test(s) && !/^\n/.test(s);
}

interface Line {
  text: string;
  origin?: ValueOrigin;
}

/** Plain JS view of a value for serialising (traced strings as text, structs as their fields). */
function norm(v: GoValue): GoValue {
  if (v instanceof TracedString) return v.text;
  return v;
}

function scalarText(v: GoValue): string {
  v = norm(v);
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
      if (!Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
      return formatFloat(v);
    case 'string':
      return yamlScalarString(v);
  }
  return '';
}

function structFields(v: GoStruct): GoMap {
  const out = Object.create(null) as GoMap;
  for (const [k, value] of Object.entries(v.fields)) out[k] = value;
  return out;
}

class YamlWriter {
  readonly lines: Line[] = [];
  private count = 0;
  constructor(private readonly maxLines: number) {}

  push(text: string, origin: ValueOrigin | undefined): void {
    if (++this.count > this.maxLines) throw new RangeError(`toYaml output longer than ${this.maxLines} lines`);
    this.lines.push({ text, origin });
  }

  /** Writes a top-level value. */
  top(value: GoValue, origin: ValueOrigin | undefined): void {
    const v = this.view(value);
    if ((Array.isArray(v) && v.length > 0) || (isGoMap(v) && Object.keys(v).length > 0)) this.block(v, '', '', 0);
    else this.scalarAfter('', v, '  ', origin);
  }

  private view(value: GoValue): GoValue {
    const v = norm(value);
    return v instanceof GoStruct ? structFields(v) : v;
  }

  /**
   * Writes a non-empty map or list whose first line starts with `first` (indentation and any
   * `- ` markers) and whose other lines start with `col`.
   */
  private block(v: GoMap | GoValue[], col: string, first: string, depth: number): void {
    if (depth > 200) throw new RangeError('toYaml of a value nested more than 200 levels');
    if (Array.isArray(v)) {
      v.forEach((item, i) => this.entry(i === 0 ? first : col, col, '- ', this.view(item), keyOrigin(v, i) ?? selfOrigin(item), depth, true));
      return;
    }
    Object.keys(v)
      .sort(compareYamlKeys)
      .forEach((key, i) =>
        this.entry(i === 0 ? first : col, col, `${yamlScalarString(key)}:`, this.view(v[key]), keyOrigin(v, key) ?? selfOrigin(v[key]), depth, false),
      );
  }

  /** One map entry (`key:` head) or list item (`- ` head) at column `col`, its line starting with `prefix`. */
  private entry(prefix: string, col: string, head: string, v: GoValue, origin: ValueOrigin | undefined, depth: number, item: boolean): void {
    const nonEmptyList = Array.isArray(v) && v.length > 0;
    const nonEmptyMap = isGoMap(v) && Object.keys(v).length > 0;
    if (item) {
      if (nonEmptyList || nonEmptyMap) return this.block(v as GoMap | GoValue[], col + '  ', prefix + '- ', depth + 1);
      return this.scalarAfter(prefix + '- ', v, col + '  ', origin);
    }
    if (nonEmptyMap) {
      this.push(prefix + head, origin);
      return this.block(v as GoMap, col + '  ', col + '  ', depth + 1);
    }
    if (nonEmptyList) {
      // go-yaml v2 does not indent a sequence under its key.
      this.push(prefix + head, origin);
      return this.block(v as GoValue[], col, col, depth + 1);
    }
    this.scalarAfter(prefix + head + ' ', v, col + '  ', origin);
  }

  /** A scalar (or empty collection) after `lead`; multi-line strings become literal blocks indented to `blockCol`. */
  private scalarAfter(lead: string, v: GoValue, blockCol: string, origin: ValueOrigin | undefined): void {
    if (Array.isArray(v)) return this.push(`${lead}[]`, origin);
    if (isGoMap(v)) return this.push(`${lead}{}`, origin);
    if (typeof v === 'string' && v.includes('\n') && literalAllowed(v)) {
      const chomp = v.endsWith('\n') ? (v.endsWith('\n\n') ? '+' : '') : '-';
      const indicator = v.startsWith(' ') ? '2' : '';
      this.push(`${lead}|${indicator}${chomp}`, origin);
      const body = chomp === '-' ? v : v.slice(0, -1);
      for (const line of body.split('\n')) this.push(line === '' ? '' : blockCol + line, origin);
      return;
    }
    this.push(`${lead}${scalarText(v)}`, origin);
  }
}

/** Joins lines into a traced string, one segment per line carrying that line's value origin. */
function tracedLines(lines: Line[]): TracedString {
  let text = '';
  const segments: TraceSegment[] = [];
  lines.forEach((line, i) => {
    const piece = i < lines.length - 1 ? line.text + '\n' : line.text;
    if (line.origin && piece.length > 0) segments.push({ start: text.length, end: text.length + piece.length, value: line.origin });
    text += piece;
  });
  return new TracedString(text, segments);
}

/**
 * Helm's `toYaml`: the YAML of a value without the final newline, each line traced to the
 * values-file place of the entry it writes. `maxLines` bounds the output (RangeError past it).
 */
export function toYamlTraced(value: GoValue, maxLines = 1_000_000): TracedString {
  const writer = new YamlWriter(maxLines);
  const v = norm(value);
  writer.top(v, v !== null && typeof v === 'object' ? selfOrigin(v) : undefined);
  return tracedLines(writer.lines);
}

/** Go's encoding/json text of a value: sorted keys, `<>&` escaped unless `raw`, `indent` for MarshalIndent. */
export function toJsonText(value: GoValue, raw = false, indent = ''): string {
  const out: string[] = [];
  const write = (v: GoValue, level: number): void => {
    if (level > 200) throw new RangeError('toJson of a value nested more than 200 levels');
    v = norm(v);
    const nl = indent ? '\n' + indent.repeat(level + 1) : '';
    const close = indent ? '\n' + indent.repeat(level) : '';
    if (v === null) out.push('null');
    else if (typeof v === 'boolean') out.push(String(v));
    else if (typeof v === 'bigint') out.push(v.toString());
    else if (typeof v === 'number') out.push(Number.isFinite(v) ? jsonFloat(v) : 'null');
    else if (typeof v === 'string') out.push(jsonString(v, raw));
    else if (Array.isArray(v)) {
      if (v.length === 0) return void out.push('[]');
      out.push('[');
      v.forEach((item, i) => {
        if (i > 0) out.push(',');
        out.push(nl);
        write(item, level + 1);
      });
      out.push(close + ']');
    } else {
      const map = v instanceof GoStruct ? structFields(v) : (v as GoMap);
      const keys = Object.keys(map).sort();
      if (keys.length === 0) return void out.push('{}');
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        out.push(nl + jsonString(k, raw) + (indent ? ': ' : ':'));
        write(map[k], level + 1);
      });
      out.push(close + '}');
    }
  };
  write(value, 0);
  return out.join('');
}

function jsonFloat(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

function jsonString(s: string, raw: boolean): string {
  return quoteEscaped(
    s,
    (code) => '\\u' + code.toString(16).padStart(4, '0'),
    (ch, code) => (!raw && (ch === '<' || ch === '>' || ch === '&')) || code === 0x2028 || code === 0x2029,
  );
}

/** A small TOML writer for Helm's `toToml` (tables for maps, arrays inline). */
export function toTomlText(value: GoValue): string {
  const lines: string[] = [];
  const scalar = (v: GoValue): string => {
    v = norm(v);
    if (typeof v === 'string') return jsonString(v, true);
    if (Array.isArray(v)) return `[${v.map(scalar).join(', ')}]`;
    if (v === null) return '""';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
    if (isGoMap(v)) return `{ ${Object.keys(v).sort().map((k) => `${k} = ${scalar(v[k])}`).join(', ')} }`;
    return String(v);
  };
  const table = (m: GoMap, path: string[]): void => {
    const keys = Object.keys(m).sort();
    for (const k of keys) if (!isGoMap(norm(m[k]))) lines.push(`${k} = ${scalar(m[k])}`);
    for (const k of keys) {
      const v = norm(m[k]);
      if (isGoMap(v)) {
        lines.push('', `[${[...path, k].join('.')}]`);
        table(v, [...path, k]);
      }
    }
  };
  const v = norm(value);
  if (isGoMap(v)) table(v, []);
  return lines.join('\n') + (lines.length ? '\n' : '');
}
