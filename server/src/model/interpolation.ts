import type { OffsetRange } from '../core/types';

/**
 * Compose interpolation (compose-spec "Interpolation"): `${VAR}`, `$VAR`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alternative}`, `${VAR+alternative}`,
 * defaults that nest further expressions (`${A:-${B:-x}}`), and `$$` for a literal dollar.
 */

/** One `${…}` expression of compose interpolation. */
export interface Interpolation {
  readonly variable: string;
  /** `:-` `-` (default), `:?` `?` (required), `:+` `+` (alternative), or '' for a plain `${VAR}`. */
  readonly operator: '' | ':-' | '-' | ':?' | '?' | ':+' | '+';
  /** The text after the operator as written; may itself hold interpolations. */
  readonly argument: string;
  /** Range of the whole `${…}` in the text. */
  readonly range: OffsetRange;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(?::?[-?+])/;

/** End (exclusive) of the `${…}` that opens at `start`, honouring nested `${…}`; -1 when unclosed. */
function closingBrace(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    if (source[i] === '$' && source[i + 1] === '$') {
      i++;
      continue;
    }
    if (source[i] === '$' && source[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (source[i] === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Finds the top-level `${…}` interpolations in `source` (the raw text of a scalar as written),
 * with ranges shifted by `offset`. `$${…}` is an escaped dollar and is skipped, as compose does.
 */
export function findInterpolations(source: string, offset: number): Interpolation[] {
  const found: Interpolation[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '$') continue;
    if (source[i + 1] === '$') {
      i++;
      continue;
    }
    if (source[i + 1] !== '{') continue;
    const end = closingBrace(source, i);
    if (end === -1) break;
    const body = source.slice(i + 2, end - 1);
    const name = NAME.exec(body);
    if (name) {
      const rest = body.slice(name[0].length);
      const operator = OPERATOR.exec(rest)?.[0] ?? '';
      if (operator !== '' || rest === '') {
        found.push({ variable: name[0], operator: operator as Interpolation['operator'], argument: rest.slice(operator.length), range: { start: offset + i, end: offset + end } });
      }
    }
    i = end - 1;
  }
  return found;
}

/** Whether the text holds interpolation (`${VAR}` or `$VAR`, not the escaped `$$`). */
export function isInterpolated(text: string): boolean {
  return /(?:^|[^$])(?:\$\$)*\$(?:\{|[A-Za-z_])/.test(text);
}

/**
 * The value compose uses when none of the variables is set: each `${VAR:-x}` / `${VAR-x}` becomes
 * its default, `${VAR:+x}` becomes empty, `$$` a dollar. Undefined when a variable has no default
 * (`${VAR}`, `$VAR`, `${VAR:?err}`): the value is decided by the environment, out of sight.
 */
export function valueWhenUnset(text: string): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '$') {
      out += char;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (NAME.test(text.slice(i + 1))) return undefined;
    if (text[i + 1] !== '{') {
      out += char;
      continue;
    }
    const end = closingBrace(text, i);
    if (end === -1) return undefined;
    const [interpolation] = findInterpolations(text.slice(i, end), 0);
    if (!interpolation) return undefined;
    if (interpolation.operator === ':-' || interpolation.operator === '-') {
      const fallback = valueWhenUnset(interpolation.argument);
      if (fallback === undefined) return undefined;
      out += fallback;
    } else if (interpolation.operator !== ':+' && interpolation.operator !== '+') return undefined;
    i = end - 1;
  }
  return out;
}

/** A piece of a compose short-syntax value with its offset in the value's text. */
export interface ShortSyntaxPart {
  readonly text: string;
  /** Offset of the part within the value text. */
  readonly offset: number;
}

/**
 * Splits a compose short-syntax value (`HOST:CONTAINER:MODE`, `IP:PUBLISHED:TARGET/PROTOCOL`) at
 * `separator`, but never inside `${…}` (whose `:-` and `:?` are part of the expression) nor inside
 * `[…]` (a bracketed IPv6 address). `${PROJECT_DIR:-.}/dags:/opt/app/dags` gives two parts.
 */
export function splitShortSyntax(text: string, separator: ':' | '/' | ','): ShortSyntaxPart[] {
  const parts: ShortSyntaxPart[] = [];
  let start = 0;
  let bracket = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '$' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (char === '$' && text[i + 1] === '{') {
      const end = closingBrace(text, i);
      if (end === -1) break;
      i = end - 1;
      continue;
    }
    if (char === '[') bracket++;
    else if (char === ']') bracket = Math.max(0, bracket - 1);
    else if (char === separator && bracket === 0) {
      parts.push({ text: text.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  parts.push({ text: text.slice(start), offset: start });
  return parts;
}
