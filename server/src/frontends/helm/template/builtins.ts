/**
 * The functions every Go template has (Go's `text/template` "Functions" section): `and`, `or`,
 * `not`, `len`, `index`, `slice`, `print`, `printf`, `println`, `html`, `js`, `urlquery`, `call`,
 * and the comparisons `eq ne lt le gt ge` with Go's type rules (an int and a float64 do not compare;
 * `eq` takes several right-hand operands and is true when any equals).
 */
import { FunctionError, type TemplateFunction } from './exec';
import { keyOrigin } from './provenance';
import { sprint, sprintf, sprintln } from './fmt';
import { compareStrings, formatValue, GoStruct, hasKey, isGoMap, TracedString, truth, typeName, type GoValue } from './values';
import { utf8Encode, utf8Decode } from '../../../core/utf8';


/** UTF-8 length in bytes, as Go's `len` counts strings. */
export function byteLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'other' | 'nil';

function basicKind(value: GoValue): BasicKind {
  if (value === null) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
  }
  return 'other';
}

/** Go's `eq`: arg1 == arg2 || arg1 == arg3 …; errors for incompatible or non-comparable types. */
export function goEq(arg1: GoValue, rest: GoValue[]): boolean {
  if (rest.length === 0) throw new FunctionError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let equal = false;
    if (k1 === 'nil' || k2 === 'nil') equal = k1 === k2;
    else if (k1 !== k2) throw new FunctionError('incompatible types for comparison');
    else if (k1 === 'other') {
      if (Array.isArray(arg1) || isGoMap(arg1)) throw new FunctionError(`non-comparable type ${formatValue(arg1)}: ${typeName(arg1)}`);
      if (Array.isArray(arg) || isGoMap(arg)) throw new FunctionError(`non-comparable type ${formatValue(arg)}: ${typeName(arg)}`);
      equal = arg1 === arg;
    } else equal = arg1 === arg;
    if (equal) return true;
  }
  return false;
}

/** Go's `lt`: basic kinds of the same kind only (strings byte-wise). */
export function goLt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'nil' || k1 === 'other' || k1 === 'bool' || k2 === 'nil' || k2 === 'other' || k2 === 'bool') {
    throw new FunctionError('invalid type for comparison');
  }
  if (k1 !== k2) throw new FunctionError('incompatible types for comparison');
  if (k1 === 'string') return compareStrings(a as string, b as string) < 0;
  return (a as number) < (b as number);
}

/** Go's `index`: successive map keys and slice indexes; a missing map key gives nil. */
export function goIndex(item: GoValue, indexes: GoValue[], record?: (container: GoValue, key: string | number) => void): GoValue {
  let current = item;
  for (const index of indexes) {
    if (current === null) throw new FunctionError('index of untyped nil');
    if (Array.isArray(current) || typeof current === 'string') {
      if (typeof index !== 'bigint') throw new FunctionError(`cannot index slice/array with type ${typeName(index)}`);
      const length = typeof current === 'string' ? current.length : current.length;
      if (index < 0n || index >= BigInt(length)) throw new FunctionError(`error calling index: index out of range: ${index}`);
      const i = Number(index);
      record?.(current, i);
      current = typeof current === 'string' ? BigInt(utf8Encode(current)[i]) : current[i];
      continue;
    }
    if (isGoMap(current)) {
      if (index === null) {
        current = null;
        continue;
      }
      if (typeof index !== 'string') throw new FunctionError(`value has type ${typeName(index)}; should be string`);
      record?.(current, index);
      current = hasKey(current, index) ? current[index] : null;
      continue;
    }
    throw new FunctionError(`can't index item of type ${typeName(current)}`);
  }
  return current;
}

function evalArgsText(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

/** Go's `HTMLEscapeString`. */
export function htmlEscape(text: string): string {
  return text.replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}

/** Go's `JSEscapeString`. */
export function jsEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (code < 0x20) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** Go's `url.QueryEscape`. */
export function queryEscape(text: string): string {
  let out = '';
  for (const byte of utf8Encode(text)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's builtins, to be overlaid by Sprig and Helm functions (which win on a name clash, as in Go). */
export function goBuiltins(): Map<string, TemplateFunction> {
  const f = new Map<string, TemplateFunction>();
  // and/or are evaluated lazily by the executor; these entries make the names known.
  f.set('and', { fn: (a) => a[a.length - 1], signature: 'a*' });
  f.set('or', { fn: (a) => a[a.length - 1], signature: 'a*' });
  f.set('not', { fn: ([a]) => !truth(a), signature: 'a', origin: 'none' });
  f.set('len', {
    fn: ([a]) => {
      if (a === null) throw new FunctionError('len of nil pointer');
      if (typeof a === 'string') return BigInt(byteLength(a));
      if (Array.isArray(a)) return BigInt(a.length);
      if (isGoMap(a)) return BigInt(Object.keys(a).length);
      if (a instanceof GoStruct && a.size) return BigInt(a.size());
      throw new FunctionError(`len of type ${typeName(a)}`);
    },
    signature: 'a',
    origin: 'none',
  });
  f.set('index', {
    fn: ([item, ...indexes], ctx) => {
      let last: { container: GoValue; key: string | number } | undefined;
      const result = goIndex(item, indexes, (container, key) => (last = { container, key }));
      if (last) ctx.resultOrigin = keyOrigin(last.container, last.key);
      return result;
    },
    signature: 'aa*',
    origin: 'none',
  });
  f.set('slice', { fn: ([item, ...indexes]) => goSlice(item, indexes), signature: 'aa*', origin: 'none' });
  f.set('print', { fn: (a) => sprint(a), signature: 'a*' });
  f.set('printf', { fn: ([format, ...a]) => sprintf(format as string, a), signature: 'sa*' });
  f.set('println', { fn: (a) => sprintln(a), signature: 'a*' });
  f.set('html', { fn: (a) => htmlEscape(evalArgsText(a)), signature: 'a*' });
  f.set('js', { fn: (a) => jsEscape(evalArgsText(a)), signature: 'a*' });
  f.set('urlquery', { fn: (a) => queryEscape(evalArgsText(a)), signature: 'a*' });
  f.set('call', {
    fn: () => {
      throw new FunctionError('calling functions held in data is not supported (no function values exist in chart data)');
    },
    signature: 'a*',
  });
  f.set('eq', { fn: ([a, ...rest]) => goEq(a, rest), signature: 'a*', origin: 'none' });
  f.set('ne', { fn: ([a, b]) => !goEq(a, [b]), signature: 'aa', origin: 'none' });
  f.set('lt', { fn: ([a, b]) => goLt(a, b), signature: 'aa', origin: 'none' });
  f.set('le', { fn: ([a, b]) => goLt(a, b) || goEq(a, [b]), signature: 'aa', origin: 'none' });
  f.set('gt', { fn: ([a, b]) => !goLt(a, b) && !goEq(a, [b]), signature: 'aa', origin: 'none' });
  f.set('ge', { fn: ([a, b]) => !goLt(a, b), signature: 'aa', origin: 'none' });
  return f;
}

/** Go's `slice`: `slice x 1 2` is x[1:2]; strings by byte offsets, lists by index. */
export function goSlice(item: GoValue, indexes: GoValue[]): GoValue {
  if (indexes.length > 3) throw new FunctionError(`too many slice indexes: ${indexes.length}`);
  const bounds = indexes.map((i) => {
    if (typeof i !== 'bigint') throw new FunctionError(`cannot index slice/array with type ${typeName(i)}`);
    return Number(i);
  });
  if (item === null) throw new FunctionError('slice of untyped nil');
  if (typeof item === 'string' || item instanceof TracedString) {
    const bytes = utf8Encode(String(item));
    const from = bounds[0] ?? 0;
    const to = bounds[1] ?? bytes.length;
    if (bounds.length === 3) throw new FunctionError('cannot 3-index slice a string');
    if (from < 0 || to > bytes.length || from > to) throw new FunctionError(`index out of range: ${to}`);
    return utf8Decode(bytes.slice(from, to));
  }
  if (Array.isArray(item)) {
    const from = bounds[0] ?? 0;
    const to = bounds[1] ?? item.length;
    if (from < 0 || to > item.length || from > to) throw new FunctionError(`index out of range: ${to}`);
    return item.slice(from, to);
  }
  if (item instanceof GoStruct || isGoMap(item)) throw new FunctionError(`can't slice item of type ${typeName(item)}`);
  throw new FunctionError(`can't slice item of type ${typeName(item)}`);
}
