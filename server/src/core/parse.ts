import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document } from './yaml';
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
  // Checked first: splitting every document into lines on every keystroke is what made this slow.
  if (startsWithMarker) return false;
  return body.split('\n').every((line) => DIRECTIVE_OR_TRIVIA.test(line.replace(/\r$/, '')));
}

export function parseSegment(segment: Segment): ParsedSegment {
  const problems: ParseProblem[] = [];
  const trees: YamlTree[] = [];
  let documents: Document.Parsed[];
  try {
    // The parser's own duplicate-key check compares every key with every earlier one (quadratic:
    // one map of 100,000 keys takes minutes), so duplicates are found below in linear time instead.
    const parsed = parseAllDocuments(segment.text, { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
    documents = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    // The parser recurses per nesting level; absurdly deep input ends here instead of crashing us.
    const reason = error instanceof RangeError ? 'the YAML is nested too deeply to analyse' : `the YAML parser failed: ${String((error as Error)?.message ?? error)}`;
    problems.push({ message: reason, range: { start: 0, end: Math.min(segment.text.length, firstLineEnd(segment.text)) }, severity: 'error', code: 'PARSE_FAILED' });
    return { segment, trees, problems };
  }
  for (const document of documents) {
    for (const error of document.errors) problems.push(toProblem(error, 'error', segment.text.length));
    problems.push(...duplicateKeys(document.contents));
    for (const warning of document.warnings) problems.push(toProblem(warning, 'warning', segment.text.length));
    trees.push(new YamlTree(document, segment.text));
  }
  return { segment, trees, problems: capProblems(problems) };
}

/** One broken line can make the parser report an error per nesting level; the first ones say it all. */
const MAX_PROBLEMS_PER_SEGMENT = 100;

function capProblems(problems: ParseProblem[]): ParseProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_SEGMENT) return problems;
  const kept = problems.slice(0, MAX_PROBLEMS_PER_SEGMENT);
  const first = problems[MAX_PROBLEMS_PER_SEGMENT];
  const more = problems.length - MAX_PROBLEMS_PER_SEGMENT;
  kept.push({ message: `${more} more YAML problems in this document are not shown; fix the ones above first`, range: first.range, severity: 'error', code: 'TOO_MANY_PROBLEMS' });
  return kept;
}

function toProblem(error: { message: string; pos: [number, number]; code: string }, severity: 'error' | 'warning', length: number): ParseProblem {
  const start = Math.min(error.pos[0], length);
  const end = Math.min(Math.max(error.pos[1], start), length);
  // The parser reports its own stack overflow on absurdly deep input as an ordinary error.
  const firstLine = /maximum call stack/i.test(error.message) ? 'the YAML is nested too deeply to analyse' : error.message.split('\n')[0];
  return { message: firstLine, range: { start, end }, severity, code: error.code };
}

/**
 * Every repeated key of every map (each repeat after the first), with the parser's notion of
 * equality: scalar keys with the same value. Iterative, since input may be nested very deeply.
 */
function duplicateKeys(root: unknown): ParseProblem[] {
  const problems: ParseProblem[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
      continue;
    }
    if (!isMap(node)) continue;
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      stack.push(pair);
      const key = pair.key;
      if (!isScalar(key)) continue;
      if (!seen.has(key.value)) {
        seen.add(key.value);
        continue;
      }
      const [start, end] = key.range ?? [0, 0];
      problems.push({ message: 'Map keys must be unique', range: { start, end: Math.max(start, end) }, severity: 'error', code: 'DUPLICATE_KEY' });
    }
  }
  return problems;
}

function firstLineEnd(text: string): number {
  const newline = text.indexOf('\n');
  return newline === -1 ? text.length : newline;
}
