import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import { baselineEntry, BaselineMatcher, parseBaseline, serializeBaseline } from '../../server/src/analysis/baseline';
import { findingIdentity } from '../../server/src/analysis/fingerprint';
import { scoreFindings, SEVERITY_POINTS } from '../../server/src/views/score';
import type { Finding } from '../../server/src/core/types';

const COMPOSE = `services:
  web:
    image: nginx:1.27
    privileged: true
    ports: ["8080:80"]
  db:
    image: postgres:16
    cap_add: [SYS_ADMIN]
`;

const REORDERED = `# the team moved db first and added comments
services:

  db:
    image: postgres:16   # pinned later
    cap_add: [SYS_ADMIN]
  web:
    ports: ["8080:80"]
    privileged: true
    image: nginx:1.27
`;

const DEPLOYMENT = (namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:1.0
          securityContext: {privileged: true}
`;

function prints(text: string, file = 'deploy/app.yaml'): string[] {
  const [result] = analyzeFiles([{ file, text }], defaultOptions({ today: '2026-01-01' }));
  return result.findings.map((finding) => `${finding.ruleId} ${baselineEntry(result.analysis, finding, file).fingerprint}`).sort();
}

describe('finding fingerprints', () => {
  it('survive inserted lines, comments and reordered services and keys', () => {
    const before = prints(COMPOSE);
    assert.ok(before.length >= 4);
    assert.deepEqual(prints(REORDERED), before);
  });

  it('change when the offending value changes, or the file, or the object', () => {
    const before = prints(COMPOSE);
    const other = prints(COMPOSE.replace('SYS_ADMIN', 'NET_ADMIN'));
    assert.notDeepEqual(other.filter((line) => line.startsWith('TCB002')), before.filter((line) => line.startsWith('TCB002')));
    assert.notDeepEqual(prints(COMPOSE, 'other.yaml'), before);
    assert.notDeepEqual(prints(COMPOSE.replace(/web/g, 'api')).filter((l) => l.startsWith('TCB001')), before.filter((l) => l.startsWith('TCB001')));
  });

  it('name the Kubernetes object by kind, namespace and name, and the container by its name', () => {
    const [result] = analyzeFiles([{ file: 'a.yaml', text: DEPLOYMENT('shop') }], defaultOptions());
    const privileged = result.findings.find((finding) => finding.ruleId === 'TCB001')!;
    assert.deepEqual(findingIdentity(result.analysis, privileged).object, 'Deployment/shop/api');
    assert.equal(findingIdentity(result.analysis, privileged).path, 'spec.template.spec.containers.[name=api].securityContext.privileged');
    assert.notDeepEqual(prints(DEPLOYMENT('shop')), prints(DEPLOYMENT('staging')));
  });

  it('never contain line numbers or absolute paths (the baseline file is reviewable)', () => {
    const [result] = analyzeFiles([{ file: 'compose.yaml', text: COMPOSE }], defaultOptions());
    const entries = result.findings.map((finding) => baselineEntry(result.analysis, finding, 'compose.yaml'));
    const text = serializeBaseline(entries);
    assert.doesNotMatch(text, /"line"|\/tmp|\/home|[A-Z]:\\\\/);
    const parsed = parseBaseline(text);
    assert.ok(parsed.ok && parsed.baseline.findings.length === entries.length);
    assert.equal(serializeBaseline(parsed.baseline.findings), text, 'stable order: re-recording gives no diff');
  });

  it('absorb at most as many findings as were recorded', () => {
    const matcher = new BaselineMatcher({ version: 1, findings: [{ fingerprint: 'a', ruleId: 'X', file: '', object: '', path: '', message: '' }] });
    assert.equal(matcher.take('a'), true);
    assert.equal(matcher.take('a'), false, 'a second identical finding is new');
    assert.equal(matcher.take('b'), false);
  });

  it('refuse a file that is not a baseline, saying why in one sentence', () => {
    const broken = parseBaseline('{"version": 2, "findings": []}');
    assert.ok(!broken.ok && /not a baseline of version 1/.test(broken.message));
    const notJson = parseBaseline('version: 1');
    assert.ok(!notJson.ok && /not JSON/.test(notJson.message));
  });
});

describe('the score', () => {
  const finding = (ruleId: string, pattern: Finding['pattern'], severity: Finding['severity']): Finding => ({ ruleId, pattern, severity, message: '', range: { start: 0, end: 0 } });

  it('deducts severity points divided by how often the rule was seen, per pattern; overall is the mean', () => {
    const report = scoreFindings([
      { file: 'b.yaml', findings: [finding('TCB001', 'TCB', 'error'), finding('TCB001', 'TCB', 'error'), finding('IMM002', 'IMM', 'info')] },
      { file: 'a.yaml', findings: [finding('TCB001', 'TCB', 'error'), finding('SBD001', undefined, 'error')] },
    ]);
    assert.equal(report.patterns.TCB, Math.round(100 - 10 - 10 / 2 - 10 / 3));
    assert.equal(report.patterns.IMM, 99);
    assert.equal(report.patterns.ZT, 100);
    assert.equal(report.overall, Math.round((report.patterns.TCB + 99 + 300) / 5));
    assert.deepEqual(
      report.deductions.map((d) => [d.file, d.index, d.ruleId, d.occurrence, d.points]),
      [
        ['a.yaml', 0, 'TCB001', 1, 10],
        ['b.yaml', 0, 'TCB001', 2, 5],
        ['b.yaml', 1, 'TCB001', 3, 3.33],
        ['b.yaml', 2, 'IMM002', 1, 1],
      ],
      'every deduction names its finding; findings about the analysis deduct nothing',
    );
    assert.equal(SEVERITY_POINTS.warning, 5);
  });

  it('never goes below 0 and is 100 without findings', () => {
    const many = Array.from({ length: 200 }, (_, i) => finding(`BND${String(i % 9 + 1).padStart(3, '0')}`, 'BND', 'error'));
    assert.equal(scoreFindings([{ file: 'x', findings: many }]).patterns.BND, 0);
    assert.equal(scoreFindings([]).overall, 100);
  });
});
