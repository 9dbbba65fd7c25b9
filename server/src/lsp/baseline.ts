import * as path from 'node:path';
import type { FileAnalysis } from '../analysis/analyze';
import type { Finding } from '../core/types';
import { BASELINE_FILE_NAME, baselineEntry, BaselineMatcher, parseBaseline, type Baseline, type BaselineEntry } from '../analysis/baseline';

/**
 * The workspace's `.sbd-baseline.json` (the file `sbd baseline` writes) as the editor uses it:
 * findings it records are shown as hints or hidden (setting `secureByDesign.baselinedFindings`),
 * new ones as usual. Fingerprints are relative to the baseline's folder, as in the CLI.
 */
export class WorkspaceBaseline {
  private folder: string | undefined;
  private byFile = new Map<string, Baseline>();
  private current: string | undefined;
  /** Changes whenever the baseline changes: diagnostics cached under an older one are stale. */
  version = 0;
  /** Why the file was not used, for the log; undefined when it loaded or there is none. */
  problem: string | undefined;

  /** `text` undefined: there is no baseline (any more). Returns true when something changed. */
  load(file: string, text: string | undefined): boolean {
    if (text === this.current && path.dirname(file) === this.folder) return false;
    this.current = text;
    this.byFile.clear();
    this.problem = undefined;
    this.folder = text === undefined ? undefined : path.dirname(file);
    if (text !== undefined) {
      const parsed = parseBaseline(text);
      if (!parsed.ok) this.problem = `${file}: ${parsed.message}; every finding is shown as new`;
      else {
        const groups = new Map<string, BaselineEntry[]>();
        for (const entry of parsed.baseline.findings) groups.set(entry.file, [...(groups.get(entry.file) ?? []), entry]);
        for (const [name, findings] of groups) this.byFile.set(name, { version: parsed.baseline.version, findings });
      }
    }
    this.version++;
    return true;
  }

  /** For each finding of a file (by absolute path), whether the baseline records it. */
  classify(filePath: string | undefined, analysis: FileAnalysis, findings: readonly Finding[]): boolean[] {
    if (!this.folder || !filePath || this.byFile.size === 0) return findings.map(() => false);
    const relative = path.relative(this.folder, filePath).split(path.sep).join('/');
    const recorded = this.byFile.get(relative);
    if (!recorded) return findings.map(() => false);
    const matcher = new BaselineMatcher(recorded);
    return findings.map((finding) => matcher.take(baselineEntry(analysis, finding, relative).fingerprint));
  }
}

/** The first workspace root's `.sbd-baseline.json`, as path and text (text undefined when none exists). */
export async function readRootBaseline(roots: readonly string[]): Promise<{ file: string; text: string | undefined } | undefined> {
  const { readFile } = await import('node:fs/promises');
  for (const root of roots) {
    const file = path.join(root, BASELINE_FILE_NAME);
    try {
      return { file, text: await readFile(file, 'utf8') };
    } catch {
      // none in this root
    }
  }
  return roots.length > 0 ? { file: path.join(roots[0], BASELINE_FILE_NAME), text: undefined } : undefined;
}
