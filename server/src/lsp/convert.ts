import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Position, type Range } from 'vscode-languageserver';
import type { LineIndex } from '../core/positions';
import type { Finding, OffsetRange, Severity } from '../core/types';
import { RULES_BY_ID } from '../rules';
import { PATTERNS } from '../rules/patterns';
import { ruleDocPath } from '../rules/docs';
import type { SbdDiagnosticData } from '../protocol';

/** The one place offsets become LSP positions (both are UTF-16 based). */
export function toRange(lines: LineIndex, range: OffsetRange): Range {
  return { start: lines.positionAt(range.start), end: lines.positionAt(range.end) };
}

/** Positions from clients are validated: anything but non-negative integers is rejected. */
export function isValidPosition(position: unknown): position is Position {
  if (typeof position !== 'object' || position === null) return false;
  const { line, character } = position as Record<string, unknown>;
  return Number.isInteger(line) && Number.isInteger(character) && (line as number) >= 0 && (character as number) >= 0;
}

export function isValidRange(range: unknown): range is Range {
  return typeof range === 'object' && range !== null && isValidPosition((range as Range).start) && isValidPosition((range as Range).end);
}

/** URIs we analyse: well-formed `file:` and `untitled:` URIs (editors also use others for virtual files). */
export function isValidUri(uri: unknown): uri is string {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > 8192) return false;
  try {
    const parsed = new URL(uri);
    return parsed.protocol.length > 1;
  } catch {
    return false;
  }
}

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };


/** Rule documentation installed next to the server bundle (dist/../docs/rules). */
export function ruleDocUri(ruleId: string): string {
  let uri = RULE_DOC_URIS.get(ruleId);
  if (uri === undefined) RULE_DOC_URIS.set(ruleId, (uri = pathToUri(path.join(__dirname, '..', ruleDocPath(ruleId)))));
  return uri;
}

/** Built once per rule id: a publish converts thousands of findings of a few dozen rules. */
const RULE_DOC_URIS = new Map<string, string>();

/** `[Zero Trust: Container runs as root]`: what a finding's message ends with, once per rule id and pattern. */
function messageSuffix(finding: Finding): string | undefined {
  if (!finding.pattern) return undefined;
  const key = `${finding.ruleId}\u0000${finding.pattern}`;
  let suffix = MESSAGE_SUFFIXES.get(key);
  if (suffix === undefined) {
    const rule = RULES_BY_ID.get(finding.ruleId);
    MESSAGE_SUFFIXES.set(key, (suffix = ` [${PATTERNS[finding.pattern].name}${rule ? `: ${rule.title}` : ''}]`));
  }
  return suffix;
}

const MESSAGE_SUFFIXES = new Map<string, string>();

export function toDiagnostic(finding: Finding, lines: LineIndex, otherFile: (file: string) => { uri: string; lines: LineIndex } | undefined, uri: string): Diagnostic {
  const patternName = finding.pattern ? PATTERNS[finding.pattern].name : undefined;
  const related: DiagnosticRelatedInformation[] = [];
  for (const location of finding.related ?? []) {
    if (!location.file) {
      related.push({ location: { uri, range: toRange(lines, location.range) }, message: location.message });
      continue;
    }
    const other = otherFile(location.file);
    if (other) related.push({ location: { uri: other.uri, range: toRange(other.lines, location.range) }, message: location.message });
  }
  const data: SbdDiagnosticData = { ruleId: finding.ruleId, pattern: finding.pattern, patternName, fixable: (finding.fixes?.length ?? 0) > 0 };
  const diagnostic: Diagnostic = {
    range: toRange(lines, finding.range),
    severity: SEVERITY[finding.severity],
    source: 'sbd',
    code: finding.ruleId,
    codeDescription: { href: ruleDocUri(finding.ruleId) },
    message: patternName ? finding.message + messageSuffix(finding) : finding.message,
    data,
  };
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

/** Offsets and ranges overlap or touch (an empty range at a finding's edge still selects it). */
export function touches(a: OffsetRange, b: OffsetRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * A content change as the LSP spec says to read it: a position past the end of its line means the
 * line's end, a line past the last means the end of the document (LSP 3.17, Position). Ranges
 * whose numbers are not unsigned integers, or that end before they start, are refused (undefined).
 */
export function clampChange(document: { offsetAt(position: Position): number; positionAt(offset: number): Position }, change: unknown): { range?: Range; text: string } | undefined {
  const candidate = change as { range?: unknown; text?: unknown } | undefined;
  if (typeof candidate?.text !== 'string') return undefined;
  if (candidate.range === undefined) return { text: candidate.text };
  if (!isValidRange(candidate.range)) return undefined;
  const start = document.offsetAt(candidate.range.start);
  const end = document.offsetAt(candidate.range.end);
  if (end < start) return undefined;
  return { range: { start: document.positionAt(start), end: document.positionAt(end) }, text: candidate.text };
}
