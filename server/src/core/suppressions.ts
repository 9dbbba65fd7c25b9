import { Lexer } from './yaml';
import type { OffsetRange } from './types';

/**
 * `# sbd-ignore RULE-ID[,RULE-ID] reason="…" [until=YYYY-MM-DD]` on the line above a finding or at
 * the end of its line; `# sbd-ignore-file RULE-ID …` anywhere for the whole file. The same
 * syntax holds in every file kind because it lives in comments — real YAML comments, as the
 * parser's lexer finds them: text inside a block scalar, a quoted string or a description is data,
 * and data must never switch a check off.
 */
export interface Suppression {
  readonly scope: 'line' | 'file';
  readonly ruleIds: readonly string[];
  /** The reason given; undefined when none is, or when it is only a placeholder (`TODO…`). */
  readonly reason?: string;
  /** A placeholder written where the reason belongs (`TODO: why this is acceptable`): no reason, reported as missing. */
  readonly placeholderReason?: string;
  readonly until?: string;
  /** The directive's range in the file. */
  readonly range: OffsetRange;
  /** 0-based line the suppression covers (line scope only). */
  readonly targetLine: number;
  /** 0-based line the comment is on. */
  readonly line: number;
  /** Why the directive is not well-formed; such a directive suppresses nothing. */
  readonly problem?: string;
}

/** Attributes a directive may carry; anything else is reported, never guessed at. */
const ATTRIBUTES = new Set(['reason', 'until']);
const DIRECTIVE_START = /#[ \t]*sbd-ignore(-file)?(?=[\s:]|$)[: \t]*/y;
const RULE_IDS = /([A-Za-z]+\d+(?:[ \t]*,[ \t]*[A-Za-z]+\d+)*)[ \t]*/y;
/** `name=value`, the value double-quoted, single-quoted (no escapes, no line break) or bare. */
const ATTRIBUTE = /([A-Za-z][\w-]*)[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s"'#]+))[ \t]*/y;
const NEXT_DIRECTIVE = /#[ \t]*sbd-ignore/y;
/** Lexer tokens that mark structure and take no room in the source (yaml's CST docs: document, scalar, flow-error-end). */
const ZERO_WIDTH_TOKENS = new Set(['\u0002', '\u001f', '\u0018']);

/**
 * Every suppression directive in the comments of `text` (all documents), in order. Fields are read
 * strictly: an impossible date, an unknown or repeated attribute or stray text is a `problem`.
 */
export function findSuppressions(text: string): Suppression[] {
  const found: Suppression[] = [];
  const lines = new LineCounter(text);
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token.length === 1 && ZERO_WIDTH_TOKENS.has(token)) continue;
    const start = offset;
    offset += token.length;
    if (token[0] !== '#' || !token.includes('sbd-ignore')) continue;
    const lineNumber = lines.lineAt(start);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const ownLine = text.slice(lineStart, start).trim() === '';
    const lineEnd = text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start);
    for (const directive of parseComment(token)) {
      found.push({
        ...directive,
        range: { start: start + directive.range.start, end: start + directive.range.end },
        line: lineNumber,
        targetLine: ownLine ? nextContentLine(text, lineEnd, lineNumber) : lineNumber,
      });
    }
  }
  return found;
}

type ParsedDirective = Omit<Suppression, 'line' | 'targetLine'>;

/** The directives of one comment (`# sbd-ignore A reason=… # sbd-ignore B reason=…`); ranges relative to the comment. */
export function parseComment(comment: string): ParsedDirective[] {
  const directives: ParsedDirective[] = [];
  let at = 0;
  while (at < comment.length) {
    DIRECTIVE_START.lastIndex = at;
    const head = DIRECTIVE_START.exec(comment);
    if (!head) break;
    const start = at;
    at = DIRECTIVE_START.lastIndex;
    RULE_IDS.lastIndex = at;
    const ids = RULE_IDS.exec(comment);
    if (ids) at = RULE_IDS.lastIndex;
    const attributes = new Map<string, string>();
    const problems: string[] = [];
    while (at < comment.length) {
      NEXT_DIRECTIVE.lastIndex = at;
      if (NEXT_DIRECTIVE.test(comment)) break;
      ATTRIBUTE.lastIndex = at;
      const attribute = ATTRIBUTE.exec(comment);
      if (!attribute) {
        // Stray text: report it and skip to the next directive, if any.
        const next = comment.indexOf('#', at + 1);
        const stray = comment.slice(at, next === -1 ? comment.length : next).trim();
        problems.push(`unexpected text "${stray.length > 40 ? `${stray.slice(0, 40)}…` : stray}" (write attributes as reason="…" until=YYYY-MM-DD)`);
        at = next === -1 ? comment.length : next;
        continue;
      }
      at = ATTRIBUTE.lastIndex;
      const name = attribute[1].toLowerCase();
      const value = attribute[2] ?? attribute[3] ?? attribute[4];
      if (!ATTRIBUTES.has(name)) problems.push(`unknown attribute "${attribute[1]}" (a suppression takes reason= and until=)`);
      else if (attributes.has(name)) problems.push(`${name}= is given twice`);
      else attributes.set(name, value);
    }
    const until = attributes.get('until');
    if (until !== undefined && !isCalendarDate(until)) problems.push(`until=${until} is not a real YYYY-MM-DD date`);
    const written = attributes.get('reason')?.trim();
    const placeholder = written !== undefined && written !== '' && isPlaceholderReason(written);
    const reason = placeholder ? undefined : written;
    directives.push({
      scope: head[1] ? 'file' : 'line',
      ruleIds: (ids?.[1] ?? '').split(',').map((id) => id.trim().toUpperCase()).filter(Boolean),
      reason: reason ? reason : undefined,
      placeholderReason: placeholder ? written : undefined,
      until: until !== undefined && problems.length === 0 ? until : undefined,
      range: { start, end: comment.slice(0, at).trimEnd().length },
      problem: problems.length > 0 ? problems.join('; ') : undefined,
    });
  }
  return directives;
}

/** `YYYY-MM-DD` naming a day that exists (2026-02-30 does not). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The first line after `lineEnd` that is not blank and not only a comment. */
function nextContentLine(text: string, lineEnd: number, lineNumber: number): number {
  let line = lineNumber;
  let start = lineEnd + 1;
  while (start <= text.length) {
    line++;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const content = text.slice(start, end).trim();
    if (content !== '' && !content.startsWith('#')) return line;
    if (end === text.length) break;
    start = end + 1;
  }
  return lineNumber + 1;
}

/** 0-based line of ascending offsets, counting newlines once over the whole text (many directives stay linear). */
class LineCounter {
  private offset = 0;
  private line = 0;

  constructor(private readonly text: string) {}

  lineAt(target: number): number {
    if (target < this.offset) {
      this.offset = 0;
      this.line = 0;
    }
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < target; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
      this.offset = i + 1;
    }
    return this.line;
  }
}

/**
 * Text that stands where a reason should be without being one: `TODO…`, `FIXME`, `TBD`, `XXX`,
 * `…`, `?`, `reason`, or the template "why this is acceptable" left as it was.
 */
export function isPlaceholderReason(reason: string): boolean {
  const text = reason.trim();
  return /^(?:todo|fixme|tbd|tbc|xxx|wip|placeholder|reason|why|n\/?a|none|-+|\.+|…+|\?+)\b|^(?:\.+|…+|\?+|-+)$/i.test(text) || /why this is acceptable/i.test(text);
}

export function isExpired(suppression: Suppression, today: string): boolean {
  return suppression.until !== undefined && suppression.until < today;
}
