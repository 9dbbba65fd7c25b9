import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles } from '../server/src/analysis/engine';
import { defaultOptions, type AnalysisOptions } from '../server/src/core/options';
import { applyOverlay, parseProjectConfig } from '../server/src/core/configuration';
import { CONFIG_CONTEXT } from '../server/src/rules';
import type { Finding, TextEdit } from '../server/src/core/types';
import { LineIndex } from '../server/src/core/positions';

export const FIXTURES = path.join(__dirname, 'fixtures');
/** Fixed "today" so suppression expiry in fixtures does not depend on the calendar. */
export const FIXTURE_OPTIONS: AnalysisOptions = defaultOptions({ today: '2026-06-01' });

export interface FixtureCase {
  readonly kind: string;
  readonly ruleId: string;
  readonly directory: string;
  readonly bad?: string;
  readonly good?: string;
  /** Other files of the directory, analysed together with bad/good (workspace rules). */
  readonly context: string[];
}

export function listFixtures(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const kind of fs.readdirSync(FIXTURES).sort()) {
    const kindDir = path.join(FIXTURES, kind);
    if (!fs.statSync(kindDir).isDirectory()) continue;
    for (const ruleId of fs.readdirSync(kindDir).sort()) {
      const directory = path.join(kindDir, ruleId);
      if (!fs.statSync(directory).isDirectory()) continue;
      const files = fs.readdirSync(directory).filter((f) => /\.ya?ml$/.test(f)).sort();
      const pick = (name: string) => files.find((f) => f === `${name}.yaml` || f === `${name}.yml`);
      const bad = pick('bad');
      const good = pick('good');
      cases.push({
        kind,
        ruleId,
        directory,
        bad: bad && path.join(directory, bad),
        good: good && path.join(directory, good),
        context: files.filter((f) => f !== bad && f !== good).map((f) => path.join(directory, f)),
      });
    }
  }
  return cases;
}

const EXPECT = /#\s*expect:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)/;

/**
 * Expected findings written in the fixture: `# expect: RULE-ID` at the end of the line where the
 * finding starts, or alone on a line for the next content line. Returns "RULE-ID@line" (1-based).
 */
export function expectedFindings(text: string): string[] {
  const lines = text.split('\n');
  const expected: string[] = [];
  lines.forEach((line, index) => {
    const match = EXPECT.exec(line);
    if (!match) return;
    let target = index;
    if (line.trim().startsWith('#')) {
      target = index + 1;
      while (target < lines.length && (lines[target].trim() === '' || lines[target].trim().startsWith('#'))) target++;
    }
    for (const id of match[1].split(',')) expected.push(`${id.trim()}@${target + 1}`);
  });
  return expected.sort();
}

/**
 * The options a fixture is analysed with: FIXTURE_OPTIONS, under the `.sbd.yaml` of its directory
 * when it has one (a rule that reads configuration, such as `trustedRegistries:`).
 */
export function fixtureOptions(file: string): AnalysisOptions {
  const config = path.join(path.dirname(file), '.sbd.yaml');
  if (!fs.existsSync(config)) return FIXTURE_OPTIONS;
  const result = parseProjectConfig(fs.readFileSync(config, 'utf8'), CONFIG_CONTEXT);
  if (!result.ok) throw new Error(`${config}: ${result.problems.map((problem) => problem.message).join('; ')}`);
  return applyOverlay(FIXTURE_OPTIONS, result.overlay);
}

export function analyzeFixture(file: string, text: string, context: string[], options = fixtureOptions(file)): Finding[] {
  const inputs = [{ file, text }, ...context.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }))];
  return [...analyzeFiles(inputs, options)[0].findings];
}

export function describeFindings(text: string, findings: readonly Finding[]): string[] {
  const lines = new LineIndex(text);
  return findings.map((f) => `${f.ruleId}@${lines.positionAt(f.range.start).line + 1}`).sort();
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

export function commentLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => {
      const hash = line.indexOf('#');
      return hash === -1 ? '' : line.slice(hash).trim();
    })
    .filter((comment) => comment !== '' && !comment.startsWith('# expect'));
}
