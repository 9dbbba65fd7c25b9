import * as path from 'node:path';
import type { FileResult } from '../analysis/engine';
import type { Finding } from '../core/types';
import { baselineEntry, BaselineMatcher, type Baseline, type BaselineEntry } from '../analysis/baseline';
import { findingIdentity, fingerprint } from '../analysis/fingerprint';
import { scoreFindings, type ScoreReport } from '../views/score';
import { toPosix } from './files';

/** One finding as the formatters see it. */
export interface ReportedFinding {
  readonly finding: Finding;
  /** Stable identity for SARIF `partialFingerprints` (paths relative to the working folder). */
  readonly fingerprint: string;
  /** Recorded in the baseline given with `--baseline`: not reported as new. */
  readonly baselined: boolean;
  /** Points this finding takes off the score (0 for findings about the analysis itself). */
  readonly deduction: number;
}

export interface ReportedFile {
  /** As the user named it, `/`-separated. */
  readonly file: string;
  readonly result: FileResult;
  readonly findings: readonly ReportedFinding[];
}

export interface ScanReport {
  readonly toolVersion: string;
  readonly files: readonly ReportedFile[];
  readonly score: ScoreReport;
  readonly profile?: string;
  /** Set with `--baseline`: the file and how many findings it absorbed. */
  readonly baseline?: { readonly file: string; readonly baselined: number };
  /** What the configuration turned off, as one phrase ("12 rules off by .sbd.yaml"); absent when nothing. */
  readonly configurationOff?: string;
  /** Files that were found but could not be read, one line each: never a clean result. */
  readonly unreadable: readonly string[];
}

/**
 * Builds what every format prints: fingerprints, baseline state and score deductions per
 * finding. The score counts baselined findings too: a baseline defers fixing, it does not make
 * the configuration any safer.
 */
export function buildReport(
  results: readonly FileResult[],
  options: { toolVersion: string; cwd: string; profile?: string; baseline?: { file: string; baseline: Baseline }; configurationOff?: string; unreadable?: readonly string[] },
): ScanReport {
  const displayed = results.map((result) => ({ file: toPosix(result.analysis.file), result }));
  const score = scoreFindings(displayed.map(({ file, result }) => ({ file, findings: result.findings })));
  const points = new Map(score.deductions.map((d) => [`${d.file}\u0000${d.index}`, d.points]));
  const matcher = options.baseline ? new BaselineMatcher(options.baseline.baseline) : undefined;
  const baselineDir = options.baseline ? path.dirname(path.resolve(options.cwd, options.baseline.file)) : undefined;
  let baselined = 0;
  const files = displayed.map(({ file, result }) => {
    // Per file, not per finding: resolving paths was a tenth of a scan of the whole corpus.
    const fromCwd = relativeTo(options.cwd, options.cwd, result.analysis.file);
    const fromBaseline = baselineDir === undefined ? undefined : relativeTo(baselineDir, options.cwd, result.analysis.file);
    return {
      file,
      result,
      findings: result.findings.map((finding, index) => {
        const identity = findingIdentity(result.analysis, finding);
        const isBaselined = matcher !== undefined && matcher.take(fingerprint(finding.ruleId, fromBaseline!, identity));
        if (isBaselined) baselined++;
        return { finding, fingerprint: fingerprint(finding.ruleId, fromCwd, identity), baselined: isBaselined, deduction: points.get(`${file}\u0000${index}`) ?? 0 };
      }),
    };
  });
  return {
    toolVersion: options.toolVersion,
    files,
    score,
    profile: options.profile,
    baseline: options.baseline ? { file: options.baseline.file, baselined } : undefined,
    configurationOff: options.configurationOff,
    unreadable: options.unreadable ?? [],
  };
}

/** A file's path relative to a folder, `/`-separated: what fingerprints are computed from. */
export function relativeTo(folder: string, cwd: string, file: string): string {
  return toPosix(path.relative(folder, path.resolve(cwd, file)));
}

/** The baseline entries for every finding of a scan, paths relative to the baseline's folder. */
export function baselineEntries(results: readonly FileResult[], baselineFile: string, cwd: string): BaselineEntry[] {
  const folder = path.dirname(path.resolve(cwd, baselineFile));
  return results.flatMap((result) => result.findings.map((finding) => baselineEntry(result.analysis, finding, relativeTo(folder, cwd, result.analysis.file))));
}
