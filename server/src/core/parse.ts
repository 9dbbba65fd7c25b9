import { isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from './yaml';
import type { OffsetRange } from './types';
import { YamlTree } from './tree';
import type { ReplacedStretch } from './positions';

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

/**
 * The parser's own duplicate-key check compares every key with every earlier one (quadratic: one
 * map of 100,000 keys takes minutes), so duplicates are found in linear time by `duplicateKeys`.
 */
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false } as const;

export function parseSegment(segment: Segment): ParsedSegment {
  const problems: ParseProblem[] = [];
  const trees: YamlTree[] = [];
  let documents: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(segment.text, PARSE_OPTIONS);
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
 * equality: scalar keys with the same value, in text order. Iterative, since input may be nested
 * very deeply.
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
  return problems.sort((a, b) => a.range.start - b.range.start);
}

function firstLineEnd(text: string): number {
  const newline = text.indexOf('\n');
  return newline === -1 ? text.length : newline;
}

/** Where a block collection hangs in its parent, so a re-parsed one can take its place. */
type Slot = { readonly pair: Pair } | { readonly seq: YAMLSeq; readonly index: number } | { readonly document: Document.Parsed };

/**
 * Re-parses only the part of a segment an edit touched: the smallest block collection (map or
 * sequence, not flow) that strictly encloses the edit is parsed again on its own, indented as
 * before, and spliced into the previous tree; every later range moves by the edit's length.
 * Sound because a block collection's extent is bounded by indentation: the fragment is accepted
 * only when it parses without warnings into one block collection of the same kind, at the same
 * column, that consumes the whole fragment, and either without errors or with only errors a
 * half-typed line causes (`errorsStayInside`; typing makes most keystrokes such an error). The
 * old document's errors must lie inside the replaced block. Anything else (a directive, several
 * documents in the segment, an edit at a collection's edge up to the root) returns undefined and
 * the caller parses the whole segment, as it would have without this.
 *
 * `previous` must be the parse of the segment's old text and is consumed: its tree is changed in
 * place (an edited 1.4 MB document is then never held twice), so nothing may read it afterwards.
 */
export function reparseSegment(previous: ParsedSegment, segment: Segment, edit: ReplacedStretch): ParsedSegment | undefined {
  if (previous.trees.length !== 1 || previous.problems.some((problem) => problem.code === 'PARSE_FAILED' || problem.code === 'TOO_MANY_PROBLEMS')) return undefined;
  const document = previous.trees[0].document;
  const root = document.contents as Node | null;
  const oldText = previous.segment.text;
  const delta = edit.insertedLength - (edit.end - edit.start);
  if (!root?.range || oldText.length + delta !== segment.text.length || document.warnings.length > 0) return undefined;
  // A %YAML or %TAG directive changes how the fragment would resolve on its own.
  if (/(?:^|\n)%/.test(oldText.slice(0, root.range[0]))) return undefined;
  const target = enclosingBlock(document, root, edit, oldText);
  if (!target) return undefined;
  const { node, slot, column, chain } = target;
  const [start, , end] = node.range!;
  // The old errors must all lie in the replaced block: then the document's errors are the fragment's alone.
  if (document.errors.some((error) => error.pos[0] < start || error.pos[1] > end)) return undefined;
  // A broken line can cut the block, or a collection around it, short in the old tree (an unclosed
  // quote swallows the lines after it); once mended, those lines belong to it again, which the
  // fragment does not hold: the block and every block around it must end where a full parse of the
  // new text ends them.
  if (chain.some((block) => !blockEndsAt(segment.text, block.end + delta, block.column, block.sequence))) return undefined;
  const fragment = ' '.repeat(column) + segment.text.slice(start, end + delta);
  // A block ending in a comment extends, in the whole document, over the next line's indentation,
  // which the fragment does not hold (`read_only: #true` as the last entry): parse the segment.
  if (/(?:^|\s)#/.test(fragment.slice(fragment.trimEnd().lastIndexOf('\n') + 1))) return undefined;
  let parsed: Document.Parsed[];
  try {
    const result = parseAllDocuments(fragment, PARSE_OPTIONS);
    parsed = Array.isArray(result) ? result : [];
  } catch {
    return undefined;
  }
  const replacement = parsed[0]?.contents as Node | null | undefined;
  if (parsed.length !== 1 || parsed[0].warnings.length > 0) return undefined;
  const errors = parsed[0].errors;
  if (errors.length > 0 && !errorsStayInside(errors, oldText, segment.text, edit, column)) return undefined;
  if (!isCollection(replacement) || replacement.flow || isMap(replacement) !== isMap(node) || replacement.anchor || replacement.tag) return undefined;
  const range = replacement.range;
  if (!range || range[0] !== column || range[1] !== fragment.length || range[2] !== fragment.length) return undefined;
  // Found in the fragment's offsets; moved into the segment's with the tree below.
  const inner = duplicateKeys(replacement).map((problem) => ({ ...problem, range: { start: problem.range.start + start - column, end: problem.range.end + start - column } }));
  const outer = previous.problems.filter((problem) => problem.code === 'DUPLICATE_KEY' && (problem.range.end <= start || problem.range.start >= end));
  if (errors.length + inner.length + outer.length > MAX_PROBLEMS_PER_SEGMENT) return undefined;
  for (const error of errors) error.pos = [error.pos[0] + start - column, error.pos[1] + start - column];
  document.errors = errors;
  // Accepted: move the fragment's ranges into the segment, the later ranges by the edit, and splice.
  shiftRanges(replacement, start - column, 0);
  shiftRanges(root, delta, end, node);
  if (document.range) document.range = shiftTriple(document.range, delta, end);
  if ('pair' in slot) slot.pair.value = replacement;
  else if ('seq' in slot) slot.seq.items[slot.index] = replacement;
  else slot.document.contents = replacement as never;
  const moved = outer.map((problem) => (problem.range.start >= end ? { ...problem, range: { start: problem.range.start + delta, end: problem.range.end + delta } } : problem));
  // In a full parse's order: the parser's errors, then the repeated keys in text order.
  const problems = [...errors.map((error) => toProblem(error, 'error', segment.text.length)), ...[...moved, ...inner].sort((a, b) => a.range.start - b.range.start)];
  return { segment, trees: [new YamlTree(document, segment.text)], problems };
}

/** Where a block collection of the old tree ends (before the edit's shift), the column it starts at, and whether it is a sequence. */
interface BlockEnd {
  readonly end: number;
  readonly column: number;
  readonly sequence: boolean;
}

/**
 * Whether a block collection starting at `column` ends at `offset` of `text` in a full parse: the
 * rest of the line there holds at most a comment, and the first later line with more than a
 * comment is less indented (YAML 1.2, 8.2: a block collection's entries sit at its indentation),
 * or, for a sequence, as indented but not an entry (`key:\n- a\nnext: b`, a sequence at its
 * parent map's indentation). True at the end of the text.
 */
function blockEndsAt(text: string, offset: number, column: number, sequence: boolean): boolean {
  let lineStart = offset;
  if (offset > 0 && text[offset - 1] !== '\n') {
    const newline = text.indexOf('\n', offset);
    const rest = text.slice(offset, newline === -1 ? text.length : newline).trim();
    if (rest !== '' && !rest.startsWith('#')) return false;
    if (newline === -1) return true;
    lineStart = newline + 1;
  }
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, newline === -1 ? text.length : newline);
    const content = line.trimStart();
    if (content !== '' && !content.startsWith('#')) {
      const indent = line.length - content.length;
      return indent < column || (sequence && indent === column && !/^-(?:\s|$)/.test(content));
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return true;
}

/** Error codes the parser reports for a broken line in block context without running past it. */
const LINE_LOCAL_ERRORS = new Set(['MULTILINE_IMPLICIT_KEY', 'UNEXPECTED_TOKEN', 'BLOCK_AS_IMPLICIT_KEY', 'TAB_AS_INDENT', 'BAD_INDENT']);

/**
 * Whether a fragment that parsed with errors still parses as it would inside the whole document.
 * Where the fragment ends, the whole document goes on with a less indented line; the two parses
 * agree there unless a quoted scalar or flow collection is still open, which only the edited lines
 * can open or close (the rest of the block parsed before). So: only line-local errors, past the
 * padding, and the edited lines (before and after) hold no quote, bracket, brace, block scalar
 * header, anchor, alias or tag, and no line less indented than the block.
 */
function errorsStayInside(errors: ReadonlyArray<{ code: string; pos: [number, number] }>, oldText: string, newText: string, edit: ReplacedStretch, column: number): boolean {
  if (errors.some((error) => !LINE_LOCAL_ERRORS.has(error.code) || error.pos[0] < column)) return false;
  const lineStart = oldText.lastIndexOf('\n', edit.start - 1) + 1;
  const lineEnd = (text: string, offset: number) => {
    const newline = text.indexOf('\n', offset);
    return newline === -1 ? text.length : newline;
  };
  const edited = [oldText.slice(lineStart, lineEnd(oldText, edit.end)), newText.slice(lineStart, lineEnd(newText, edit.start + edit.insertedLength))];
  if (edited.some((lines) => /["'[\]{}|>&*!%]/.test(lines))) return false;
  return edited[1].split('\n').every((line) => line.trim() === '' || /^ */.exec(line)![0].length >= column);
}

/**
 * The deepest block collection whose value strictly encloses the edit (so text of it stays on
 * both sides), with where it hangs and the column its first line starts at. Collections with an
 * anchor or tag are skipped (those sit on the parent's line, outside the fragment).
 */
function enclosingBlock(document: Document.Parsed, root: Node, edit: ReplacedStretch, text: string): { node: YAMLMap | YAMLSeq; slot: Slot; column: number; chain: BlockEnd[] } | undefined {
  let best: { node: YAMLMap | YAMLSeq; slot: Slot; column: number; chain: BlockEnd[] } | undefined;
  const chain: BlockEnd[] = [];
  let node: unknown = root;
  let slot: Slot = { document };
  while (isCollection(node) && !node.flow && node.range && node.range[0] < edit.start && edit.end < node.range[1]) {
    const start = node.range[0];
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    // Only indentation and sequence dashes may precede it on its line, so spaces can stand in for them.
    if (!node.anchor && !node.tag && /^[ -]*$/.test(text.slice(lineStart, start))) {
      chain.push({ end: node.range[2], column: start - lineStart, sequence: isSeq(node) });
      best = { node, slot, column: start - lineStart, chain: [...chain] };
    }
    const index = lastItemStartingBefore(node.items as unknown[], edit.start);
    if (index < 0) break;
    if (isSeq(node)) {
      slot = { seq: node, index };
      node = node.items[index];
    } else {
      const pair = node.items[index] as Pair;
      slot = { pair };
      node = pair.value;
    }
  }
  return best;
}

/** Index of the last item (pair by its key) starting before `offset`, by binary search; -1 if none or unknown. */
function lastItemStartingBefore(items: readonly unknown[], offset: number): number {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const item = items[mid];
    const start = (isPair(item) ? (item.key as Node | null)?.range : (item as Node | null)?.range)?.[0];
    if (start === undefined) return -1;
    if (start < offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

function shiftTriple(range: [number, number, number], delta: number, from: number): [number, number, number] {
  return [range[0] >= from ? range[0] + delta : range[0], range[1] >= from ? range[1] + delta : range[1], range[2] >= from ? range[2] + delta : range[2]];
}

/** Adds `delta` to every range offset at or after `from` under `root`; subtrees ending before `from`, and `except`, are skipped. */
function shiftRanges(root: unknown, delta: number, from: number, except?: unknown): void {
  if (delta === 0) return;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === except) continue;
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    const range = (node as Node | null)?.range;
    if (!range || range[2] < from) continue;
    (node as Node).range = shiftTriple(range, delta, from);
    if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
  }
}
