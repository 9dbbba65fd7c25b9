import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { requireBundle, sbd, tempDir } from '../cli/support';

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

  it('a value several templates use is one finding on its values line, with each template line that uses it as related information', () => {
    const container = (name: string) => ['      containers:', `        - name: ${name}`, '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"'];
    const root = tempDir({
      'worker/Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 0.1.0\n',
      'worker/values.yaml': 'image:\n  repository: example/worker\n  tag: "1.4.2"\n',
      'worker/templates/deployment.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: worker', 'spec:', '  template:', '    spec:', ...container('worker'), ''].join('\n'),
      'worker/templates/cronjob.yaml': ['apiVersion: batch/v1', 'kind: CronJob', 'metadata:', '  name: cleanup', 'spec:', '  schedule: "0 3 * * *"', '  jobTemplate:', '    spec:', '      template:', '        spec:', ...container('cleanup').map((line) => `    ${line}`), ''].join('\n'),
    });
    try {
      const result = sbd(['scan', 'worker', '--format', 'sarif', '--fail-on', 'never'], root);
      const results = JSON.parse(result.stdout).runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'IMM002');
      assert.equal(results.length, 1, JSON.stringify(results));
      assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, 'worker/values.yaml');
      assert.equal(results[0].locations[0].physicalLocation.region.startLine, 2);
      assert.deepEqual(
        results[0].relatedLocations.map((r: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }) => `${r.physicalLocation.artifactLocation.uri}:${r.physicalLocation.region.startLine}`).sort(),
        ['worker/templates/cronjob.yaml:13', 'worker/templates/deployment.yaml:10'],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
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
    // Each chart's scan with its defaults is made once: the render check and the expected findings read the same report.
    const defaults = new Map<string, JsonReport>();
    const scanDefaults = (chart: string) => {
      if (!defaults.has(chart)) defaults.set(chart, scan(chartsRoot, [chart]));
      return defaults.get(chart)!;
    };

    for (const chart of charts) {
      const ci = path.join(chartsRoot, chart, 'ci');
      // Argo CD's eleven ci files are rendered in-process by test/helm/charts.test.ts; a full scan of each costs seconds.
      const valueSets = [[], ...(fs.existsSync(ci) && chart !== 'argo-cd' ? fs.readdirSync(ci).sort().map((file) => [`${chart}/ci/${file}`]) : [])];
      for (const values of valueSets) {
        it(`${chart} renders with ${values.length ? values[0].slice(chart.length + 1) : 'its defaults'}: no YAML error on a template, no render error but the chart's own required value`, () => {
          const report = values.length === 0 ? scanDefaults(chart) : scan(chartsRoot, [chart, ...values.flatMap((file) => ['--values', file])]);
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

    for (const chart of ['alertmanager', 'kube-state-metrics', 'prometheus-pushgateway', 'prometheus-blackbox-exporter', 'argo-cd']) {
      it(`${chart}: the findings its author would accept, on the template and values lines (expected/${chart}.yaml)`, function () {
        if (!present) this.skip();
        assert.deepEqual(found(scanDefaults(chart), chart), expected(chart));
      });
    }

    it('argo-cd: the global image is one finding on values.yaml, with each template line that uses it as related information', function () {
      if (!present) this.skip();
      const result = sbd(['scan', 'argo-cd', '--format', 'sarif', '--fail-on', 'never'], chartsRoot);
      const results = JSON.parse(result.stdout).runs[0].results.filter((r: { ruleId: string; message: { text: string } }) => r.ruleId === 'IMM002' && r.message.text.includes('argoproj/argocd'));
      assert.equal(results.length, 1);
      const place = (r: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }) => `${r.physicalLocation.artifactLocation.uri}:${r.physicalLocation.region.startLine}`;
      assert.equal(place(results[0].locations[0]), 'argo-cd/values.yaml:61');
      const values = fs.readFileSync(path.join(chartsRoot, 'argo-cd', 'values.yaml'), 'utf8').split('\n');
      assert.match(values[60], /^\s+repository: quay\.io\/argoproj\/argocd$/);
      // Every template line that writes the global image: the five components, the two copyutil init containers, the Redis secret-init Job.
      const uses = results[0].relatedLocations.map(place).sort();
      assert.deepEqual(uses, [
        'argo-cd/templates/argocd-application-controller/statefulset.yaml:79',
        'argo-cd/templates/argocd-applicationset/deployment.yaml:67',
        'argo-cd/templates/argocd-notifications/deployment.yaml:68',
        'argo-cd/templates/argocd-repo-server/deployment.yaml:438',
        'argo-cd/templates/argocd-repo-server/deployment.yaml:78',
        'argo-cd/templates/argocd-server/deployment.yaml:72',
        'argo-cd/templates/dex/deployment.yaml:192',
        'argo-cd/templates/redis-secret-init/job.yaml:46',
      ]);
      for (const use of uses) {
        const [file, line] = use.split(':');
        assert.match(fs.readFileSync(path.join(chartsRoot, file), 'utf8').split('\n')[Number(line) - 1], /image:/, use);
      }
    });
  });
});
