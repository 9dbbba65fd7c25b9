import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import type { FileResult } from '../../server/src/analysis/engine';

const repoRoot = path.join(__dirname, '..', '..');
const corpus = path.join(repoRoot, '..', 'shared', 'corpus');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function count<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

describe('the real-world corpus', function () {
  this.timeout(120_000);
  let results: FileResult[] = [];
  let files: string[] = [];
  let tookMs = 0;

  before(function () {
    if (!fs.existsSync(corpus)) {
      if (process.env.CI === 'true') throw new Error(`the shared corpus is missing (expected beside the repository at ${path.relative(repoRoot, corpus)})`);
      console.log('    (skipped: the shared corpus is not beside the repository)');
      this.skip();
    }
    files = yamlFiles(corpus);
    const inputs = files.map((file) => ({ file: path.relative(corpus, file), text: fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '') }));
    const started = performance.now();
    results = analyzeFiles(inputs, defaultOptions({ today: '2026-06-01' }));
    tookMs = performance.now() - started;
  });

  it('analyses every file without a rule failure (SBD005)', () => {
    const failures = results.flatMap((result) => result.findings.filter((f) => f.ruleId === 'SBD005').map((f) => `${result.analysis.file}: ${f.message}`));
    assert.deepEqual(failures, []);
  });

  it('finds the kinds of every folder, and analyses every file it was given', () => {
    assert.equal(results.length, files.length);
    const kinds = count(results.flatMap((r) => [...r.analysis.kinds]), (kind) => kind);
    for (const kind of ['compose', 'kubernetes', 'threagile']) assert.ok((kinds.get(kind) ?? 0) > 0, `no ${kind} file recognised`);
    const skipped = results.filter((r) => r.analysis.skippedReason);
    assert.deepEqual(skipped.map((r) => `${r.analysis.file}: ${r.analysis.skippedReason}`), []);
  });

  it('every finding range lies inside its file', () => {
    for (const result of results) {
      for (const finding of result.findings) {
        assert.ok(finding.range.start >= 0 && finding.range.start <= finding.range.end && finding.range.end <= result.analysis.text.length, `${result.analysis.file}: ${finding.ruleId} range out of the text`);
      }
    }
  });

  it('prints the totals', () => {
    const findings = results.flatMap((r) => r.findings);
    const bytes = results.reduce((sum, r) => sum + r.analysis.text.length, 0);
    const lines = results.reduce((sum, r) => sum + r.analysis.lines.lineCount, 0);
    const documents = results.reduce((sum, r) => sum + r.analysis.documents.length, 0);
    const kinds = count(results.flatMap((r) => [...r.analysis.kinds]), (kind) => kind);
    const bySeverity = count(findings, (f) => f.severity);
    const byPattern = count(findings, (f) => f.pattern ?? 'meta');
    const byRule = count(findings, (f) => f.ruleId);
    const filesWithFindings = results.filter((r) => r.findings.some((f) => f.pattern)).length;
    const table = [
      `corpus: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB, ${lines.toLocaleString('en')} lines, ${documents.toLocaleString('en')} analysed documents; analysed in ${tookMs.toFixed(0)} ms (${(files.length / (tookMs / 1000)).toFixed(0)} files/s)`,
      `files by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `findings: ${findings.length} in ${filesWithFindings} files; by severity: ${[...bySeverity].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `by pattern: ${[...byPattern].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `by rule: ${[...byRule].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    ];
    console.log(table.map((line) => `      ${line}`).join('\n'));
    assert.ok(findings.length > 0, 'the corpus has known-bad files: finding nothing means the analysis is broken');
  });
});
