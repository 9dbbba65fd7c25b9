import type { OffsetRange } from './types';

/**
 * `# sbd-ignore RULE-ID[,RULE-ID] reason="…" [until=YYYY-MM-DD]` on the line above a finding or at
 * the end of its line; `# sbd-ignore-file RULE-ID …` anywhere for the whole file. The same
 * syntax holds in every file kind because it lives in comments.
 */
export interface Suppression {
  readonly scope: 'line' | 'file';
  readonly ruleIds: readonly string[];
  /** The reason given; undefined when none is, or when it is only a placeholder (`TODO…`). */
  readonly reason?: string;
  /** A placeholder written where the reason belongs (`TODO: why this is acceptable`): no reason, reported as missing. */
  readonly placeholderReason?: string;
  readonly until?: string;
  /** The comment's range in the file. */
  readonly range: OffsetRange;
  /** 0-based line the suppression covers (line scope only). */
  readonly targetLine: number;
  /** 0-based line the comment is on. */
  readonly line: number;
  readonly malformedUntil?: string;
}

const MARKER = 'sbd-ignore';
const DIRECTIVE = /#\s*sbd-ignore(-file)?(?=[\s:]|$)[:\s]*([A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)?(.*)$/;
const REASON = /reason\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))/;
const UNTIL = /until\s*=\s*(\S+)/;

export function findSuppressions(text: string): Suppression[] {
  const found: Suppression[] = [];
  let from = 0;
  let lastDirective = -1;
  const lines = new LineCounter(text);
  for (let hit = text.indexOf(MARKER, from); hit !== -1; hit = text.indexOf(MARKER, from)) {
    const lineStart = text.lastIndexOf('\n', hit - 1) + 1;
    let lineEnd = text.indexOf('\n', hit);
    if (lineEnd === -1) lineEnd = text.length;
    // Several directives may share a line (`# sbd-ignore A reason=… # sbd-ignore B reason=…`).
    from = hit + MARKER.length;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const hash = line.lastIndexOf('#', hit - lineStart);
    if (hash === -1 || (hash > 0 && !/\s/.test(line[hash - 1]))) continue;
    // "sbd-ignore" again inside the same comment (e.g. in its reason) is not a second directive.
    if (lineStart + hash === lastDirective) continue;
    lastDirective = lineStart + hash;
    const match = DIRECTIVE.exec(line.slice(hash));
    if (!match) continue;
    const ownLine = line.slice(0, hash).trim() === '';
    const lineNumber = lines.lineAt(lineStart);
    const rest = match[3] ?? '';
    const reasonMatch = REASON.exec(rest);
    const written = (reasonMatch?.[1] ?? reasonMatch?.[2] ?? reasonMatch?.[3])?.trim();
    const placeholder = written !== undefined && isPlaceholderReason(written);
    const reason = placeholder ? undefined : written;
    const untilText = UNTIL.exec(rest)?.[1];
    const untilValid = untilText !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(untilText) && !Number.isNaN(Date.parse(untilText));
    found.push({
      scope: match[1] ? 'file' : 'line',
      ruleIds: (match[2] ?? '').split(',').map((id) => id.trim().toUpperCase()).filter(Boolean),
      reason: reason ? reason : undefined,
      placeholderReason: placeholder ? written : undefined,
      until: untilValid ? untilText : undefined,
      malformedUntil: untilText !== undefined && !untilValid ? untilText : undefined,
      range: { start: lineStart + hash, end: lineEnd > lineStart && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd },
      line: lineNumber,
      targetLine: ownLine ? nextContentLine(text, lineEnd, lineNumber) : lineNumber,
    });
  }
  return found;
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
