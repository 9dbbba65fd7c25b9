import type { Finding, PatternId, Severity } from '../core/types';

/**
 * The security score (docs/scoring.md): each pattern starts at 100 and every finding of one of
 * its rules deducts `SEVERITY_POINTS[severity] / k`, where k counts that rule's findings so far
 * (1 for the first, 2 for the second, …): a problem repeated across many objects weighs more than
 * one, but less than many different problems. A pattern score is clamped to 0 and rounded; the
 * overall score is the rounded mean of the five pattern scores, so each pattern weighs the same.
 * Findings about the analysis itself (SBD…) carry no pattern and deduct nothing.
 */
export const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { error: 10, warning: 5, info: 1 };
export const PATTERN_IDS: readonly PatternId[] = ['ZT', 'IMM', 'BND', 'TCB', 'FF'];

export interface Deduction {
  readonly ruleId: string;
  readonly pattern: PatternId;
  readonly severity: Severity;
  /** The k of the formula: this is the rule's k-th finding. */
  readonly occurrence: number;
  /** Points deducted, rounded to two decimals. */
  readonly points: number;
  /** Which finding: its file and index in that file's findings. */
  readonly file: string;
  readonly index: number;
}

export interface ScoreReport {
  /** 0–100. */
  readonly overall: number;
  readonly patterns: Readonly<Record<PatternId, number>>;
  readonly deductions: readonly Deduction[];
}

/** Scores findings of any number of files; findings are taken in file order, then position. */
export function scoreFindings(files: ReadonlyArray<{ readonly file: string; readonly findings: readonly Finding[] }>): ScoreReport {
  const seen = new Map<string, number>();
  const deductions: Deduction[] = [];
  const ordered = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const { file, findings } of ordered) {
    findings.forEach((finding, index) => {
      if (!finding.pattern) return;
      const occurrence = (seen.get(finding.ruleId) ?? 0) + 1;
      seen.set(finding.ruleId, occurrence);
      const points = Math.round((SEVERITY_POINTS[finding.severity] / occurrence) * 100) / 100;
      deductions.push({ ruleId: finding.ruleId, pattern: finding.pattern, severity: finding.severity, occurrence, points, file, index });
    });
  }
  const lost = (pattern: PatternId) => deductions.filter((d) => d.pattern === pattern).reduce((sum, d) => sum + d.points, 0);
  const patterns = Object.fromEntries(PATTERN_IDS.map((id) => [id, Math.max(0, Math.round(100 - lost(id)))])) as Record<PatternId, number>;
  const overall = Math.round(PATTERN_IDS.reduce((sum, id) => sum + patterns[id], 0) / PATTERN_IDS.length);
  return { overall, patterns, deductions };
}
