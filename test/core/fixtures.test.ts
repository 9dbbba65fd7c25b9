import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { ALL_RULES, RULES_BY_ID } from '../../server/src/rules';
import { analyzeFixture, applyEdits, commentLines, describeFindings, expectedFindings, listFixtures } from '../fixtureSupport';

const fixtures = listFixtures();

describe('rule fixtures', () => {
  it('every rule has a bad and a good fixture for each kind it checks', () => {
    const missing: string[] = [];
    for (const rule of ALL_RULES) {
      for (const kind of rule.kinds) {
        const found = fixtures.find((f) => f.ruleId === rule.id && f.kind === kind);
        if (!found?.bad || !found.good) missing.push(`${kind}/${rule.id}`);
      }
    }
    assert.deepEqual(missing, [], `fixtures missing: ${missing.join(', ')}`);
  });

  it('every rule that says it has a quick fix offers one in its bad fixtures', () => {
    const withoutFix: string[] = [];
    for (const rule of ALL_RULES.filter((r) => r.hasFix)) {
      const offered = fixtures
        .filter((f) => f.ruleId === rule.id && f.bad)
        .some((f) => analyzeFixture(f.bad!, fs.readFileSync(f.bad!, 'utf8'), f.context).some((finding) => finding.ruleId === rule.id && (finding.fixes?.length ?? 0) > 0));
      if (!offered) withoutFix.push(rule.id);
    }
    assert.deepEqual(withoutFix, []);
  });

  it('every rule is labelled with the severity its findings have: its bad fixtures reach the declared (most severe) one', () => {
    // Severities a rule reports beyond its declared ones throw at report time; this checks the other
    // way: a rule whose findings are all info must not be labelled warning in docs, `sbd rules` and SARIF.
    const elsewhere: Record<string, string> = { FF103: 'error is an include cycle, which test/core/threagileIncludes.test.ts builds from several files' };
    const unreached: string[] = [];
    for (const rule of ALL_RULES) {
      if (elsewhere[rule.id]) continue;
      const reached = fixtures
        .filter((f) => f.ruleId === rule.id && f.bad)
        .some((f) => analyzeFixture(f.bad!, fs.readFileSync(f.bad!, 'utf8'), f.context).some((finding) => finding.ruleId === rule.id && finding.severity === rule.severity));
      if (!reached) unreached.push(`${rule.id} (${rule.severity})`);
    }
    assert.deepEqual(unreached, []);
  });

  for (const fixture of fixtures) {
    describe(`${fixture.kind}/${fixture.ruleId}`, () => {
      const rule = RULES_BY_ID.get(fixture.ruleId);

      it('names a rule that exists and checks this kind', () => {
        assert.ok(rule, `no rule ${fixture.ruleId}`);
        assert.ok((rule.kinds as readonly string[]).includes(fixture.kind), `${fixture.ruleId} does not check ${fixture.kind}`);
      });

      if (fixture.bad) {
        const badFile = fixture.bad;
        const text = fs.readFileSync(badFile, 'utf8');

        it('bad.yaml reports exactly the expected findings on the expected lines', () => {
          const expected = expectedFindings(text);
          assert.ok(expected.some((e) => e.startsWith(`${fixture.ruleId}@`)), 'bad.yaml must expect at least one finding of its rule');
          const findings = analyzeFixture(badFile, text, fixture.context);
          const syntax = findings.filter((f) => f.ruleId === 'SBD001');
          assert.deepEqual(syntax, [], 'fixture does not parse');
          const expectedIds = new Set(expected.map((e) => e.split('@')[0]));
          const actual = describeFindings(text, findings).filter((d) => expectedIds.has(d.split('@')[0]));
          assert.deepEqual(actual, expected);
        });

        it(rule?.hasFix ? 'each quick fix offered yields valid YAML, removes its finding and keeps comments' : 'offers no quick fix, as its metadata says', () => {
          const findings = analyzeFixture(badFile, text, fixture.context).filter((f) => f.ruleId === fixture.ruleId);
          const withFix = findings.filter((f) => (f.fixes?.length ?? 0) > 0);
          if (!rule?.hasFix) {
            assert.equal(withFix.length, 0, 'rule says hasFix: false but offered a fix');
            return;
          }
          for (const finding of withFix) {
            for (const fix of finding.fixes!) {
              const fixed = applyEdits(text, fix.edits);
              const after = analyzeFixture(badFile, fixed, fixture.context);
              assert.deepEqual(after.filter((f) => f.ruleId === 'SBD001' || f.ruleId === 'SBD007').map((f) => f.message), [], `fix "${fix.title}" broke the YAML:\n${fixed}`);
              const remaining = after.filter((f) => f.ruleId === fixture.ruleId);
              if (fix.partial) {
                // A partial fix removes one part: its finding stays, naming less, and no other finding changes.
                const before = findings.map((f) => f.message);
                assert.equal(remaining.length, findings.length, `partial fix "${fix.title}" changed the number of findings:\n${fixed}`);
                assert.equal(remaining.filter((f) => !before.includes(f.message)).length, 1, `partial fix "${fix.title}" did not narrow exactly its finding:\n${fixed}`);
              } else assert.equal(remaining.length, findings.length - 1, `fix "${fix.title}" did not remove exactly its finding:\n${fixed}`);
              for (const comment of commentLines(text)) assert.ok(fixed.includes(comment), `fix "${fix.title}" lost the comment ${comment}`);
            }
          }
        });
      }

      if (fixture.good) {
        const goodFile = fixture.good;
        it('good.yaml is clean for this rule and parses', () => {
          const text = fs.readFileSync(goodFile, 'utf8');
          const findings = analyzeFixture(goodFile, text, fixture.context);
          assert.deepEqual(findings.filter((f) => f.ruleId === 'SBD001').map((f) => f.message), []);
          assert.deepEqual(describeFindings(text, findings.filter((f) => f.ruleId === fixture.ruleId)), []);
        });
      }
    });
  }
});
