import { parseAllDocuments, type Document } from './yaml';
import type { OffsetRange } from './types';
import { YamlTree } from './tree';

/** A `---`-delimited section of a file. Everything derived from it is relative to `start`. */
export interface Segment {
  /** Offset of the segment in the whole file. */
  readonly start: number;
  readonly text: string;
}

export interface ParseProblem {
  readonly message: string;
  /** Relative to the segment. */
  readonly range: OffsetRange;
  readonly severity: 'error' | 'warning';
  readonly code: string;
}

export interface ParsedSegment {
  readonly segment: Segment;
  /** One tree per YAML document in the segment (normally exactly one). */
  readonly trees: readonly YamlTree[];
  readonly problems: readonly ParseProblem[];
}

const DOCUMENT_START = /^---(?:[ \t]|\r?$)/;
const DIRECTIVE_OR_TRIVIA = /^(?:%.*|#.*|[ \t]*|\.\.\.[ \t]*)$/;

/**
 * Splits a file at `---` lines. A `---` at column 0 always starts a new YAML document (even
 * inside a block scalar), so each segment parses on its own with the same result as parsing
 * the whole stream; that is what lets an edit re-parse only the segment it touched.
 */
export function splitDocuments(text: string): Segment[] {
  const starts: number[] = [0];
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (lineStart > 0 && text.charCodeAt(lineStart) === 45 /* - */ && DOCUMENT_START.test(text.slice(lineStart, Math.min(lineEnd, lineStart + 5)))) {
      starts.push(lineStart);
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  const segments: Segment[] = [];
  let pendingStart = -1;
  for (let i = 0; i < starts.length; i++) {
    const start = pendingStart === -1 ? starts[i] : pendingStart;
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const body = text.slice(starts[i], end);
    // Directives and comments before a `---` belong to the document that follows.
    if (i + 1 < starts.length && isTrivia(body, i > 0)) {
      pendingStart = start;
      continue;
    }
    pendingStart = -1;
    segments.push({ start, text: text.slice(start, end) });
  }
  return segments;
}

function isTrivia(body: string, startsWithMarker: boolean): boolean {
  const lines = body.split('\n');
  if (startsWithMarker) return false;
  return lines.every((line) => DIRECTIVE_OR_TRIVIA.test(line.replace(/\r$/, '')));
}

export function parseSegment(segment: Segment): ParsedSegment {
  const problems: ParseProblem[] = [];
  const trees: YamlTree[] = [];
  let documents: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(segment.text, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
    documents = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    // The parser recurses per nesting level; absurdly deep input ends here instead of crashing us.
    const reason = error instanceof RangeError ? 'the YAML is nested too deeply to analyse' : `the YAML parser failed: ${String((error as Error)?.message ?? error)}`;
    problems.push({ message: reason, range: { start: 0, end: Math.min(segment.text.length, firstLineEnd(segment.text)) }, severity: 'error', code: 'PARSE_FAILED' });
    return { segment, trees, problems };
  }
  for (const document of documents) {
    for (const error of document.errors) problems.push(toProblem(error, 'error', segment.text.length));
    for (const warning of document.warnings) problems.push(toProblem(warning, 'warning', segment.text.length));
    trees.push(new YamlTree(document, segment.text));
  }
  return { segment, trees, problems };
}

function toProblem(error: { message: string; pos: [number, number]; code: string }, severity: 'error' | 'warning', length: number): ParseProblem {
  const start = Math.min(error.pos[0], length);
  const end = Math.min(Math.max(error.pos[1], start), length);
  const firstLine = error.message.split('\n')[0];
  return { message: firstLine, range: { start, end }, severity, code: error.code };
}

function firstLineEnd(text: string): number {
  const newline = text.indexOf('\n');
  return newline === -1 ? text.length : newline;
}
