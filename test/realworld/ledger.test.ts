import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import {
  CORPUS_DIR,
  REPO_ROOT,
  collectedFileProblems,
  compare,
  corpusAvailable,
  loadLedger,
  recordFixes,
  retire,
  unjudgedRows,
  type Comparison,
  type Judgement,
  type Ledger,
  type ProblemKind,
  type ScanResult,
} from './ledger';

const inCi = process.env.CI === 'true';

function messages(comparison: Comparison, ...kinds: ProblemKind[]): string[] {
  return comparison.problems.filter((p) => kinds.includes(p.kind)).map((p) => p.message);
}

describe('the ledger of judged real-world findings', function () {
  this.timeout(60_000);
  let ledger: Ledger;
  let comparison: Comparison;

  before(function () {
    if (!corpusAvailable()) {
      if (inCi) throw new Error(`the shared corpus is missing (expected beside the repository at ${path.relative(REPO_ROOT, CORPUS_DIR)})`);
      console.log('    (the shared corpus is not beside the repository: its files are left out; only the collected files are checked)');
    }
    ledger = loadLedger();
    comparison = compare(ledger);
  });

  it('is well-formed: known verdicts and kinds, a reason for each judgement, one judgement per finding', () => {
    assert.deepEqual(ledger.problems, []);
  });

  it('records the source repository, path, commit and license of every collected file, and judges each of them', () => {
    assert.deepEqual(collectedFileProblems(ledger), []);
  });

  it('scans every file of the ledger without an error', () => {
    assert.deepEqual(messages(comparison, 'scan-error'), []);
  });

  it('does not report again a finding judged false once it was fixed', () => {
    assert.deepEqual(messages(comparison, 'fp-returned'), []);
  });

  it('still reports every finding judged true, at the severity it was judged at', () => {
    assert.deepEqual(messages(comparison, 'tp-lost', 'tp-severity-changed'), []);
  });

  it('has recorded every fix (npm run precision -- --update)', () => {
    assert.deepEqual(messages(comparison, 'fixed-unrecorded', 'gone-reappeared'), []);
  });

  it('lists the findings nobody has judged yet (with CI=true, fails beyond the tolerance in policy.yaml)', () => {
    const rows = unjudgedRows(comparison);
    if (rows.length > 0) {
      console.log(`    ${rows.length} finding(s) nobody has judged yet (npm run precision -- --unjudged prints them as ledger lines):`);
      for (const row of rows.slice(0, 50)) console.log(`      ${row.file.path}:${row.finding.at} ${row.finding.severity} ${row.finding.rule} ${row.finding.message}`);
      if (rows.length > 50) console.log(`      … and ${rows.length - 50} more`);
    }
    if (inCi) assert.ok(rows.length <= ledger.policy.unjudgedTolerance, `${rows.length} unjudged finding(s), more than the ${ledger.policy.unjudgedTolerance} that policy.yaml tolerates: judge them (npm run precision -- --unjudged --write)`);
  });
});

describe('comparing a scan with the ledger', () => {
  const judgement = (at: string, rule: string, verdict: Judgement['verdict'], extra: Partial<Judgement> = {}): Judgement => ({ at, rule, severity: 'warning', verdict, why: 'a reason', ...extra });
  const ledgerOf = (judgements: Judgement[]): Ledger => ({ files: [{ path: 'files/example/compose.yaml', group: 'compose', judgements }], policy: { unjudgedTolerance: 0, kinds: { duplicate: '' } }, problems: [] });
  const scanOf = (findings: Array<{ at: string; rule: string; severity?: 'error' | 'warning' | 'info' }>) => (): ScanResult => ({
    path: 'files/example/compose.yaml',
    kinds: ['compose'],
    errors: [],
    findings: findings.map((f) => ({ rule: f.rule, at: f.at, severity: f.severity ?? 'warning', message: `${f.rule} message`, line: Number(f.at.split(':')[0]), column: Number(f.at.split(':')[1]) })),
  });
  const kinds = (comparison: Comparison) => comparison.problems.map((p) => p.kind);

  it('counts a judged finding by its verdict and an unknown one as unjudged', () => {
    const ledger = ledgerOf([judgement('3:5', 'BND001', 'TP'), judgement('4:5', 'FF001', 'FP', { kind: 'duplicate' })]);
    const comparison = compare(ledger, scanOf([{ at: '3:5', rule: 'BND001' }, { at: '4:5', rule: 'FF001' }, { at: '9:1', rule: 'IMM001' }]));
    assert.deepEqual(comparison.rows.map((r) => r.standing), ['right', 'wrong', 'unjudged']);
    assert.deepEqual(kinds(comparison), []);
  });

  it('fails when a true finding disappears, and when it changes severity', () => {
    const ledger = ledgerOf([judgement('3:5', 'BND001', 'TP'), judgement('5:5', 'TCB007', 'TP')]);
    const comparison = compare(ledger, scanOf([{ at: '5:5', rule: 'TCB007', severity: 'info' }]));
    assert.deepEqual(kinds(comparison).sort(), ['tp-lost', 'tp-severity-changed']);
  });

  it('asks to record a fixed false finding, then fails when it comes back', () => {
    const ledger = ledgerOf([judgement('4:5', 'FF001', 'FP', { kind: 'duplicate' })]);
    const fixed = compare(ledger, scanOf([]));
    assert.deepEqual(kinds(fixed), ['fixed-unrecorded']);
    assert.equal(recordFixes(ledger, fixed).length, 1);
    assert.equal(ledger.files[0].judgements[0].gone, 'no longer reported');
    assert.deepEqual(kinds(compare(ledger, scanOf([]))), []);
    assert.deepEqual(kinds(compare(ledger, scanOf([{ at: '4:5', rule: 'FF001', severity: 'info' }]))), ['fp-returned']);
  });

  it('turns an FP-severity into a TP once the finding has the severity it should have', () => {
    const ledger = ledgerOf([judgement('4:5', 'BND002', 'FP-severity', { severity: 'error', should: 'warning', kind: 'duplicate' })]);
    const stillWrong = compare(ledger, scanOf([{ at: '4:5', rule: 'BND002', severity: 'error' }]));
    assert.deepEqual(stillWrong.rows.map((r) => r.standing), ['wrong-severity']);
    const fixed = compare(ledger, scanOf([{ at: '4:5', rule: 'BND002', severity: 'warning' }]));
    assert.deepEqual(fixed.rows.map((r) => r.standing), ['right']);
    recordFixes(ledger, fixed);
    assert.deepEqual(ledger.files[0].judgements[0], { at: '4:5', rule: 'BND002', severity: 'warning', verdict: 'TP', why: 'a reason' });
  });

  it('lets a person retire the true findings that were merged into another finding', () => {
    const ledger = ledgerOf([judgement('3:5', 'BND008', 'TP'), judgement('3:5', 'IMM003', 'TP')]);
    const comparison = compare(ledger, scanOf([{ at: '3:5', rule: 'IMM003' }]));
    assert.deepEqual(retire(comparison, 'BND008', 'merged into the hardening finding at 3:5').length, 1);
    assert.deepEqual(kinds(compare(ledger, scanOf([{ at: '3:5', rule: 'IMM003' }]))), []);
  });
});
