import type { FileAnalysis } from './analyze';
import type { Finding } from '../core/types';
import { findingIdentity, fingerprint } from './fingerprint';

/** Where `sbd baseline` writes by default, and where the language server looks (workspace root). */
export const BASELINE_FILE_NAME = '.sbd-baseline.json';
export const BASELINE_VERSION = 1;

/** One recorded finding. Everything but `fingerprint` is there for people reviewing the file. */
export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  /** Relative to the baseline file's folder, `/`-separated. */
  readonly file: string;
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly findings: readonly BaselineEntry[];
}

export type BaselineParse = { ok: true; baseline: Baseline } | { ok: false; message: string };

/** Reads a baseline file's text; any other shape is refused with one sentence saying why. */
export function parseBaseline(text: string): BaselineParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const record = data as { version?: unknown; findings?: unknown };
  if (typeof data !== 'object' || data === null || record.version !== BASELINE_VERSION || !Array.isArray(record.findings)) {
    return { ok: false, message: `not a baseline of version ${BASELINE_VERSION} (expected {"version": 1, "findings": [...]}; write one with \`sbd baseline\`)` };
  }
  const findings: BaselineEntry[] = [];
  for (const [index, item] of record.findings.entries()) {
    const entry = item as Partial<BaselineEntry> | null;
    if (!entry || typeof entry.fingerprint !== 'string' || typeof entry.ruleId !== 'string') return { ok: false, message: `findings[${index}] has no fingerprint or ruleId` };
    findings.push({ fingerprint: entry.fingerprint, ruleId: entry.ruleId, file: String(entry.file ?? ''), object: String(entry.object ?? ''), path: String(entry.path ?? ''), message: String(entry.message ?? '') });
  }
  return { ok: true, baseline: { version: BASELINE_VERSION, findings } };
}

/** The file's text: sorted so that re-recording an unchanged repository gives no diff. */
export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.object.localeCompare(b.object) || a.path.localeCompare(b.path) || a.fingerprint.localeCompare(b.fingerprint));
  return JSON.stringify({ version: BASELINE_VERSION, findings: sorted }, null, 2) + '\n';
}

/** A finding with the entry that would record it. */
export function baselineEntry(analysis: FileAnalysis, finding: Finding, relativeFile: string): BaselineEntry {
  const identity = findingIdentity(analysis, finding);
  return { fingerprint: fingerprint(finding.ruleId, relativeFile, identity), ruleId: finding.ruleId, file: relativeFile, object: identity.object, path: identity.path, message: finding.message };
}

/**
 * Matches findings against a baseline. A fingerprint recorded n times absorbs at most n findings,
 * so a second identical problem added later is still new.
 */
export class BaselineMatcher {
  private readonly remaining = new Map<string, number>();

  constructor(baseline: Baseline) {
    for (const entry of baseline.findings) this.remaining.set(entry.fingerprint, (this.remaining.get(entry.fingerprint) ?? 0) + 1);
  }

  /** True (and the entry is used up) when the baseline records this fingerprint. */
  take(fingerprintValue: string): boolean {
    const left = this.remaining.get(fingerprintValue) ?? 0;
    if (left === 0) return false;
    this.remaining.set(fingerprintValue, left - 1);
    return true;
  }
}
