import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
const PEAK_RSS = path.join(__dirname, 'peakRss.cjs');

export const MB = 1024 * 1024;

/**
 * Runs the bundled CLI with a time bound (killed past it) and measures its peak RSS. Bounds are
 * generous: they tell a hang or a runaway from normal work on a loaded 2-core machine.
 */
export function sbdBounded(args: string[], cwd: string, bounds: { seconds: number; megabytes: number }) {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-r', PEAK_RSS, CLI, ...args], { cwd, encoding: 'utf8', timeout: bounds.seconds * 1000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' }, maxBuffer: 64 * MB });
  const seconds = (performance.now() - started) / 1000;
  assert.notEqual(result.signal, 'SIGTERM', `sbd ${args.join(' ')} did not finish within ${bounds.seconds} s`);
  const peak = Number(/peak-rss-bytes=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  assert.ok(peak < bounds.megabytes * MB, `sbd ${args.join(' ')} peaked at ${(peak / MB).toFixed(0)} MB (bound ${bounds.megabytes} MB)`);
  const stderr = result.stderr.replace(/\npeak-rss-bytes=\d+\n$/, '');
  return { status: result.status, stdout: result.stdout, stderr, seconds, peakMegabytes: peak / MB };
}

/** Runs `work` in this process with a time bound and a bound on heap growth (after a GC when exposed). */
export function bounded<T>(what: string, bounds: { seconds: number; megabytes: number }, work: () => T): T {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = work();
  const seconds = (performance.now() - started) / 1000;
  const grown = (process.memoryUsage().heapUsed - heapBefore) / MB;
  assert.ok(seconds < bounds.seconds, `${what} took ${seconds.toFixed(1)} s (bound ${bounds.seconds} s)`);
  assert.ok(grown < bounds.megabytes, `${what} grew the heap by ${grown.toFixed(0)} MB (bound ${bounds.megabytes} MB)`);
  return result;
}

/** Seconds `work` takes, the best of `runs` (the least disturbed by other load). */
export function bestSeconds(work: () => unknown, runs = 2): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}
