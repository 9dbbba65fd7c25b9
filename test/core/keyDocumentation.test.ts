import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { RULES_BY_ID } from '../../server/src/rules';
import { KEY_DOCS, keyDocumentation, type KeyDoc } from '../../server/src/views/keyDocumentation';
import { analyzeFixture, listFixtures } from '../fixtureSupport';
import { keysAt } from './support/keysAt';

/** Every fixture's findings with the keys that enclose them, read once. */
const FIXTURE_FINDINGS = listFixtures().flatMap((fixture) => {
  if (!fixture.bad) return [];
  const text = fs.readFileSync(fixture.bad, 'utf8');
  return analyzeFixture(fixture.bad, text, fixture.context).map((finding) => ({ kind: fixture.kind, ruleId: finding.ruleId, ...keysAt(text, finding.range.start) }));
});

const KINDS: Record<keyof typeof KEY_DOCS, readonly string[]> = { shared: ['compose', 'kubernetes'], compose: ['compose'], kubernetes: ['kubernetes'], architecture: ['architecture'] };

describe('key hovers take their pattern from the rule that checks the key', () => {
  for (const [table, docs] of Object.entries(KEY_DOCS) as Array<[keyof typeof KEY_DOCS, Record<string, KeyDoc>]>) {
    for (const [key, doc] of Object.entries(docs)) {
      if ('rule' in doc) {
        it(`${table} \`${key}\`: ${doc.rule} checks it (its fixtures report inside that key)`, () => {
          const rule = RULES_BY_ID.get(doc.rule);
          assert.ok(rule, `${doc.rule} exists`);
          assert.ok(KINDS[table].some((kind) => (rule.kinds as readonly string[]).includes(kind)), `${doc.rule} applies to ${KINDS[table].join(' or ')}`);
          assert.ok(FIXTURE_FINDINGS.some((finding) => finding.ruleId === doc.rule && finding.keys.includes(key)), `no ${doc.rule} finding in its fixtures lies inside \`${key}\``);
        });
      } else {
        it(`${table} \`${key}\`: no rule reports on the key itself, so it states its own pattern (${doc.pattern})`, () => {
          const onKey = FIXTURE_FINDINGS.filter((finding) => KINDS[table].includes(finding.kind) && finding.onKey && finding.keys.at(-1) === key && RULES_BY_ID.has(finding.ruleId));
          assert.deepEqual(onKey.map((finding) => finding.ruleId), [], `name the rule instead of a pattern`);
        });
      }
    }
  }

  it('host PID and network keys say TCB Minimization and name their rules; runAsNonRoot and user say Zero-Trust', () => {
    assert.match(keyDocumentation('hostPID', 'kubernetes')!, /^\*\*`hostPID`\*\* · TCB Minimization \(also Security Boundaries\) · checked by TCB005/);
    assert.match(keyDocumentation('network_mode', 'compose')!, /· TCB Minimization \(also Security Boundaries\) · checked by TCB004/);
    assert.match(keyDocumentation('runAsNonRoot', 'kubernetes')!, /· Zero-Trust \(also TCB Minimization\) · checked by ZT001/);
    assert.match(keyDocumentation('user', 'compose')!, /· Zero-Trust \(also TCB Minimization\) · checked by ZT001/);
    assert.match(keyDocumentation('restart', 'compose')!, /^\*\*`restart`\*\* · Fail-Fast Security\n/);
  });
});
