import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { requireBundle, sbd } from '../cli/support';

const repoRoot = path.resolve(__dirname, '..', '..');
const chartsRoot = path.join(repoRoot, '..', 'shared', 'charts');
const fixtures = path.join(__dirname, 'fixtures');
const expectedDir = path.join(__dirname, 'expected');

interface Expected {
  readonly rule: string;
  readonly severity: string;
  readonly file: string;
  readonly line: number;
}

interface JsonReport {
  files: Array<{ file: string; findings: Array<{ ruleId: string; severity: string; startLine: number; message: string }> }>;
}

function scan(cwd: string, args: string[]): JsonReport {
  const result = sbd(['scan', ...args, '--format', 'json', '--fail-on', 'never'], cwd);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as JsonReport;
}

/** Findings as rule/severity/file/line, files relative to `base` ('' keeps them as reported). */
function found(report: JsonReport, base = ''): Expected[] {
  return report.files
    .flatMap((file) => file.findings.map((finding) => ({ rule: finding.ruleId, severity: finding.severity, file: base ? path.posix.relative(base, file.file) : file.file, line: finding.startLine })))
    .sort(byPlace);
}

function byPlace(a: Expected, b: Expected): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule);
}

function expected(name: string): Expected[] {
  return [...(parse(fs.readFileSync(path.join(expectedDir, `${name}.yaml`), 'utf8')) as { findings: Expected[] }).findings].sort(byPlace);
}

describe('sbd scan on Helm charts and Kustomize overlays', function () {
  this.timeout(300_000);
  before(() => requireBundle());

  it('our test chart: the values line that set hostPID, the template line of the hostPath, no YAML errors', () => {
    assert.deepEqual(found(scan(fixtures, ['node-agent'])), expected('node-agent'));
  });

  it('our test chart with its ci values file: hostPID: false there removes the finding', () => {
    const report = scan(fixtures, ['node-agent', '--values', 'node-agent/ci/hardened-values.yaml']);
    assert.deepEqual(found(report).map((f) => f.rule), ['TCB008', 'IMM002']);
  });

  it('our test overlay: base findings once on the base, the patch line for what the patch set, none on the patch as a workload', () => {
    assert.deepEqual(found(scan(fixtures, ['overlay'])), expected('overlay'));
  });

  it('SARIF names the other place of a mapped finding as a related location with its line', () => {
    const result = sbd(['scan', 'node-agent', '--format', 'sarif', '--fail-on', 'never'], fixtures);
    const sarif = JSON.parse(result.stdout);
    const hostPid = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'TCB005');
    assert.equal(hostPid.locations[0].physicalLocation.artifactLocation.uri, 'node-agent/values.yaml');
    assert.deepEqual(
      hostPid.relatedLocations.map((r: { message: { text: string }; physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }) => [r.physicalLocation.artifactLocation.uri, r.physicalLocation.region.startLine, r.message.text]),
      [['node-agent/templates/daemonset.yaml', 18, 'used in templates/daemonset.yaml:18']],
    );
  });

  describe('the shared real charts', () => {
    const present = fs.existsSync(chartsRoot);
    before(function () {
      if (present) return;
      if (process.env.CI === 'true') throw new Error(`the shared charts are missing (expected beside the repository at ${path.relative(repoRoot, chartsRoot)})`);
      console.log('    (skipped: the shared charts are not beside the repository)');
      this.skip();
    });
    const charts = present ? fs.readdirSync(chartsRoot).filter((d) => fs.existsSync(path.join(chartsRoot, d, 'Chart.yaml'))).sort() : [];

    for (const chart of charts) {
      const ci = path.join(chartsRoot, chart, 'ci');
      // Argo CD's thirteen ci files are rendered in-process by test/helm/charts.test.ts; a full scan of each costs seconds.
      const valueSets = [[], ...(fs.existsSync(ci) && chart !== 'argo-cd' ? fs.readdirSync(ci).sort().map((file) => [`${chart}/ci/${file}`]) : [])];
      for (const values of valueSets) {
        it(`${chart} renders with ${values.length ? values[0].slice(chart.length + 1) : 'its defaults'}: no YAML error on a template, no render error but the chart's own required value`, () => {
          const report = scan(chartsRoot, [chart, ...values.flatMap((file) => ['--values', file])]);
          const all = report.files.flatMap((file) => file.findings.map((finding) => ({ ...finding, file: file.file })));
          assert.deepEqual(all.filter((f) => f.ruleId === 'SBD001' && f.file.includes('/templates/')), []);
          const renderErrors = all.filter((f) => f.ruleId === 'SBD008' && f.severity === 'error');
          if (chart === 'prometheus-postgres-exporter' && values.length === 0) {
            assert.equal(renderErrors.length, 1, JSON.stringify(renderErrors));
            assert.match(renderErrors[0].message, /required: config\.datasource\.password is required/);
          } else assert.deepEqual(renderErrors, []);
        });
      }
    }

    for (const chart of ['alertmanager', 'kube-state-metrics', 'prometheus-pushgateway', 'prometheus-blackbox-exporter']) {
      it(`${chart}: the findings its author would accept, on the template and values lines (expected/${chart}.yaml)`, function () {
        if (!present) this.skip();
        assert.deepEqual(found(scan(chartsRoot, [chart]), chart), expected(chart));
      });
    }
  });
});
