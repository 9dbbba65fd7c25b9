import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function sbd(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('sbd CLI (bundled)', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  });

  it('scans the examples folder and reports findings of all five patterns with file:line:col', () => {
    const { status, stdout } = sbd(['scan', 'examples']);
    assert.equal(status, 1);
    const lines = stdout.trim().split('\n').slice(0, -1);
    for (const line of lines) assert.match(line, /^examples\/\S+\.yaml:\d+:\d+ {2}(error|warning|info) +\S+ +\S/);
    const ids = new Set(lines.map((line) => line.split(/\s+/)[2]));
    for (const prefix of ['ZT', 'IMM', 'BND', 'TCB', 'FF']) {
      assert.ok([...ids].some((id) => new RegExp(`^${prefix}\\d`).test(id)), `no ${prefix} finding in the examples`);
    }
  });

  it('reports the line of a finding in a later document of a multi-document file', () => {
    const dir = tempDir({ 'app.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext: {privileged: true}\n' });
    const { stdout } = sbd(['scan', dir, '--format', 'json', '--fail-on', 'never']);
    const report = JSON.parse(stdout);
    const privileged = report.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'TCB001');
    assert.ok(privileged, 'TCB001 expected');
    assert.equal(privileged.startLine, 12);
    assert.equal(privileged.startColumn, 37);
  });

  it('finds nothing in the hardened examples', () => {
    const { status, stdout } = sbd(['scan', 'examples/compose/hardened.compose.yaml', 'examples/kubernetes/hardened.yaml', '--fail-on', 'info']);
    assert.equal(stdout.trim(), 'No findings in 2 files.');
    assert.equal(status, 0);
  });

  it('a file named alone is read with its folder: a RoleBinding beside it means the token is needed, and only the named file is reported', () => {
    const account = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: op\n  namespace: ops\nautomountServiceAccountToken: true\n';
    const binding = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: op\n  namespace: ops\nsubjects:\n  - kind: ServiceAccount\n    name: op\n    namespace: ops\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: op\n';
    const alone = tempDir({ 'account.yaml': account });
    const withBinding = tempDir({ 'account.yaml': account, 'binding.yaml': binding, 'privileged.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: busybox:1.36.1, securityContext: {privileged: true}}\n' });
    const scan = (dir: string) => JSON.parse(sbd(['scan', path.join(dir, 'account.yaml'), '--format', 'json', '--fail-on', 'never']).stdout);
    assert.deepEqual(scan(alone).files[0].findings.map((f: { ruleId: string }) => f.ruleId), ['ZT003']);
    const report = scan(withBinding);
    assert.deepEqual(report.files.map((f: { file: string }) => path.basename(f.file)), ['account.yaml'], 'the folder is context, not scanned');
    assert.deepEqual(report.files[0].findings, []);
  });

  it('reads the Dockerfile a compose build names: a non-root USER there needs no user:, USER root is reported', () => {
    const compose = 'services:\n  api:\n    build: ./api\n    image: shop/api:1.2.0\n';
    const rootless = tempDir({ 'compose.yaml': compose, 'api/Dockerfile': 'FROM node:22.11.0 AS build\nRUN npm ci\nFROM gcr.io/distroless/nodejs22-debian12\nUSER 10001\n' });
    const rooted = tempDir({ 'compose.yaml': compose, 'api/Dockerfile': 'FROM node:22.11.0\nUSER node\nRUN npm ci\nUSER root\n' });
    const missing = tempDir({ 'compose.yaml': compose });
    const findings = (dir: string) => JSON.parse(sbd(['scan', path.join(dir, 'compose.yaml'), '--format', 'json', '--fail-on', 'never']).stdout).files[0].findings as Array<{ ruleId: string; message: string }>;
    assert.doesNotMatch(findings(rootless).find((f) => f.ruleId === 'TCB011')!.message, /non-root user/);
    assert.match(findings(rooted).find((f) => f.ruleId === 'ZT001')!.message, /api\/Dockerfile, whose last stage sets USER root \(line 4\)/);
    assert.match(findings(missing).find((f) => f.ruleId === 'TCB011')!.message, /Dockerfile it is built from \(api\/Dockerfile\) is out of sight/);
  });

  it('honours --fail-on: findings below the threshold exit 0', () => {
    const dir = tempDir({ 'compose.yaml': 'services:\n  web:\n    image: nginx:latest\n' });
    assert.equal(sbd(['scan', dir, '--fail-on', 'error']).status, 0);
    assert.equal(sbd(['scan', dir, '--fail-on', 'warning']).status, 1);
    assert.equal(sbd(['scan', dir, '--fail-on', 'never']).status, 0);
  });

  it('writes SARIF 2.1.0 with rule descriptors, pattern tags and regions', () => {
    const { stdout } = sbd(['scan', 'examples', '--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'sbd');
    const ruleIds = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    assert.equal(new Set(ruleIds).size, ruleIds.length, 'rule ids are unique');
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.markdown, `${rule.id} lacks descriptions`);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run.results.length > 0);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at the rule');
      const location = result.locations[0].physicalLocation;
      assert.match(location.artifactLocation.uri, /^examples\//);
      assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(location.region.startLine >= 1 && location.region.startColumn >= 1);
      assert.ok(result.message.text.length > 0);
    }
    const tagged = run.tool.driver.rules.find((rule: { id: string }) => rule.id === 'TCB001');
    assert.ok(tagged.properties.tags.includes('TCB Minimization'));
    assert.equal(tagged.properties['security-severity'], '8.0');
  });

  it('lists 40 or more rules with id, pattern, severity, title and fix availability', () => {
    const { status, stdout } = sbd(['rules', '--format', 'json']);
    assert.equal(status, 0);
    const rules = JSON.parse(stdout);
    assert.ok(rules.length >= 40, `only ${rules.length} rules`);
    for (const rule of rules) {
      assert.match(rule.id, /^(ZT|IMM|BND|TCB|FF)\d{3}$/);
      assert.ok(['ZT', 'IMM', 'BND', 'TCB', 'FF'].includes(rule.pattern));
      assert.ok(['error', 'warning', 'info'].includes(rule.severity));
      assert.equal(typeof rule.title, 'string');
      assert.equal(typeof rule.hasFix, 'boolean');
    }
    for (const pattern of ['ZT', 'IMM', 'BND', 'TCB', 'FF']) assert.ok(rules.some((rule: { pattern: string }) => rule.pattern === pattern), `no ${pattern} rule`);
  });

  it('exits 2 with a one-line error for an unreadable path, and still scans the others', () => {
    const missing = sbd(['scan', 'no/such/file.yaml']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^sbd: no\/such\/file\.yaml: no such file or folder$/m);
    const mixed = sbd(['scan', 'no/such/file.yaml', 'examples/compose/insecure.compose.yaml']);
    assert.equal(mixed.status, 1);
    assert.match(mixed.stdout, /TCB001/);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(sbd(['frobnicate']).status, 2);
    const badFormat = sbd(['scan', '--format', 'xml']);
    assert.equal(badFormat.status, 2);
    assert.match(badFormat.stderr, /--format must be one of text, json, sarif/);
  });

  it('refuses an invalid .sbd.yaml with file:line:col and scans nothing', () => {
    const dir = tempDir({ '.sbd.yaml': 'rules:\n  ZT999: off\nthresholds:\n  secretHolders: many\n', 'compose.yaml': 'services:\n  web:\n    image: nginx:latest\n' });
    const { status, stdout, stderr } = sbd(['scan', '.'], dir);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /\.sbd\.yaml:2:3 rules: unknown rule "ZT999" \(run `sbd rules` for the list\)/);
    assert.match(stderr, /\.sbd\.yaml:4:18 thresholds\.secretHolders must be a whole number of holders from 1 to 1000, got "many"/);
  });

  it('applies .sbd.yaml rule settings and ignore globs', () => {
    const dir = tempDir({
      '.sbd.yaml': 'rules:\n  IMM001: off\n  TCB001: warning\nignore: ["vendor/**"]\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx:latest\n    privileged: true\n',
      'vendor/compose.yaml': 'services:\n  x:\n    privileged: true\n',
    });
    const { stdout } = sbd(['scan', '.', '--format', 'json', '--fail-on', 'never'], dir);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.files.map((f: { file: string }) => f.file), ['compose.yaml']);
    const findings = report.files[0].findings;
    assert.ok(!findings.some((f: { ruleId: string }) => f.ruleId === 'IMM001'));
    assert.equal(findings.find((f: { ruleId: string }) => f.ruleId === 'TCB001').severity, 'warning');
  });

  it('skips binary files with a clear message instead of failing', () => {
    const dir = tempDir({ 'blob.yaml': '\u0000\u0001\u0002binary' });
    const { stdout } = sbd(['scan', dir, '--fail-on', 'never']);
    assert.match(stdout, /SBD006 +File not analysed: it looks like binary data/);
  });
});
