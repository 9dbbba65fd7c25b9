/**
 * Go's `fmt.Sprintf`, `fmt.Sprint` and `fmt.Sprintln` for template values (the `printf`, `print`,
 * `println` builtins and Sprig's `printf`-based functions), after Go's `fmt` documentation: verbs
 * `%v %s %d %q %t %x %X %o %b %c %U %e %E %f %F %g %G %T %%`, flags `+ - # 0 space`, width and
 * precision (also `*`), and Go's error notations (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA …)`).
 */
import { formatFloat, formatValue, GoStruct, isGoMap, sortedKeys, TracedString, typeName, type GoValue } from './values';
import { utf8Encode } from '../../../core/utf8';


interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  precision?: number;
}

/** Go's `fmt.Sprint`: operands joined, with a space between two operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const isString = typeof plainOf(args[i]) === 'string';
    if (i > 0 && !isString && typeof plainOf(args[i - 1]) !== 'string') out += ' ';
    out += formatValue(args[i]);
  }
  return out;
}

/** Go's `fmt.Sprintln`: operands always separated by spaces, and a newline at the end. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map((a) => formatValue(a)).join(' ') + '\n';
}

function plainOf(value: GoValue): GoValue {
  return value instanceof TracedString ? value.text : value;
}

/** Go's `fmt.Sprintf`. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const percent = format.indexOf('%', i);
    if (percent === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    i = percent + 1;
    const spec: Spec = { plus: false, minus: false, sharp: false, space: false, zero: false };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '+') spec.plus = true;
      else if (c === '-') spec.minus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = true;
      else break;
    }
    // Width.
    if (format[i] === '*') {
      i++;
      const w = args[argIndex++];
      if (typeof w === 'bigint') {
        spec.width = Number(w);
        if (spec.width < 0) {
          spec.minus = true;
          spec.width = -spec.width;
        }
      } else out += '%!(BADWIDTH)';
    } else {
      const start = i;
      while (i < n && format[i] >= '0' && format[i] <= '9') i++;
      if (i > start) spec.width = Number(format.slice(start, i));
    }
    // Precision.
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const p = args[argIndex++];
        if (typeof p === 'bigint' && p >= 0n) spec.precision = Number(p);
        else out += '%!(BADPREC)';
      } else {
        const start = i;
        while (i < n && format[i] >= '0' && format[i] <= '9') i++;
        spec.precision = Number(format.slice(start, i) || '0');
      }
    }
    if (spec.minus) spec.zero = false;
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(plainOf(args[argIndex++]), verb, spec);
  }
  if (argIndex < args.length) {
    out += '%!(EXTRA ' + args.slice(argIndex).map((a) => `${typeName(plainOf(a))}=${formatValue(a)}`).join(', ') + ')';
  }
  return out;
}

function badVerb(value: GoValue, verb: string): string {
  if (value === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(value)}=${formatValue(value)})`;
}

function pad(text: string, spec: Spec, zeroAllowed = true): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  const fill = width - length;
  if (spec.minus) return text + ' '.repeat(fill);
  if (spec.zero && zeroAllowed) {
    const sign = /^[+\- ]/.test(text) ? text[0] : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function formatArg(value: GoValue, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(typeName(value), spec);
  if (verb === 'v' && value !== null && typeof value === 'object' && !(value instanceof TracedString)) {
    return pad(formatValue(value), spec);
  }
  // Composites apply the verb to their elements, as Go's fmt does.
  if (Array.isArray(value)) return pad(`[${value.map((v) => formatArg(plainOf(v), verb, { ...spec, width: undefined })).join(' ')}]`, spec);
  if (isGoMap(value)) {
    return pad(`map[${sortedKeys(value).map((k) => `${formatArg(k, verb, { ...spec, width: undefined })}:${formatArg(plainOf(value[k]), verb, { ...spec, width: undefined })}`).join(' ')}]`, spec);
  }
  if (value instanceof GoStruct) return pad(formatValue(value), spec);
  if (value === null) return verb === 'v' ? pad('<nil>', spec) : badVerb(value, verb);
  switch (typeof value) {
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(value ? 'true' : 'false', spec) : badVerb(value, verb);
    case 'string':
      return formatString(value, verb, spec);
    case 'bigint':
      return formatInt(value, verb, spec);
    case 'number':
      return formatFloatVerb(value, verb, spec);
  }
  return badVerb(value, verb);
}

function formatString(value: string, verb: string, spec: Spec): string {
  switch (verb) {
    case 'v':
    case 's': {
      const text = spec.precision !== undefined ? [...value].slice(0, spec.precision).join('') : value;
      return pad(text, spec);
    }
    case 'q':
      return pad(spec.sharp && !value.includes('`') ? '`' + value + '`' : quoteGo(value), spec);
    case 'x':
    case 'X': {
      let hex = [...utf8Encode(value)].map((b) => b.toString(16).padStart(2, '0')).join(spec.space ? ' ' : '');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec);
    }
  }
  return badVerb(value, verb);
}

function formatInt(value: bigint, verb: string, spec: Spec): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'x':
      digits = abs.toString(16);
      if (spec.sharp) prefix = '0x';
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = '0X';
      break;
    case 'o':
      digits = abs.toString(8);
      if (spec.sharp) prefix = '0';
      break;
    case 'O':
      digits = abs.toString(8);
      prefix = '0o';
      break;
    case 'b':
      digits = abs.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(value)), spec);
    case 'q':
      return pad(`'${String.fromCodePoint(Number(value))}'`, spec);
    case 'U':
      return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), spec);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return badVerb(value, verb);
    default:
      return badVerb(value, verb);
  }
  if (spec.precision !== undefined) {
    digits = digits.padStart(spec.precision, '0');
    if (spec.precision === 0 && value === 0n) digits = '';
  }
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const text = sign + prefix + digits;
  if (spec.zero && spec.precision === undefined && !spec.minus && spec.width !== undefined && text.length < spec.width) {
    return sign + prefix + digits.padStart(spec.width - sign.length - prefix.length, '0');
  }
  return pad(text, spec, false);
}

function formatFloatVerb(value: number, verb: string, spec: Spec): string {
  let text: string;
  const abs = Math.abs(value);
  switch (verb) {
    case 'v':
      text = spec.precision !== undefined ? gFormat(abs, spec.precision, spec.sharp) : formatFloat(abs);
      break;
    case 'f':
    case 'F':
      text = Number.isFinite(abs) ? abs.toFixed(Math.min(spec.precision ?? 6, 100)) : formatFloat(abs);
      break;
    case 'e':
    case 'E':
      text = Number.isFinite(abs) ? expFormat(abs, spec.precision ?? 6) : formatFloat(abs);
      if (verb === 'E') text = text.toUpperCase();
      break;
    case 'g':
    case 'G':
      text = spec.precision !== undefined ? gFormat(abs, spec.precision, spec.sharp) : formatFloat(abs);
      if (verb === 'G') text = text.toUpperCase();
      break;
    default:
      return badVerb(value, verb);
  }
  const negative = value < 0 || Object.is(value, -0);
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  if (text.startsWith('+') || text.startsWith('-')) text = text.slice(1);
  return pad(sign + text, spec, Number.isFinite(value));
}

function expFormat(abs: number, precision: number): string {
  const [mantissa, exponent] = abs.toExponential(Math.min(precision, 100)).split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function gFormat(abs: number, precision: number, sharp: boolean): string {
  if (!Number.isFinite(abs)) return formatFloat(abs);
  const p = precision === 0 ? 1 : precision;
  if (abs === 0) return '0';
  const exponent = Math.floor(Math.log10(abs));
  let text: string;
  if (exponent < -4 || exponent >= p) {
    text = expFormat(abs, p - 1);
    if (!sharp) text = text.replace(/\.?0+e/, 'e');
  } else {
    text = abs.toFixed(Math.max(0, p - 1 - exponent));
    if (!sharp && text.includes('.')) text = text.replace(/\.?0+$/, '');
  }
  return text;
}

/** Go's `strconv.Quote`: double quotes, Go escapes for `"`, `\` and non-printable characters. */
export function quoteGo(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if ((code >= 0x80 && code < 0xa0) || code === 0xad || code === 0xfeff || (code >= 0x2028 && code <= 0x2029)) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}
