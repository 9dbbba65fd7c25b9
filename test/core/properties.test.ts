import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyzeText } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import { LineIndex } from '../../server/src/core/positions';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { applyEdit, edit, fragment, yamlFile } from './support/yamlPieces';

const options = defaultOptions({ today: '2026-06-01' });
/** Per analysis of these small inputs; far above the few milliseconds they take. */
const TIME_BOUND_MS = 2_000;

function analyse(text: string): Finding[] {
  const started = performance.now();
  const findings = analyzeText(text, options);
  const took = performance.now() - started;
  assert.ok(took < TIME_BOUND_MS, `analysis took ${took.toFixed(0)} ms`);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'SBD005').map((f) => f.message), [], `a rule failed on:\n${text}`);
  for (const f of findings) assert.ok(f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= text.length, `range outside the text: ${JSON.stringify(f.range)}`);
  return findings;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
  return result;
}

const key = (f: Finding) => `${f.ruleId}|${f.message}`;
const syntaxProblems = (findings: readonly Finding[]) => findings.filter((f) => f.ruleId === 'SBD001' || f.ruleId === 'SBD007').length;

/** Random lines of YAML-ish text: keys that rules look at, values, indentation, markers, junk. */
const yamlishLine = fc.tuple(
  fc.integer({ min: 0, max: 8 }),
  fc.constantFrom('services:', 'web:', 'image: nginx', 'privileged: true', 'kind: Pod', 'apiVersion: v1', 'containers:', '- name: c', 'securityContext:', 'hostNetwork: true', 'ports: ["5432:5432"]', 'env:', '- name: DB_PASSWORD', 'value: x', '---', '<<: *a', 'a: &a {x: 1}', '? complex', ': value', '- [a, {b: c}]', '|', '  text', '# sbd-ignore TCB001 reason="r"'),
  fc.oneof(fc.constant(''), fragment),
);
const yamlishText = fc.array(yamlishLine, { maxLength: 40 }).map((lines) => lines.map(([indent, body, tail]) => ' '.repeat(indent) + body + tail).join('\n'));

describe('property: hostile and random input through the core', () => {
  it('random YAML-ish text never throws, never fails a rule, stays within the time bound', function () {
    this.timeout(120_000);
    fc.assert(fc.property(fc.oneof(yamlishText, fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => void analyse(text)), { numRuns: 400 });
  });

  it('random edits of real documents never throw and never fail a rule', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(yamlFile, fc.array(edit, { maxLength: 10 }), (initial, edits) => {
        let text = initial;
        for (const change of edits) text = applyEdit(text, change);
        analyse(text);
      }),
      { numRuns: 300 },
    );
  });

  it('every quick fix yields YAML that parses as well as before and removes its finding', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(yamlFile, (text) => {
        const findings = analyse(text);
        const before = syntaxProblems(findings);
        for (const finding of findings) {
          for (const fix of finding.fixes ?? []) {
            const fixed = applyEdits(text, fix.edits);
            const after = analyse(fixed);
            assert.ok(syntaxProblems(after) <= before, `fix "${fix.title}" for ${finding.ruleId} broke the YAML:\n${fixed}`);
            const countBefore = findings.filter((f) => key(f) === key(finding)).length;
            const countAfter = after.filter((f) => key(f) === key(finding)).length;
            assert.ok(countAfter < countBefore, `fix "${fix.title}" did not remove "${finding.message}":\n${fixed}`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a suppression hides only the rule it names, on the line it covers', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(yamlFile, fc.nat(), fc.boolean(), (text, pick, atLineEnd) => {
        const findings = analyse(text).filter((f) => f.pattern);
        fc.pre(findings.length > 0);
        const target = findings[pick % findings.length];
        const lines = new LineIndex(text);
        const line = lines.positionAt(target.range.start).line;
        const lineEnd = lines.lineEnd(line);
        const lineStart = lines.lineStart(line);
        // Never put a comment inside a block scalar or a flow collection spanning lines: skip such lines.
        fc.pre(!/[|>][-+]?\s*$|[[{][^\]}]*$/.test(text.slice(lineStart, lineEnd)));
        const indent = /^\s*/.exec(text.slice(lineStart, lineEnd))![0];
        const suppress = (id: string) =>
          atLineEnd ? text.slice(0, lineEnd) + ` # sbd-ignore ${id} reason="accepted"` + text.slice(lineEnd) : text.slice(0, lineStart) + `${indent}# sbd-ignore ${id} reason="accepted"\n` + text.slice(lineStart);
        const otherRule = target.ruleId === 'TCB001' ? 'IMM001' : 'TCB001';
        const sameLineOthers = (list: Finding[], t: string) => {
          const index = new LineIndex(t);
          return list.filter((f) => f.pattern && f.ruleId !== target.ruleId).map((f) => `${f.ruleId}|${f.message}|${index.positionAt(f.range.start).line}`);
        };
        // Suppressing another rule id leaves the target finding in place.
        const withOther = suppress(otherRule);
        assert.ok(analyse(withOther).some((f) => key(f) === key(target)), `suppressing ${otherRule} hid ${target.ruleId}:\n${withOther}`);
        // Suppressing the target's rule hides it, and nothing of any other rule disappears.
        const withOwn = suppress(target.ruleId);
        const after = analyse(withOwn);
        const lineShift = atLineEnd ? 0 : 1;
        const expectedOthers = sameLineOthers(findings, text).map((entry) => entry.replace(/\|(\d+)$/, (_, n) => `|${Number(n) >= line ? Number(n) + lineShift : Number(n)}`));
        assert.deepEqual(sameLineOthers(after, withOwn).sort(), expectedOthers.sort(), `suppressing ${target.ruleId} changed other rules' findings:\n${withOwn}`);
        assert.ok(after.filter((f) => key(f) === key(target)).length < findings.filter((f) => key(f) === key(target)).length, `the suppression did not hide ${target.ruleId}:\n${withOwn}`);
      }),
      { numRuns: 150 },
    );
  });
});
