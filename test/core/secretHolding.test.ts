import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../../server/src/analysis/engine';
import { defaultOptions, type AnalysisOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { trustBoundaryView, type TrustBoundaryView } from '../../server/src/views/trustBoundaries';

/**
 * Who holds a secret is one model function (model/secrets.ts) with one over-budget verdict. These
 * tests run the rules and the trust-boundary view on the same files and check that they say the
 * same thing: every place the view lists under an over-budget secret is a TCB010 finding or one of
 * its related places, and nothing else is.
 */

const OPTIONS = defaultOptions({ today: '2026-06-01' });

interface Outcome {
  readonly view: TrustBoundaryView;
  readonly findings: ReadonlyArray<Finding & { file: string }>;
}

function run(files: Record<string, string>, options: AnalysisOptions = OPTIONS): Outcome {
  const results = analyzeFiles(Object.entries(files).map(([file, text]) => ({ file, text })), options);
  const documents = results.flatMap((result) => result.analysis.documents);
  return {
    view: trustBoundaryView(documents, options),
    findings: results.flatMap((result) => result.findings.map((finding) => ({ ...finding, file: result.analysis.file }))),
  };
}

/** `file@offset` of every holder the view lists under an over-budget secret. */
function viewOverBudget(outcome: Outcome): string[] {
  return outcome.view.secrets.filter((secret) => secret.overBudget).flatMap((secret) => secret.holders.map((holder) => `${holder.place.file}@${holder.place.range.start}`)).sort();
}

/** `file@offset` of every TCB010 finding and its related places (the other holders). */
function ruleOverBudget(outcome: Outcome): string[] {
  const places = outcome.findings
    .filter((finding) => finding.ruleId === 'TCB010')
    .flatMap((finding) => [`${finding.file}@${finding.range.start}`, ...(finding.related ?? []).map((related) => `${related.file ?? finding.file}@${related.range.start}`)]);
  return [...new Set(places)].sort();
}

const service = (name: string, body: string) => `  ${name}:\n    image: example/${name}:1.0.0\n${body}`;
const compose = (body: (name: string) => string, names = ['a', 'b', 'c', 'd']) => `services:\n${names.map((name) => service(name, body(name))).join('')}`;
const deployment = (name: string, namespace: string, containerBody: string, podBody = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  template:\n    spec:\n${podBody}      containers:\n        - name: ${name}\n          image: example/${name}:1.0.0\n${containerBody}`;

describe('who holds a secret: the rules and the trust-boundary view agree', () => {
  it('an issuer URL in four services is no secret: no TCB010, and the view lists no secret at all', () => {
    const outcome = run({ 'compose.yaml': compose(() => '    environment:\n      JWT_TOKEN_ISSUER: https://auth.example.com\n') });
    assert.deepEqual(outcome.findings.filter((finding) => finding.ruleId === 'TCB010'), []);
    assert.deepEqual(outcome.view.secrets, []);
  });

  const cases: Array<{ name: string; files: Record<string, string>; overBudget: boolean }> = [
    { name: 'a compose secret referenced by four services', files: { 'compose.yaml': compose(() => '    secrets: [db]\n') }, overBudget: true },
    { name: 'a secret-named variable interpolated by four services', files: { 'compose.yaml': compose(() => '    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n') }, overBudget: true },
    { name: 'one literal password set in four services', files: { 'compose.yaml': compose(() => '    environment:\n      - DB_PASSWORD=example-only\n') }, overBudget: true },
    { name: 'three holders, at the budget', files: { 'compose.yaml': compose(() => '    secrets: [db]\n', ['a', 'b', 'c']) }, overBudget: false },
    {
      name: 'one Secret read four ways by workloads of one namespace in two files',
      files: {
        'a.yaml': [
          deployment('env', 'shop', '          env:\n            - name: KEY\n              valueFrom:\n                secretKeyRef: {name: api, key: token}\n'),
          deployment('envfrom', 'shop', '          envFrom:\n            - secretRef: {name: api}\n'),
        ].join('---\n'),
        'b.yaml': [
          deployment('volume', 'shop', '', '      volumes:\n        - name: s\n          secret: {secretName: api}\n'),
          deployment('projected', 'shop', '', '      volumes:\n        - name: s\n          projected:\n            sources:\n              - secret: {name: api}\n'),
          deployment('elsewhere', 'other', '          envFrom:\n            - secretRef: {name: api}\n'),
        ].join('---\n'),
      },
      overBudget: true,
    },
    {
      name: 'four workloads that mount only the CA certificate of a Secret',
      files: { 'a.yaml': ['a', 'b', 'c', 'd'].map((name) => deployment(name, 'shop', '', '      volumes:\n        - name: ca\n          secret:\n            secretName: tls\n            items: [{key: ca.crt, path: ca.crt}]\n')).join('---\n') },
      overBudget: false,
    },
  ];

  for (const { name, files, overBudget } of cases) {
    it(`${name}: ${overBudget ? 'both report the same holders' : 'neither reports it'}`, () => {
      const outcome = run(files);
      const view = viewOverBudget(outcome);
      assert.deepEqual(view, ruleOverBudget(outcome));
      assert.equal(view.length > 0, overBudget);
    });
  }

  it('a lower budget in the options moves both the rule and the view', () => {
    const files = { 'compose.yaml': compose(() => '    secrets: [db]\n', ['a', 'b', 'c']) };
    const strict = defaultOptions({ today: '2026-06-01', thresholds: { secretHolders: 2 } });
    const outcome = run(files, strict);
    assert.equal(viewOverBudget(outcome).length, 3);
    assert.deepEqual(viewOverBudget(outcome), ruleOverBudget(outcome));
  });

  it('in an architecture model, the secrets of the components TCB101 reports are the ones over budget; a vault\'s own are not', () => {
    const model = [
      'apiVersion: securebydesign/v1',
      'kind: Architecture',
      'components:',
      '  vault: {type: vault, secrets: [root-token]}',
      '  orders: {secrets: [orders-db]}',
      '  payments: {secrets: [stripe-key]}',
      '  shipping: {secrets: [carrier-token]}',
      '  mailer: {secrets: [smtp-password]}',
      '',
    ].join('\n');
    const outcome = run({ 'shop.arch.yaml': model });
    const flagged = outcome.findings.filter((finding) => finding.ruleId === 'TCB101').map((finding) => model.slice(finding.range.start, model.indexOf('\n', finding.range.start)).trim());
    assert.equal(flagged.length, 4);
    const over = outcome.view.secrets.filter((secret) => secret.overBudget).map((secret) => secret.secret).sort();
    assert.deepEqual(over, ['secret "carrier-token"', 'secret "orders-db"', 'secret "smtp-password"', 'secret "stripe-key"']);
    assert.deepEqual(outcome.view.secrets.find((secret) => secret.secret === 'secret "root-token"')?.overBudget, false);
    const holders = outcome.view.secrets.filter((secret) => secret.overBudget).map((secret) => model.slice(secret.holders[0].place.range.start, secret.holders[0].place.range.end));
    for (const secret of holders) assert.ok(flagged.some((line) => line.includes(secret)), `${secret} sits in a component TCB101 reports: ${flagged.join(' | ')}`);
  });

  it('under the budget, an architecture model has neither TCB101 nor an over-budget secret', () => {
    const model = 'apiVersion: securebydesign/v1\nkind: Architecture\ncomponents:\n  orders: {secrets: [db]}\n  billing: {secrets: [db]}\n';
    const outcome = run({ 'shop.arch.yaml': model });
    assert.deepEqual(outcome.findings.filter((finding) => finding.ruleId === 'TCB101'), []);
    assert.deepEqual(outcome.view.secrets.map((secret) => [secret.secret, secret.holders.length, secret.overBudget]), [['secret "db"', 2, false]]);
  });
});
