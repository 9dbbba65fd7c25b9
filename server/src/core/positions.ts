import type { OffsetRange, Position } from './types';

/** Maps offsets to 0-based line/character and back; built once per text in O(n). */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[position.line];
    const nextLineStart = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    return Math.max(lineStart, Math.min(lineStart + position.character, nextLineStart));
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > 0 && this.text[next - 1] === '\r' ? next - 1 : next;
  }
}

/** Column (0-based) of an offset within its line, without building an index. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** A range moved by `delta` (a segment-relative range into file offsets, or back). */
export function shiftRange(range: OffsetRange, delta: number): OffsetRange {
  return { start: range.start + delta, end: range.end + delta };
}

/** The one stretch an edit replaced: old `[start, end)` became `insertedLength` characters. */
export interface ReplacedStretch {
  readonly start: number;
  readonly end: number;
  readonly insertedLength: number;
}

/** Compared a block at a time before character by character: a keystroke in a 1.4 MB text costs microseconds, not a walk over both. */
const COMPARE_BLOCK = 4096;

/**
 * The stretch between two texts that differs, as the longest common prefix and (not overlapping
 * it) the longest common suffix leave it, in `before`'s offsets.
 */
export function replacedStretch(before: string, after: string): ReplacedStretch {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix + COMPARE_BLOCK <= limit && before.slice(prefix, prefix + COMPARE_BLOCK) === after.slice(prefix, prefix + COMPARE_BLOCK)) prefix += COMPARE_BLOCK;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const room = limit - prefix;
  while (suffix + COMPARE_BLOCK <= room && before.slice(before.length - suffix - COMPARE_BLOCK, before.length - suffix) === after.slice(after.length - suffix - COMPARE_BLOCK, after.length - suffix)) suffix += COMPARE_BLOCK;
  while (suffix < room && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: prefix, end: before.length - suffix, insertedLength: after.length - suffix - prefix };
}
