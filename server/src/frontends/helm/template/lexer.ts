/**
 * Scanner of Go `text/template` source, after Go's `text/template/parse/lex.go`: text and
 * actions between `{{` and `}}`, trim markers (`{{- ` trims the whitespace before the action,
 * ` -}}` the whitespace after it; the ASCII space is required, so `{{-3}}` is the number -3),
 * comments `{{/* … *\/}}`, and the tokens inside actions. Offsets are UTF-16 offsets into the
 * source. Lexing stops at the first error, which becomes an `error` token: one error per template.
 */

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'comment'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof'
  | 'error';

export interface Token {
  readonly type: TokenType;
  /** Token text; for `text` the text left after trimming; for `error` the message. */
  readonly value: string;
  /** Offset of the token's first character in the source. */
  readonly pos: number;
  /** Offset just past the token (for `text`, past the kept text). */
  readonly end: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const LEFT = '{{';
const RIGHT = '}}';

/** Go's definition of white space for trimming: space, tab, carriage return, newline. */
export function isTrimSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isAlphaNumeric(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{Nd}_]/u.test(ch);
}

/** Scans the whole source into tokens; the last token is `eof` or `error`. */
export function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  const n = source.length;

  const fail = (at: number, message: string): Token[] => {
    tokens.push({ type: 'error', value: message, pos: at, end: at });
    return tokens;
  };

  while (true) {
    // Text up to the next left delimiter.
    const next = source.indexOf(LEFT, pos);
    let textEnd = next === -1 ? n : next;
    let textStart = pos;
    let leftTrim = false;
    if (next !== -1 && source[next + 2] === '-' && isTrimSpace(source[next + 3])) leftTrim = true;
    if (trimNextText) while (textStart < textEnd && isTrimSpace(source[textStart])) textStart++;
    if (leftTrim) while (textEnd > textStart && isTrimSpace(source[textEnd - 1])) textEnd--;
    if (textEnd > textStart) tokens.push({ type: 'text', value: source.slice(textStart, textEnd), pos: textStart, end: textEnd });
    trimNextText = false;
    if (next === -1) {
      tokens.push({ type: 'eof', value: '', pos: n, end: n });
      return tokens;
    }
    // The action.
    const actionStart = next;
    pos = next + 2 + (leftTrim ? 2 : 0);
    // Comments: `{{/*` or `{{- /*`, closed by `*/}}` or `*/ -}}`.
    if (source.startsWith('/*', pos)) {
      const close = source.indexOf('*/', pos + 2);
      if (close === -1) return fail(actionStart, 'unclosed comment');
      let after = close + 2;
      let rightTrim = false;
      if (isTrimSpace(source[after]) && source[after + 1] === '-' && source.startsWith(RIGHT, after + 2)) {
        rightTrim = true;
        after += 2;
      }
      if (!source.startsWith(RIGHT, after)) return fail(actionStart, 'comment ends before closing delimiter');
      pos = after + 2;
      tokens.push({ type: 'comment', value: source.slice(actionStart, pos), pos: actionStart, end: pos });
      trimNextText = rightTrim;
      continue;
    }
    tokens.push({ type: 'leftDelim', value: LEFT, pos: actionStart, end: pos });
    let parenDepth = 0;
    // Inside the action.
    while (true) {
      // Right delimiter, with or without trim marker.
      if (isTrimSpace(source[pos]) && source[pos + 1] === '-' && source.startsWith(RIGHT, pos + 2)) {
        if (parenDepth > 0) return fail(pos, 'unclosed left paren');
        tokens.push({ type: 'rightDelim', value: RIGHT, pos, end: pos + 4 });
        pos += 4;
        trimNextText = true;
        break;
      }
      if (source.startsWith(RIGHT, pos)) {
        if (parenDepth > 0) return fail(pos, 'unclosed left paren');
        tokens.push({ type: 'rightDelim', value: RIGHT, pos, end: pos + 2 });
        pos += 2;
        break;
      }
      if (pos >= n) return fail(actionStart, 'unclosed action');
      const ch = source[pos];
      const start = pos;
      if (isTrimSpace(ch)) {
        while (pos < n && isTrimSpace(source[pos]) && !(source[pos + 1] === '-' && source.startsWith(RIGHT, pos + 2))) pos++;
        if (pos === start) pos++; // a space that begins ` -}}` is handled above on the next turn
        if (pos > start) tokens.push({ type: 'space', value: source.slice(start, pos), pos: start, end: pos });
        continue;
      }
      if (ch === '=') {
        tokens.push({ type: 'assign', value: '=', pos, end: ++pos });
        continue;
      }
      if (ch === ':') {
        if (source[pos + 1] !== '=') return fail(pos, 'expected :=');
        pos += 2;
        tokens.push({ type: 'declare', value: ':=', pos: start, end: pos });
        continue;
      }
      if (ch === '|') {
        tokens.push({ type: 'pipe', value: '|', pos, end: ++pos });
        continue;
      }
      if (ch === '"' || ch === "'") {
        const end = scanQuoted(source, pos, ch);
        if (end < 0) return fail(start, ch === '"' ? 'unterminated quoted string' : 'unterminated character constant');
        pos = end;
        tokens.push({ type: ch === '"' ? 'string' : 'char', value: source.slice(start, pos), pos: start, end: pos });
        continue;
      }
      if (ch === '`') {
        const close = source.indexOf('`', pos + 1);
        if (close === -1) return fail(start, 'unterminated raw quoted string');
        pos = close + 1;
        tokens.push({ type: 'rawString', value: source.slice(start, pos), pos: start, end: pos });
        continue;
      }
      if (ch === '$') {
        pos++;
        while (isAlphaNumeric(source[pos])) pos++;
        tokens.push({ type: 'variable', value: source.slice(start, pos), pos: start, end: pos });
        continue;
      }
      if (ch === '.') {
        const c1 = source[pos + 1];
        if (c1 !== undefined && c1 >= '0' && c1 <= '9') {
          const end = scanNumber(source, pos);
          if (end < 0) return fail(start, `bad number syntax: "${source.slice(start, -end)}"`);
          pos = end;
          tokens.push({ type: 'number', value: source.slice(start, pos), pos: start, end: pos });
          continue;
        }
        pos++;
        while (isAlphaNumeric(source[pos])) pos++;
        if (pos === start + 1) tokens.push({ type: 'dot', value: '.', pos: start, end: pos });
        else tokens.push({ type: 'field', value: source.slice(start, pos), pos: start, end: pos });
        if (!atTerminator(source, pos)) return fail(pos, `bad character ${quoteRune(source[pos])}`);
        continue;
      }
      if (ch === '+' || ch === '-' || (ch >= '0' && ch <= '9')) {
        const end = scanNumber(source, pos);
        if (end < 0) return fail(start, `bad number syntax: "${source.slice(start, -end)}"`);
        pos = end;
        tokens.push({ type: 'number', value: source.slice(start, pos), pos: start, end: pos });
        continue;
      }
      if (isAlphaNumeric(ch)) {
        while (isAlphaNumeric(source[pos])) pos++;
        if (!atTerminator(source, pos)) return fail(pos, `bad character ${quoteRune(source[pos])}`);
        const word = source.slice(start, pos);
        const type: TokenType = KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier';
        tokens.push({ type, value: word, pos: start, end: pos });
        continue;
      }
      if (ch === '(') {
        parenDepth++;
        tokens.push({ type: 'leftParen', value: '(', pos, end: ++pos });
        continue;
      }
      if (ch === ')') {
        parenDepth--;
        if (parenDepth < 0) return fail(pos, 'unexpected right paren');
        tokens.push({ type: 'rightParen', value: ')', pos, end: ++pos });
        continue;
      }
      if (ch === ',') {
        tokens.push({ type: 'comma', value: ',', pos, end: ++pos });
        continue;
      }
      return fail(pos, `unrecognized character in action: ${quoteRune(ch)}`);
    }
  }
}

/** End offset of a quoted string or character constant starting at `pos`, or -1 when it is not closed on its line. */
function scanQuoted(source: string, pos: number, quote: string): number {
  let p = pos + 1;
  while (true) {
    const c = source[p];
    if (c === '\\') {
      p += 2;
      continue;
    }
    if (c === undefined || c === '\n') return -1;
    p++;
    if (c === quote) return p;
  }
}

/** After an identifier or field: space, end of action, or a token that may follow. */
function atTerminator(source: string, pos: number): boolean {
  const c = source[pos];
  if (c === undefined || isTrimSpace(c)) return true;
  if ('.,|:)('.includes(c)) return true;
  return source.startsWith(RIGHT, pos);
}

function quoteRune(ch: string | undefined): string {
  if (ch === undefined) return 'EOF';
  const code = ch.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}

/**
 * Scans a Go number literal (sign, 0x/0o/0b prefixes, underscores, fraction, exponent, `i`)
 * from `pos`; returns the end offset, or the negated end when what follows is not a terminator.
 */
function scanNumber(source: string, pos: number): number {
  let p = pos;
  if (source[p] === '+' || source[p] === '-') p++;
  let digits = '0123456789_';
  if (source[p] === '0' && /[xXoObB]/.test(source[p + 1] ?? '')) {
    const base = source[p + 1].toLowerCase();
    p += 2;
    digits = base === 'x' ? '0123456789abcdefABCDEF_' : base === 'o' ? '01234567_' : '01_';
  }
  while (p < source.length && digits.includes(source[p])) p++;
  if (source[p] === '.') {
    p++;
    while (p < source.length && digits.includes(source[p])) p++;
  }
  const exponent = digits.length > 20 ? 'pP' : 'eEpP';
  if (exponent.includes(source[p] ?? '~')) {
    p++;
    if (source[p] === '+' || source[p] === '-') p++;
    while (p < source.length && '0123456789_'.includes(source[p])) p++;
  }
  if (source[p] === 'i') p++;
  if (isAlphaNumeric(source[p]) || source[p] === '.') {
    let q = p;
    while (isAlphaNumeric(source[q]) || source[q] === '.') q++;
    return -q;
  }
  return p;
}
