/**
 * The Sprig functions (Masterminds/sprig v3, as Helm 3 ships them) that charts use: strings,
 * conversions, integer and float math, lists, dicts, regular expressions, encodings, semantic
 * versions, type inspection, and deterministic stand-ins for what cannot be known when rendering
 * offline (random strings, the current time, generated keys and certificates): those give fixed
 * placeholder text and leave a note, so findings never depend on chance.
 *
 * Semantics follow Sprig's source: `default` and `empty` use Go's zero values; `merge` keeps the
 * destination unless it is empty, `mergeOverwrite` lets the source win; `get` gives "" for a
 * missing key; `keys` is sorted here (Go's map order is random).
 */
import { goIndex, goSlice } from './builtins';
import { adler32, base64Decode, base64Encode, sha256Hex } from './crypto';
import { FunctionError, type CallContext, type TemplateFunction } from './exec';
import { quoteGo } from './fmt';
import { copyKeyOrigin, keyOrigin, selfOrigin, setKeyOrigin, setSelfOrigin } from './provenance';
import { compareVersions, parseVersion, satisfies } from './semver';
import {
  formatValue,
  GoStruct,
  hasKey,
  isGoMap,
  kindOf,
  newMap,
  sortedKeys,
  TracedString,
  typeName,
  type GoMap,
  type GoValue,
  type TraceSegment,
} from './values';
import { utf8Encode, utf8Decode } from '../../../core/utf8';

// ---- conversions (spf13/cast as Sprig uses it)

/** Sprig's `strval`: strings as they are, everything else as `%v`. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof TracedString) return v.text;
  return formatValue(v);
}

/** cast.ToInt64: ints, floats truncated, numeric strings (base prefixes allowed), bools; else 0. */
export function toInt64(v: GoValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const s = v.replace(/\.0*$/, '');
    if (/^[+-]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9_]+)$/.test(s)) {
      try {
        const neg = s.startsWith('-');
        let body = s.replace(/^[+-]/, '').replace(/_/g, '');
        if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
        const n = BigInt(body);
        return neg ? -n : n;
      } catch {
        return 0n;
      }
    }
    return 0n;
  }
  return 0n;
}

/** cast.ToFloat64. */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return v.trim() !== '' && Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/** Go's zero-value test Sprig's `empty` and `default` use. */
export function isEmpty(v: GoValue): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'boolean':
      return !v;
    case 'string':
      return v.length === 0;
    case 'bigint':
      return v === 0n;
    case 'number':
      return v === 0;
  }
  if (v instanceof TracedString) return v.text.length === 0;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof GoStruct) return false;
  for (const _ in v) return false;
  return true;
}

function asList(v: GoValue, fn: string): GoValue[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  throw new FunctionError(`Cannot find ${fn} on type ${typeName(v)}`);
}

function asMap(v: GoValue, fn: string): GoMap {
  if (isGoMap(v)) return v;
  if (v === null) return newMap();
  throw new FunctionError(`${fn}: expected map[string]interface {}; got ${typeName(v)}`);
}

function listOf(items: GoValue[], ctx: CallContext): GoValue[] {
  const out = [...items];
  items.forEach((_, i) => setKeyOrigin(out, i, ctx.origins[i]));
  return out;
}

/** A deep copy of maps and lists (scalars are immutable), keeping origins. */
export function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) {
    const out = v.map(deepCopy);
    v.forEach((_, i) => copyKeyOrigin(v, i, out, i));
    setSelfOrigin(out, selfOrigin(v));
    return out;
  }
  if (isGoMap(v)) {
    const out = newMap();
    for (const key of Object.keys(v)) {
      out[key] = deepCopy(v[key]);
      copyKeyOrigin(v, key, out, key);
    }
    setSelfOrigin(out, selfOrigin(v));
    return out;
  }
  return v;
}

/** mergo.Merge (`merge`) or mergo.Merge with override (`mergeOverwrite`), mutating `dst`. */
export function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0, journal?: CallContext['executor']): void {
  if (depth > 100) throw new FunctionError('merge: maps nested too deeply');
  for (const key of Object.keys(src)) {
    const s = src[key];
    const d = hasKey(dst, key) ? dst[key] : undefined;
    if (isGoMap(s) && isGoMap(d)) {
      mergeInto(d, s, overwrite, depth + 1, journal);
      continue;
    }
    if (s === null && !overwrite) continue;
    if (overwrite || d === undefined || isEmpty(d)) {
      journal?.beforeMutation(dst, key);
      dst[key] = s;
      copyKeyOrigin(src, key, dst, key);
    }
  }
}

// ---- regular expressions (Go RE2 syntax on JavaScript's engine)

const regexCache = new Map<string, RegExp>();

/** Compiles a Go regular expression: `(?i)`-style leading flags, `(?P<name>`, `\A`, `\z`, POSIX classes. */
export function goRegExp(pattern: string, global = false): RegExp {
  const key = (global ? 'g' : '') + pattern;
  const cached = regexCache.get(key);
  if (cached) {
    cached.lastIndex = 0;
    return cached;
  }
  let source = pattern;
  let flags = global ? 'gu' : 'u';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    for (const f of lead[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:alpha:\]/g, 'A-Za-z')
    .replace(/\[:digit:\]/g, '0-9')
    .replace(/\[:alnum:\]/g, 'A-Za-z0-9')
    .replace(/\[:space:\]/g, '\\s')
    .replace(/\[:upper:\]/g, 'A-Z')
    .replace(/\[:lower:\]/g, 'a-z')
    .replace(/\[:punct:\]/g, '!-\\/:-@\\[-`{-~');
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch {
    try {
      re = new RegExp(source, flags.replace('u', ''));
    } catch (e) {
      throw new FunctionError(`error parsing regexp: ${(e as Error).message}`);
    }
  }
  if (regexCache.size > 500) regexCache.clear();
  regexCache.set(key, re);
  return re;
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandGo(template: string, match: RegExpExecArray | string[], groups: Record<string, string> | undefined): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_m, all: string, braced?: string, bare?: string) => {
    if (all === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
    return groups?.[name] ?? '';
  });
}

function replaceAll(pattern: string, src: string, repl: string, literal: boolean): string {
  const re = goRegExp(pattern, true);
  return src.replace(re, (...args: unknown[]) => {
    if (literal) return repl;
    const last = args[args.length - 1];
    const groups = typeof last === 'object' && last !== null ? (last as Record<string, string>) : undefined;
    const captureEnd = groups ? args.length - 3 : args.length - 2;
    const match = args.slice(0, captureEnd) as string[];
    return expandGo(repl, match, groups);
  });
}

// ---- strings

function title(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
}

function trimSet(s: string, cutset: string, left: boolean, right: boolean): string {
  const chars = new Set([...cutset]);
  const arr = [...s];
  let start = 0;
  let end = arr.length;
  if (left) while (start < end && chars.has(arr[start])) start++;
  if (right) while (end > start && chars.has(arr[end - 1])) end--;
  return arr.slice(start, end).join('');
}

/** Indents every line of a (possibly traced) string, keeping the trace of each piece. */
export function indentTraced(spaces: number, value: GoValue, newlineFirst: boolean): GoValue {
  const pad = ' '.repeat(Math.max(0, spaces));
  const text = value instanceof TracedString ? value.text : strval(value);
  const out = (newlineFirst ? '\n' : '') + pad + text.replace(/\n/g, '\n' + pad);
  if (!(value instanceof TracedString)) return out;
  // Map each source offset to its shifted place: every newline before it added `pad`.
  const shifted: TraceSegment[] = [];
  const base = (newlineFirst ? 1 : 0) + pad.length;
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines.push(i);
  let k = 0;
  const before = (offset: number): number => {
    while (k < newlines.length && newlines[k] < offset) k++;
    return k;
  };
  for (const seg of value.segments) {
    // Split segments at newlines so the inserted padding falls between pieces.
    let start = seg.start;
    while (start < seg.end) {
      const nl = text.indexOf('\n', start);
      const end = nl === -1 || nl >= seg.end ? seg.end : nl + 1;
      const shift = base + before(start) * pad.length;
      shifted.push({ ...seg, start: start + shift, end: end + shift });
      start = end;
    }
  }
  return new TracedString(out, shifted);
}

/** Slices a traced string to [from, to), keeping the trace. */
export function sliceTraced(value: TracedString, from: number, to: number): TracedString {
  const segments: TraceSegment[] = [];
  for (const seg of value.segments) {
    const start = Math.max(seg.start, from);
    const end = Math.min(seg.end, to);
    if (end > start) segments.push({ ...seg, start: start - from, end: end - from });
  }
  return new TracedString(value.text.slice(from, to), segments);
}

function trimTraced(value: GoValue, left: boolean, right: boolean, cutset = ' \t\n\r\v\f'): GoValue {
  const text = value instanceof TracedString ? value.text : strval(value);
  let start = 0;
  let end = text.length;
  if (left) while (start < end && cutset.includes(text[start])) start++;
  if (right) while (end > start && cutset.includes(text[end - 1])) end--;
  return value instanceof TracedString ? sliceTraced(value, start, end) : text.slice(start, end);
}

// ---- deterministic stand-ins

class Placeholders {
  private seed = 42;
  next(): number {
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    return this.seed;
  }
}
const placeholderState = new WeakMap<object, Placeholders>();

function placeholder(ctx: CallContext, alphabet: string, length: bigint): string {
  ctx.executor.notes.add(`${ctx.name} gives a fixed placeholder when rendering for analysis`);
  let state = placeholderState.get(ctx.executor);
  if (!state) placeholderState.set(ctx.executor, (state = new Placeholders()));
  const n = Number(length < 0n ? 0n : length > 100000n ? 100000n : length);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[state.next() % alphabet.length];
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The fixed instant `now` stands for when rendering for analysis: 2025-01-01T00:00:00Z. */
export const FIXED_NOW_MS = Date.UTC(2025, 0, 1);

/** A `time.Time`. */
export class GoTime extends GoStruct {
  constructor(readonly ms: number) {
    super('time.Time', {}, {
      Unix: () => BigInt(Math.floor(ms / 1000)),
      Year: () => BigInt(new Date(ms).getUTCFullYear()),
      Format: ([layout]) => formatGoTime(ms, String(layout)),
      UTC: () => new GoTime(ms),
      String: () => formatGoTime(ms, '2006-01-02 15:04:05.999999999 -0700 MST'),
    });
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Go's time layout formatting (reference time Mon Jan 2 15:04:05 MST 2006), in UTC. */
export function formatGoTime(ms: number, layout: string): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const tokens: Array<[string, () => string]> = [
    ['January', () => MONTHS[d.getUTCMonth()]],
    ['Monday', () => DAYS[d.getUTCDay()]],
    ['2006', () => String(d.getUTCFullYear())],
    ['Z07:00', () => 'Z'],
    ['-07:00', () => '+00:00'],
    ['Z0700', () => 'Z'],
    ['-0700', () => '+0000'],
    ['.000000000', () => '.' + String(d.getUTCMilliseconds()).padStart(3, '0') + '000000'],
    ['.000000', () => '.' + String(d.getUTCMilliseconds()).padStart(3, '0') + '000'],
    ['.000', () => '.' + String(d.getUTCMilliseconds()).padStart(3, '0')],
    ['.999999999', () => (d.getUTCMilliseconds() ? '.' + String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '') : '')],
    ['.999', () => (d.getUTCMilliseconds() ? '.' + String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '') : '')],
    ['Jan', () => MONTHS[d.getUTCMonth()].slice(0, 3)],
    ['Mon', () => DAYS[d.getUTCDay()].slice(0, 3)],
    ['MST', () => 'UTC'],
    ['-07', () => '+00'],
    ['01', () => p2(d.getUTCMonth() + 1)],
    ['02', () => p2(d.getUTCDate())],
    ['_2', () => String(d.getUTCDate()).padStart(2, ' ')],
    ['06', () => p2(d.getUTCFullYear() % 100)],
    ['15', () => p2(d.getUTCHours())],
    ['03', () => p2(d.getUTCHours() % 12 || 12)],
    ['04', () => p2(d.getUTCMinutes())],
    ['05', () => p2(d.getUTCSeconds())],
    ['PM', () => (d.getUTCHours() >= 12 ? 'PM' : 'AM')],
    ['pm', () => (d.getUTCHours() >= 12 ? 'pm' : 'am')],
    ['1', () => String(d.getUTCMonth() + 1)],
    ['2', () => String(d.getUTCDate())],
    ['3', () => String(d.getUTCHours() % 12 || 12)],
    ['4', () => String(d.getUTCMinutes())],
    ['5', () => String(d.getUTCSeconds())],
  ];
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    for (const [token, render] of tokens) {
      if (layout.startsWith(token, i)) {
        out += render();
        i += token.length;
        continue outer;
      }
    }
    out += layout[i++];
  }
  return out;
}

function toTime(v: GoValue): number {
  if (v instanceof GoTime) return v.ms;
  if (typeof v === 'bigint') return Number(v) * 1000;
  if (typeof v === 'number') return Math.trunc(v) * 1000;
  return FIXED_NOW_MS;
}

function certificate(ctx: CallContext, kind: string): GoStruct {
  ctx.executor.notes.add(`${ctx.name} gives placeholder certificate and key text when rendering for analysis`);
  const pem = (label: string) => `-----BEGIN ${label}-----\nUExBQ0VIT0xERVIgKCR7a2luZH0pIGdlbmVyYXRlZCBhdCBpbnN0YWxsIHRpbWU=\n-----END ${label}-----\n`;
  return new GoStruct('certificate', { Cert: pem('CERTIFICATE').replace('${kind}', kind), Key: pem('RSA PRIVATE KEY') });
}

function semverStruct(text: string): GoStruct {
  const v = parseVersion(text);
  if (!v) throw new FunctionError('Invalid Semantic Version');
  return new GoStruct('*semver.Version', { Major: BigInt(v.major), Minor: BigInt(v.minor), Patch: BigInt(v.patch) }, {
    Prerelease: () => v.prerelease,
    Metadata: () => v.metadata,
    Original: () => v.original,
    String: () => `${v.major}.${v.minor}.${v.patch}${v.prerelease ? '-' + v.prerelease : ''}${v.metadata ? '+' + v.metadata : ''}`,
    Compare: ([other]) => {
      const o = parseVersion(String(other));
      return BigInt(o ? compareVersions(v, o) : 0);
    },
  });
}

function typeIsLike(target: string, v: GoValue): boolean {
  const t = typeName(v);
  return t === target || '*' + t === target;
}

// ---- the table

/** Sprig's functions (the subset charts use, see the module comment), by name. */
export function sprigFunctions(): Map<string, TemplateFunction> {
  const f = new Map<string, TemplateFunction>();
  const def = (name: string, fn: TemplateFunction['fn'], signature?: string, extra: Partial<TemplateFunction> = {}) => f.set(name, { fn, signature, ...extra });
  const none = { origin: 'none' as const };

  // strings
  def('upper', ([s]) => (s as string).toUpperCase(), 's');
  def('lower', ([s]) => (s as string).toLowerCase(), 's');
  def('title', ([s]) => title(s as string), 's');
  def('untitle', ([s]) => (s as string).replace(/(^|\s)(\p{L})/gu, (_m, a: string, b: string) => a + b.toLowerCase()), 's');
  def('swapcase', ([s]) => [...(s as string)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''), 's');
  def('snakecase', ([s]) => words(s as string).map((w) => w.toLowerCase()).join('_'), 's');
  def('kebabcase', ([s]) => words(s as string).map((w) => w.toLowerCase()).join('-'), 's');
  def('camelcase', ([s]) => (s as string).split(/[_\-\s]+/).map((w) => (w ? w[0].toUpperCase() + w.slice(1) : '')).join(''), 's');
  def('trim', ([s]) => trimTraced(s, true, true), 'a', { traced: true });
  def('trimAll', ([cut, s]) => trimSet(s as string, cut as string, true, true), 'ss');
  def('trimall', ([cut, s]) => trimSet(s as string, cut as string, true, true), 'ss');
  def('trimPrefix', ([prefix, s]) => ((s as string).startsWith(prefix as string) ? (s as string).slice((prefix as string).length) : s), 'ss');
  def('trimSuffix', ([suffix, s]) => {
    const text = s instanceof TracedString ? s.text : (s as string);
    if (typeof suffix !== 'string') throw new FunctionError(`wrong type for value; expected string; got ${typeName(suffix)}`);
    if (!text.endsWith(suffix) || suffix === '') return s;
    return s instanceof TracedString ? sliceTraced(s, 0, text.length - suffix.length) : text.slice(0, text.length - suffix.length);
  }, 'aa', { traced: true });
  def('nospace', ([s]) => (s as string).replace(/\s+/g, ''), 's');
  def('trunc', ([n, s]) => {
    const c = Number(n as bigint);
    const text = s as string;
    if (c < 0 && text.length + c > 0) return text.slice(text.length + c);
    if (c >= 0 && text.length > c) return text.slice(0, c);
    return text;
  }, 'is');
  def('abbrev', ([w, s]) => {
    const width = Number(w as bigint);
    const text = s as string;
    return width < 4 || text.length <= width ? text : text.slice(0, width - 3) + '...';
  }, 'is');
  def('substr', ([a, b, s]) => {
    const text = s as string;
    let start = Number(a as bigint);
    const end = Number(b as bigint);
    if (start < 0) start = 0;
    if (end < 0 || end > text.length) return text.slice(start);
    return text.slice(start, end);
  }, 'iis');
  def('repeat', ([n, s]) => {
    const count = Number(n as bigint);
    if (count < 0) throw new FunctionError('negative Repeat count');
    if (count * (s as string).length > 10_000_000) throw new RangeError(`repeat of ${count} copies is too large`);
    return (s as string).repeat(count);
  }, 'is');
  def('initials', ([s]) => (s as string).split(/\s+/).filter(Boolean).map((w) => w[0]).join(''), 's');
  def('wrap', ([n, s]) => wrapText(s as string, Number(n as bigint), '\n'), 'is');
  def('wrapWith', ([n, sep, s]) => wrapText(s as string, Number(n as bigint), sep as string), 'iss');
  def('contains', ([sub, s]) => (s as string).includes(sub as string), 'ss', none);
  def('hasPrefix', ([p, s]) => (s as string).startsWith(p as string), 'ss', none);
  def('hasSuffix', ([p, s]) => (s as string).endsWith(p as string), 'ss', none);
  def('quote', (args) => args.filter((a) => a !== null).map((a) => quoteGo(strval(a))).join(' '), 'a*');
  def('squote', (args) => args.filter((a) => a !== null).map((a) => `'${strval(a)}'`).join(' '), 'a*');
  def('cat', (args) => args.filter((a) => a !== null).map(strval).join(' '), 'a*');
  def('indent', ([n, s]) => indentTraced(Number(n as bigint), s, false), 'ia', { traced: true });
  def('nindent', ([n, s]) => indentTraced(Number(n as bigint), s, true), 'ia', { traced: true });
  def('replace', ([old, neu, s]) => (s as string).split(old as string).join(neu as string), 'sss');
  def('plural', ([one, many, n]) => (n === 1n ? one : many), 'ssi');
  def('sha256sum', ([s]) => sha256Hex(s as string), 's');
  def('adler32sum', ([s]) => adler32(s as string), 's');
  def('toString', ([v]) => (v instanceof TracedString ? v : strval(v)), 'a', { traced: true });
  def('toStrings', ([v]) => (Array.isArray(v) ? v.map(strval) : v === null ? [] : [strval(v)]), 'a');
  def('split', ([sep, s]) => {
    const out = newMap();
    (s as string).split(sep as string).forEach((part, i) => (out['_' + i] = part));
    return out;
  }, 'ss');
  def('splitList', ([sep, s]) => (s as string).split(sep as string), 'ss');
  def('splitn', ([sep, n, s]) => {
    const out = newMap();
    const parts = (s as string).split(sep as string);
    const count = Number(n as bigint);
    const kept = count > 0 && parts.length > count ? [...parts.slice(0, count - 1), parts.slice(count - 1).join(sep as string)] : parts;
    kept.forEach((part, i) => (out['_' + i] = part));
    return out;
  }, 'sis');
  def('join', ([sep, v]) => (Array.isArray(v) ? v.map(strval).join(sep as string) : v === null ? '' : strval(v)), 'sa');
  def('sortAlpha', ([v]) => (Array.isArray(v) ? v.map(strval).sort() : [strval(v)]), 'a');
  def('b64enc', ([s]) => base64Encode(s as string), 's');
  def('b64dec', ([s]) => base64Decode(s as string) ?? 'illegal base64 data at input byte 0', 's');
  def('b32enc', ([s]) => base32Encode(s as string), 's');
  def('shuffle', ([s], ctx) => {
    ctx.executor.notes.add('shuffle keeps the order when rendering for analysis');
    return s as string;
  }, 's');
  def('randAlphaNum', ([n], ctx) => placeholder(ctx, ALNUM, n as bigint), 'i');
  def('randAlpha', ([n], ctx) => placeholder(ctx, ALNUM.slice(0, 52), n as bigint), 'i');
  def('randNumeric', ([n], ctx) => placeholder(ctx, '0123456789', n as bigint), 'i');
  def('randAscii', ([n], ctx) => placeholder(ctx, ALNUM + '!#%&()*+,-./:;<=>?@[]^_{|}~', n as bigint), 'i');
  def('randInt', ([min], ctx) => {
    ctx.executor.notes.add('randInt gives its minimum when rendering for analysis');
    return min as bigint;
  }, 'ii');
  def('uuidv4', (_a, ctx) => {
    ctx.executor.notes.add('uuidv4 gives a fixed placeholder when rendering for analysis');
    return '00000000-0000-4000-8000-000000000000';
  }, '');
  def('regexMatch', ([re, s]) => goRegExp(re as string).test(s as string), 'ss', none);
  def('mustRegexMatch', ([re, s]) => goRegExp(re as string).test(s as string), 'ss', none);
  def('regexFind', ([re, s]) => goRegExp(re as string).exec(s as string)?.[0] ?? '', 'ss');
  def('mustRegexFind', ([re, s]) => goRegExp(re as string).exec(s as string)?.[0] ?? '', 'ss');
  def('regexFindAll', ([re, s, n]) => {
    const all = [...(s as string).matchAll(goRegExp(re as string, true))].map((m) => m[0]);
    const count = Number(n as bigint);
    return count < 0 ? all : all.slice(0, count);
  }, 'ssi');
  def('regexReplaceAll', ([re, s, repl]) => replaceAll(re as string, s as string, repl as string, false), 'sss');
  def('mustRegexReplaceAll', ([re, s, repl]) => replaceAll(re as string, s as string, repl as string, false), 'sss');
  def('regexReplaceAllLiteral', ([re, s, repl]) => replaceAll(re as string, s as string, repl as string, true), 'sss');
  def('regexSplit', ([re, s, n]) => {
    const parts = (s as string).split(goRegExp(re as string, true));
    const count = Number(n as bigint);
    return count < 0 ? parts : parts.slice(0, count);
  }, 'ssi');
  def('regexQuoteMeta', ([s]) => (s as string).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'), 's');

  // conversions and math
  def('atoi', ([s]) => (/^[+-]?\d+$/.test((s as string).trim()) ? BigInt((s as string).trim()) : 0n), 's');
  def('int', ([v]) => toInt64(v), 'a');
  def('int64', ([v]) => toInt64(v), 'a');
  def('float64', ([v]) => toFloat64(v), 'a');
  def('toDecimal', ([v]) => {
    const s = strval(v);
    return /^[0-7]+$/.test(s) ? BigInt('0o' + s) : 0n;
  }, 'a');
  def('add1', ([v]) => toInt64(v) + 1n, 'a');
  def('add', (args) => args.reduce<bigint>((sum, v) => sum + toInt64(v), 0n), 'a*');
  def('sub', ([a, b]) => toInt64(a) - toInt64(b), 'aa');
  def('mul', ([a, ...rest]) => rest.reduce<bigint>((p, v) => p * toInt64(v), toInt64(a)), 'aa*');
  def('div', ([a, b]) => {
    const d = toInt64(b);
    if (d === 0n) throw new FunctionError('runtime error: integer divide by zero');
    return toInt64(a) / d;
  }, 'aa');
  def('mod', ([a, b]) => {
    const d = toInt64(b);
    if (d === 0n) throw new FunctionError('runtime error: integer divide by zero');
    return toInt64(a) % d;
  }, 'aa');
  def('max', ([a, ...rest]) => rest.reduce<bigint>((m, v) => (toInt64(v) > m ? toInt64(v) : m), toInt64(a)), 'aa*');
  def('biggest', ([a, ...rest]) => rest.reduce<bigint>((m, v) => (toInt64(v) > m ? toInt64(v) : m), toInt64(a)), 'aa*');
  def('min', ([a, ...rest]) => rest.reduce<bigint>((m, v) => (toInt64(v) < m ? toInt64(v) : m), toInt64(a)), 'aa*');
  def('maxf', ([a, ...rest]) => Math.max(toFloat64(a), ...rest.map(toFloat64)), 'aa*');
  def('minf', ([a, ...rest]) => Math.min(toFloat64(a), ...rest.map(toFloat64)), 'aa*');
  def('addf', (args) => args.reduce<number>((s, v) => s + toFloat64(v), 0), 'a*');
  def('add1f', ([v]) => toFloat64(v) + 1, 'a');
  def('subf', ([a, ...rest]) => rest.reduce<number>((s, v) => s - toFloat64(v), toFloat64(a)), 'aa*');
  def('mulf', ([a, ...rest]) => rest.reduce<number>((s, v) => s * toFloat64(v), toFloat64(a)), 'aa*');
  def('divf', ([a, ...rest]) => rest.reduce<number>((s, v) => s / toFloat64(v), toFloat64(a)), 'aa*');
  def('floor', ([v]) => Math.floor(toFloat64(v)), 'a');
  def('ceil', ([v]) => Math.ceil(toFloat64(v)), 'a');
  def('round', ([v, p]) => {
    const places = Number(toInt64(p));
    const scale = 10 ** places;
    return Math.round(toFloat64(v) * scale) / scale;
  }, 'aa*');
  def('until', ([n]) => untilStep(0n, n as bigint, (n as bigint) >= 0n ? 1n : -1n), 'i');
  def('untilStep', ([a, b, c]) => untilStep(a as bigint, b as bigint, c as bigint), 'iii');
  def('seq', (args) => {
    const n = args.map((a) => toInt64(a));
    const [start, step, end] = n.length === 1 ? [1n, n[0] >= 1n ? 1n : -1n, n[0]] : n.length === 2 ? [n[0], n[1] >= n[0] ? 1n : -1n, n[1]] : [n[0], n[1], n[2]];
    const out = untilStep(start, end + (step > 0n ? 1n : -1n), step);
    return out.map(String).join(' ');
  }, 'a*');

  // defaults and logic
  def('default', ([d, ...given]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]), 'aa*', { origin: 'identity' });
  def('empty', ([v]) => isEmpty(v), 'a', none);
  def('coalesce', (args) => args.find((a) => !isEmpty(a)) ?? null, 'a*', { origin: 'identity' });
  def('all', (args) => args.every((a) => !isEmpty(a)), 'a*', none);
  def('any', (args) => args.some((a) => !isEmpty(a)), 'a*', none);
  def('ternary', ([vt, vf, cond]) => (cond ? vt : vf), 'aab', { origin: 'identity' });
  def('fail', ([msg]) => {
    throw new FunctionError(msg as string);
  }, 's');

  // lists
  def('list', (args, ctx) => listOf(args, ctx), 'a*');
  def('tuple', (args, ctx) => listOf(args, ctx), 'a*');
  const append = ([l, v]: GoValue[], ctx: CallContext) => {
    const list = asList(l, 'push');
    const out = [...list, v];
    list.forEach((_, i) => copyKeyOrigin(list, i, out, i));
    setKeyOrigin(out, list.length, ctx.origins[1]);
    return out;
  };
  def('append', append, 'aa');
  def('push', append, 'aa');
  def('mustAppend', append, 'aa');
  const prepend = ([l, v]: GoValue[], ctx: CallContext) => {
    const list = asList(l, 'prepend');
    const out = [v, ...list];
    list.forEach((_, i) => copyKeyOrigin(list, i, out, i + 1));
    setKeyOrigin(out, 0, ctx.origins[1]);
    return out;
  };
  def('prepend', prepend, 'aa');
  def('mustPrepend', prepend, 'aa');
  const first = ([l]: GoValue[], ctx: CallContext) => {
    const list = asList(l, 'first');
    if (list.length === 0) return null;
    ctx.resultOrigin = keyOrigin(list, 0);
    return list[0];
  };
  def('first', first, 'a', { origin: 'none' });
  def('mustFirst', first, 'a', { origin: 'none' });
  const last = ([l]: GoValue[], ctx: CallContext) => {
    const list = asList(l, 'last');
    if (list.length === 0) return null;
    ctx.resultOrigin = keyOrigin(list, list.length - 1);
    return list[list.length - 1];
  };
  def('last', last, 'a', { origin: 'none' });
  def('mustLast', last, 'a', { origin: 'none' });
  const keepOrigins = (list: GoValue[], picked: number[]): GoValue[] => {
    const out = picked.map((i) => list[i]);
    picked.forEach((from, to) => copyKeyOrigin(list, from, out, to));
    return out;
  };
  const indexes = (n: number) => [...Array(n).keys()];
  def('rest', ([l]) => keepOrigins(asList(l, 'rest'), indexes(asList(l, 'rest').length).slice(1)), 'a');
  def('mustRest', ([l]) => keepOrigins(asList(l, 'rest'), indexes(asList(l, 'rest').length).slice(1)), 'a');
  def('initial', ([l]) => keepOrigins(asList(l, 'initial'), indexes(asList(l, 'initial').length).slice(0, -1)), 'a');
  def('mustInitial', ([l]) => keepOrigins(asList(l, 'initial'), indexes(asList(l, 'initial').length).slice(0, -1)), 'a');
  const reverse = ([l]: GoValue[]) => keepOrigins(asList(l, 'reverse'), indexes(asList(l, 'reverse').length).reverse());
  def('reverse', reverse, 'a');
  def('mustReverse', reverse, 'a');
  const uniq = ([l]: GoValue[]) => {
    const list = asList(l, 'uniq');
    const picked: number[] = [];
    list.forEach((v, i) => {
      if (!picked.some((j) => deepEqual(list[j], v))) picked.push(i);
    });
    return keepOrigins(list, picked);
  };
  def('uniq', uniq, 'a');
  def('mustUniq', uniq, 'a');
  const compact = ([l]: GoValue[]) => {
    const list = asList(l, 'compact');
    return keepOrigins(list, indexes(list.length).filter((i) => !isEmpty(list[i])));
  };
  def('compact', compact, 'a');
  def('mustCompact', compact, 'a');
  const without = ([l, ...omit]: GoValue[]) => {
    const list = asList(l, 'without');
    return keepOrigins(list, indexes(list.length).filter((i) => !omit.some((o) => deepEqual(o, list[i]))));
  };
  def('without', without, 'aa*');
  def('mustWithout', without, 'aa*');
  const has = ([needle, haystack]: GoValue[]) => (haystack === null ? false : asList(haystack, 'has').some((v) => deepEqual(v, needle)));
  def('has', has, 'aa', none);
  def('mustHas', has, 'aa', none);
  def('concat', (lists) => {
    const out: GoValue[] = [];
    for (const l of lists) {
      const list = asList(l, 'concat');
      list.forEach((v, i) => {
        copyKeyOrigin(list, i, out, out.length);
        out.push(v);
      });
    }
    return out;
  }, 'a*');
  def('slice', ([l, ...bounds]) => goSlice(l, bounds.map((b) => toInt64(b))), 'aa*');
  def('mustSlice', ([l, ...bounds]) => goSlice(l, bounds.map((b) => toInt64(b))), 'aa*');
  def('chunk', ([n, l]) => {
    const size = Number(n as bigint);
    const list = asList(l, 'chunk');
    const out: GoValue[] = [];
    for (let i = 0; i < list.length; i += Math.max(1, size)) out.push(list.slice(i, i + Math.max(1, size)));
    return out;
  }, 'ia');

  // dicts
  def('dict', (args, ctx) => {
    const out = newMap();
    for (let i = 0; i < args.length; i += 2) {
      const key = strval(args[i]);
      out[key] = i + 1 < args.length ? args[i + 1] : '';
      setKeyOrigin(out, key, ctx.origins[i + 1]);
    }
    return out;
  }, 'a*');
  def('get', ([m, k], ctx) => {
    const map = asMap(m, 'get');
    if (!hasKey(map, k as string)) return '';
    ctx.resultOrigin = keyOrigin(map, k as string);
    return map[k as string];
  }, 'ms', { origin: 'none' });
  def('set', ([m, k, v], ctx) => {
    const map = asMap(m, 'set');
    ctx.executor.beforeMutation(map, k as string);
    map[k as string] = v;
    setKeyOrigin(map, k as string, ctx.origins[2] ?? selfOrigin(v));
    return map;
  }, 'msa');
  def('unset', ([m, k], ctx) => {
    const map = asMap(m, 'unset');
    ctx.executor.beforeMutation(map, k as string);
    delete map[k as string];
    return map;
  }, 'ms');
  def('hasKey', ([m, k]) => hasKey(asMap(m, 'hasKey'), k as string), 'ms', none);
  def('pluck', ([name, ...maps]) => {
    const out: GoValue[] = [];
    for (const m of maps) {
      const map = asMap(m, 'pluck');
      if (hasKey(map, name as string)) {
        copyKeyOrigin(map, name as string, out, out.length);
        out.push(map[name as string]);
      }
    }
    return out;
  }, 'sa*');
  def('keys', (maps) => maps.flatMap((m) => sortedKeys(asMap(m, 'keys'))), 'a*');
  def('values', ([m]) => {
    const map = asMap(m, 'values');
    const out: GoValue[] = [];
    for (const k of sortedKeys(map)) {
      copyKeyOrigin(map, k, out, out.length);
      out.push(map[k]);
    }
    return out;
  }, 'a');
  def('pick', ([m, ...names]) => {
    const map = asMap(m, 'pick');
    const out = newMap();
    for (const n of names.map(strval)) {
      if (hasKey(map, n)) {
        out[n] = map[n];
        copyKeyOrigin(map, n, out, n);
      }
    }
    return out;
  }, 'aa*');
  def('omit', ([m, ...names]) => {
    const map = asMap(m, 'omit');
    const drop = new Set(names.map(strval));
    const out = newMap();
    for (const k of Object.keys(map)) {
      if (drop.has(k)) continue;
      out[k] = map[k];
      copyKeyOrigin(map, k, out, k);
    }
    return out;
  }, 'aa*');
  const merge = (overwrite: boolean) => ([dst, ...srcs]: GoValue[], ctx: CallContext) => {
    const target = asMap(dst, overwrite ? 'mergeOverwrite' : 'merge');
    for (const src of srcs) if (isGoMap(src)) mergeInto(target, src, overwrite, 0, ctx.executor);
    return target;
  };
  def('merge', merge(false), 'aa*');
  def('mustMerge', merge(false), 'aa*');
  def('mergeOverwrite', merge(true), 'aa*');
  def('mustMergeOverwrite', merge(true), 'aa*');
  def('deepCopy', ([v]) => deepCopy(v), 'a');
  def('mustDeepCopy', ([v]) => deepCopy(v), 'a');
  def('dig', (args, ctx) => {
    if (args.length < 3) throw new FunctionError(`dig needs at least three arguments`);
    const keys = args.slice(0, -2).map(strval);
    const fallback = args[args.length - 2];
    let current: GoValue = args[args.length - 1];
    let origin;
    for (const k of keys) {
      if (!isGoMap(current) || !hasKey(current, k)) {
        ctx.resultOrigin = ctx.origins[args.length - 2];
        return fallback;
      }
      origin = keyOrigin(current, k);
      current = current[k];
    }
    ctx.resultOrigin = origin;
    return current;
  }, 'a*', { origin: 'none' });

  // types
  def('typeOf', ([v]) => typeName(v), 'a', none);
  def('typeIs', ([t, v]) => typeName(v) === t, 'sa', none);
  def('typeIsLike', ([t, v]) => typeIsLike(t as string, v), 'sa', none);
  def('kindOf', ([v]) => kindOf(v), 'a', none);
  def('kindIs', ([k, v]) => kindOf(v) === k, 'sa', none);
  def('deepEqual', ([a, b]) => deepEqual(a, b), 'aa', none);

  // semantic versions
  def('semver', ([s]) => semverStruct(s as string), 's');
  def('semverCompare', ([c, v]) => {
    try {
      return satisfies(c as string, v as string);
    } catch (e) {
      throw new FunctionError((e as Error).message);
    }
  }, 'ss', none);

  // time (deterministic)
  def('now', (_a, ctx) => {
    ctx.executor.notes.add('now is a fixed instant (2025-01-01T00:00:00Z) when rendering for analysis');
    return new GoTime(FIXED_NOW_MS);
  }, '');
  def('date', ([layout, t]) => formatGoTime(toTime(t), layout as string), 'sa');
  def('dateInZone', ([layout, t]) => formatGoTime(toTime(t), layout as string), 'saa');
  def('htmlDate', ([t]) => formatGoTime(toTime(t), '2006-01-02'), 'a');
  def('unixEpoch', ([t]) => String(Math.floor(toTime(t) / 1000)), 'a');
  def('toDate', ([, s]) => {
    const ms = Date.parse(s as string);
    return new GoTime(Number.isFinite(ms) ? ms : 0);
  }, 'ss');
  def('dateModify', (args) => args[1], 'sa');
  def('ago', () => '0s', 'a');
  def('duration', ([v]) => `${toInt64(v)}s`, 'a');

  // crypto stand-ins
  def('genCA', (_a, ctx) => certificate(ctx, 'ca'), 'si');
  def('genCAWithKey', (_a, ctx) => certificate(ctx, 'ca'), 'sis');
  def('genSelfSignedCert', (_a, ctx) => certificate(ctx, 'self-signed'), 'slli');
  def('genSelfSignedCertWithKey', (_a, ctx) => certificate(ctx, 'self-signed'), 'sllis');
  def('genSignedCert', (_a, ctx) => certificate(ctx, 'signed'), 'sllia');
  def('genSignedCertWithKey', (_a, ctx) => certificate(ctx, 'signed'), 'sllias');
  def('genPrivateKey', (_a, ctx) => certificate(ctx, 'key').fields.Key, 's');
  def('buildCustomCert', (_a, ctx) => certificate(ctx, 'custom'), 'ss');
  def('derivePassword', (_a, ctx) => placeholder(ctx, ALNUM, 20n), 'issss');
  def('htpasswd', ([user], ctx) => {
    ctx.executor.notes.add('htpasswd gives a placeholder hash when rendering for analysis');
    return `${user as string}:$2a$10$placeholderplaceholderplaceholderplaceholderplaceh`;
  }, 'ss');
  def('bcrypt', (_a, ctx) => {
    ctx.executor.notes.add('bcrypt gives a placeholder hash when rendering for analysis');
    return '$2a$10$placeholderplaceholderplaceholderplaceholderplaceh';
  }, 's');
  def('sha1sum', ([s], ctx) => {
    ctx.executor.notes.add('sha1sum gives a SHA-256-derived placeholder when rendering for analysis');
    return sha256Hex(s as string).slice(0, 40);
  }, 's');
  def('encryptAES', (_a, ctx) => placeholder(ctx, ALNUM, 24n), 'ss');
  def('decryptAES', (_a, ctx) => placeholder(ctx, ALNUM, 12n), 'ss');
  def('randBytes', ([n], ctx) => base64Encode(placeholder(ctx, ALNUM, n as bigint)), 'i');

  // paths and URLs
  def('base', ([s]) => (s as string).replace(/\/+$/, '').split('/').pop() || '/', 's');
  def('dir', ([s]) => {
    const p = s as string;
    const i = p.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
  }, 's');
  def('ext', ([s]) => /\.[^./]*$/.exec(s as string)?.[0] ?? '', 's');
  def('clean', ([s]) => (s as string).replace(/\/+/g, '/').replace(/\/\.(?=\/|$)/g, '') || '.', 's');
  def('isAbs', ([s]) => (s as string).startsWith('/'), 's', none);
  def('urlParse', ([s]) => {
    const m = /^(?:([a-z][a-z0-9+.-]*):)?(?:\/\/(?:([^@/]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/i.exec(s as string);
    const out = newMap();
    Object.assign(out, { scheme: m?.[1] ?? '', userinfo: m?.[2] ?? '', host: m?.[3] ?? '', path: m?.[4] ?? '', query: m?.[5] ?? '', fragment: m?.[6] ?? '', opaque: '' });
    return out;
  }, 's');
  def('urlJoin', ([m]) => {
    const u = asMap(m, 'urlJoin');
    const s = (k: string) => (hasKey(u, k) ? strval(u[k]) : '');
    return `${s('scheme') ? s('scheme') + ':' : ''}${s('host') ? '//' + (s('userinfo') ? s('userinfo') + '@' : '') + s('host') : ''}${s('path')}${s('query') ? '?' + s('query') : ''}${s('fragment') ? '#' + s('fragment') : ''}`;
  }, 'a');

  // Aliases Sprig also defines (`must*` variants return errors instead of panicking; here both just error).
  for (const [alias, target] of [
    ['mustRegexFindAll', 'regexFindAll'],
    ['mustRegexSplit', 'regexSplit'],
    ['mustChunk', 'chunk'],
    ['mustToDate', 'toDate'],
    ['mustDateModify', 'dateModify'],
    ['htmlDateInZone', 'htmlDate'],
    ['durationRound', 'duration'],
    ['osBase', 'base'],
    ['osDir', 'dir'],
    ['osExt', 'ext'],
    ['osClean', 'clean'],
    ['osIsAbs', 'isAbs'],
  ] as const) {
    const fn = f.get(target)!;
    f.set(alias, alias === 'htmlDateInZone' ? { ...fn, fn: ([t]: GoValue[], ctx: CallContext) => fn.fn([t], ctx), signature: 'aa' } : fn);
  }
  def('hello', () => 'Hello!', '');
  def('getHostByName', (_a, ctx) => {
    ctx.executor.notes.add('getHostByName resolves nothing when rendering offline');
    return '';
  }, 's');
  def('b32dec', ([s]) => base32Decode(s as string), 's');
  return f;
}

function base32Decode(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.replace(/=+$/, '')) {
    const index = alphabet.indexOf(ch);
    if (index < 0) return 'illegal base32 data';
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return utf8Decode(new Uint8Array(bytes));
}

function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if (step === 0n) return out;
  const count = step > 0n ? (stop - start + step - 1n) / step : (start - stop - step - 1n) / -step;
  if (count > 100_000n) throw new RangeError(`a list of ${count} numbers is too large`);
  if (step > 0n) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

function wrapText(text: string, width: number, sep: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join(sep);
}

function base32Encode(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = utf8Encode(text);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/** reflect.DeepEqual on template values. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a instanceof TracedString) a = a.text;
  if (b instanceof TracedString) b = b.text;
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isGoMap(a) && isGoMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => hasKey(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Keeps `goIndex` reachable for functions built on it elsewhere. */
export { goIndex };
