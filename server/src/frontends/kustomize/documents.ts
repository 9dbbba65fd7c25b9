import { parseAllDocuments, type Document } from '../../core/yaml';
import type { SourceSpan } from '../sourceMap';
import { DuplicateKey, fromYaml, NodeBudgetExceeded, type KNode, type KScalar } from './nodes';
import { BuildError } from './problems';

/** YAML documents of one text, converted to build trees (null for empty documents). */
export interface ParsedDocuments {
  readonly text: string;
  readonly documents: ReadonlyArray<KNode | null>;
}

export interface ParseOptions {
  readonly file: string;
  /** Maps an offset into `text` to one into `file` (identity for a whole file). */
  readonly toFileOffset?: (offset: number) => number;
  readonly plainScalars?: 'yaml-v3' | 'yaml-1.1';
  readonly maxNodes: number;
}

/**
 * Parses YAML text into build trees. Throws `BuildError` (code `yaml-error`, at the offending
 * place) on a syntax error, a repeated key, or more nodes than `maxNodes` after alias expansion.
 * The trees are the cache's masters: callers clone before they change one.
 */
export function parseDocuments(text: string, options: ParseOptions): ParsedDocuments {
  const toFileOffset = options.toFileOffset ?? ((offset: number) => offset);
  let documents: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
    documents = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    throw new BuildError(`${options.file} could not be parsed: ${(error as Error).message}`, 'yaml-error', { file: options.file, range: { start: toFileOffset(0), end: toFileOffset(0) } });
  }
  const budget = { remaining: options.maxNodes };
  const out: Array<KNode | null> = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const start = toFileOffset(Math.min(error.pos[0], text.length));
      const end = toFileOffset(Math.min(Math.max(error.pos[1], error.pos[0]), text.length));
      const message = /maximum call stack/i.test(error.message) ? 'the YAML is nested too deeply to build' : `YAML error: ${error.message.split('\n')[0]}`;
      throw new BuildError(message, /maximum call stack/i.test(error.message) ? 'too-large' : 'yaml-error', { file: options.file, range: { start, end: Math.max(start, end) } });
    }
    if (document.contents === null || document.contents === undefined) {
      out.push(null);
      continue;
    }
    try {
      out.push(fromYaml(document.contents, { file: options.file, document, toFileOffset, budget, plainScalars: options.plainScalars }));
    } catch (failure) {
      if (failure instanceof DuplicateKey) throw new BuildError(`YAML error: ${failure.message}`, 'yaml-error', failure.span ?? { file: options.file, range: { start: 0, end: 0 } });
      if (failure instanceof NodeBudgetExceeded) throw new BuildError(`${options.file}: ${failure.message}; it is not built`, 'too-large', { file: options.file, range: { start: 0, end: 0 } });
      if (failure instanceof RangeError) throw new BuildError(`${options.file} is nested too deeply to build`, 'too-large', { file: options.file, range: { start: 0, end: 0 } });
      throw failure;
    }
  }
  return { text, documents: out };
}

/**
 * The text of a string value written in a kustomization (an inline patch) and a map from offsets
 * in that text to offsets in the kustomization file, so a patch line maps to its line in the file.
 * Literal blocks (`|`, `|-`) map line by line; quoted and plain strings map by offset.
 */
export function embeddedText(fileText: string, node: KScalar, trimStart: boolean): { text: string; toFileOffset: (offset: number) => number } {
  const value = typeof node.data === 'string' ? node.data : String(node.data ?? '');
  const span = node.origin;
  const lead = trimStart ? value.length - value.replace(/^\s+/, '').length : 0;
  const text = trimStart ? value.trim() : value;
  if (!span) return { text, toFileOffset: () => 0 };
  const start = span.range.start;
  const end = span.range.end;
  const indicator = fileText[start];
  if (indicator !== '|' && indicator !== '>') {
    const quoted = indicator === '"' || indicator === "'" ? 1 : 0;
    return { text, toFileOffset: (offset) => Math.min(end, start + quoted + lead + offset) };
  }
  const headerEnd = fileText.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { text, toFileOffset: () => start };
  const sourceLines: Array<{ start: number; end: number }> = [];
  let cursor = headerEnd + 1;
  while (cursor < end) {
    const newline = fileText.indexOf('\n', cursor);
    const lineEnd = newline < 0 || newline > end ? end : newline;
    sourceLines.push({ start: cursor, end: lineEnd });
    cursor = lineEnd + 1;
  }
  const explicit = /^[|>][+-]?([1-9])|^[|>]([1-9])/.exec(fileText.slice(start, headerEnd));
  let indent = explicit ? Number(explicit[1] ?? explicit[2]) : -1;
  if (indent < 0) {
    const first = sourceLines.find((line) => fileText.slice(line.start, line.end).trim() !== '');
    indent = first ? fileText.slice(first.start, first.end).length - fileText.slice(first.start, first.end).replace(/^ +/, '').length : 0;
  }
  const valueLineStarts: number[] = [0];
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) === 10) valueLineStarts.push(i + 1);
  return {
    text,
    toFileOffset: (offset) => {
      const absolute = offset + lead;
      let low = 0;
      let high = valueLineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (valueLineStarts[mid] <= absolute) low = mid;
        else high = mid - 1;
      }
      const line = sourceLines[Math.min(low, sourceLines.length - 1)];
      if (!line) return start;
      const column = absolute - valueLineStarts[low];
      return Math.min(line.end, line.start + Math.min(indent, line.end - line.start) + column);
    },
  };
}

/** A span covering the start of a file, for problems about the file as a whole. */
export function fileStart(file: string): SourceSpan {
  return { file, range: { start: 0, end: 0 } };
}
