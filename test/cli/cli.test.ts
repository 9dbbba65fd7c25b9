import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBundle, ROOT, sbd, tempDir } from './support';

describe('sbd CLI (bundled)', () => {
  before(() => requireBundle());

  it('scans the examples folder and reports findings of all five patterns, grouped by file, with line:col', () => {
    const { status, stdout } = sbd(['scan', 'examples']);
    assert.equal(status, 1);
    const lines = stdout.split('\n');
    const headers = lines.filter((line) => /^examples\/\S+\.yaml$/.test(line));
    assert.ok(headers.length >= 3, `file headers: ${headers.join(', ')}`);
    const findings = lines.filter((line) => line.startsWith('  '));
    for (const line of findings) assert.match(line, /^ {2}\d+:\d+ +(error|warning|info) +\S+ +\S/);
    assert.match(stdout, /^\d+ findings \(\d+ error, \d+ warning, \d+ info\) in \d+ of \d+ files\.$/m);
    assert.match(stdout, /^By pattern: Zero-Trust \d+ · Immutable Infrastructure \d+ · Security Boundaries \d+ · TCB Minimization \d+ · Fail-Fast Security \d+\.$/m);
    assert.match(stdout, /^Score: \d+\/100 \(ZT \d+ · IMM \d+ · BND \d+ · TCB \d+ · FF \d+\)\.$/m);
    assert.doesNotMatch(stdout, /\u001b\[/, 'no colour when piped');
    const ids = new Set(findings.map((line) => line.trim().split(/\s+/)[2]));
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
    assert.equal(stdout.trim(), 'No findings in 2 files.\nScore: 100/100 (ZT 100 · IMM 100 · BND 100 · TCB 100 · FF 100).');
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

  it('reads the Dockerfile of a build only inside the project: a path or a symbolic link out of it leaves the user out of sight', function () {
    const outside = tempDir({ 'api/Dockerfile': 'FROM gcr.io/distroless/nodejs22-debian12\nUSER 10001\n' });
    const byPath = tempDir({ 'compose.yaml': `services:\n  api:\n    build: ${path.join(outside, 'api')}\n    image: shop/api:1.2.0\n` });
    const byLink = tempDir({ 'compose.yaml': 'services:\n  api:\n    build: ./api\n    image: shop/api:1.2.0\n' });
    try {
      fs.symlinkSync(path.join(outside, 'api'), path.join(byLink, 'api'), 'dir');
    } catch {
      this.skip();
    }
    for (const dir of [byPath, byLink]) {
      const report = JSON.parse(sbd(['scan', path.join(dir, 'compose.yaml'), '--format', 'json', '--fail-on', 'never']).stdout);
      const baseline = report.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'TCB011');
      assert.match(baseline.message, /non-root user/, `the Dockerfile outside ${dir} must not be read`);
    }
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

  it('says a missing path in one line and nothing else, exit 2; with other paths it still scans them, exit 2', () => {
    const missing = sbd(['scan', 'no/such/file.yaml']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'sbd: no/such/file.yaml: no such file or folder\n');
    assert.equal(missing.stdout, '', 'no "No findings in 0 files" after the error');
    const mixed = sbd(['scan', 'no/such/file.yaml', 'examples/compose/insecure.compose.yaml']);
    assert.equal(mixed.status, 2, 'an I/O error outranks findings: exit 1 means findings only');
    assert.match(mixed.stdout, /TCB001/);
  });

  it('exits 2 on usage errors, each said in one line', () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /^sbd: unknown command 'frobnicate'/],
      [['scan', '--format', 'xml'], /^sbd: option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, json, sarif\./],
      [['scan', '--formt', 'json'], /^sbd: unknown option '--formt' \(Did you mean --format\?\)/],
      [['scan', '--min-score', 'high'], /^sbd: option '--min-score <n>' argument 'high' is invalid/],
      [['scan', '--profile', 'pss-strict'], /Allowed choices are pss-baseline, pss-restricted/],
      [['scan', '--output'], /^sbd: option '--output <file>' argument missing/],
      [['rules', 'extra'], /^sbd: too many arguments for 'rules'/],
      [['fix', '--rule', 'ZT999'], /^sbd: unknown rule ZT999/],
    ];
    for (const [args, message] of cases) {
      const result = sbd(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line for ${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '', args.join(' '));
    }
  });

  it('prints help and the version and exits 0; without a command prints help on stderr and exits 2', () => {
    for (const args of [['--help'], ['-h'], ['scan', '--help'], ['baseline', '--help'], ['fix', '--help'], ['help', 'scan']]) {
      const result = sbd(args);
      assert.equal(result.status, 0, args.join(' '));
      assert.match(result.stdout, /^Usage: sbd/m, args.join(' '));
    }
    assert.match(sbd(['scan', '--help']).stdout, /--baseline <file>[\s\S]*--min-score <n>[\s\S]*--changed[\s\S]*--profile <id>/);
    const version = sbd(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const bare = sbd([]);
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /^Usage: sbd/);
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

  it('reads a Threagile model given by its main file whole, following includes relative to each including file', () => {
    const dir = tempDir({
      'model/threagile.yaml': 'threagile_version: 1.0.0\ntitle: Shop\nincludes:\n  - parts/assets.yaml\n',
      'model/parts/assets.yaml': 'includes: [../data/data.yaml]\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    technology: web-application\n    communication_links:\n      DB:\n        target: db\n        protocol: jdbc\n        authentication: credentials\n        authorization: technical-user\n        data_assets_sent: [orders]\n  DB:\n    id: db\n    type: datastore\n    technology: database\n    encryption: transparent\n    data_assets_stored: [orders]\n',
      'model/data/data.yaml': 'data_assets:\n  Orders:\n    id: orders\n    confidentiality: confidential\n    owner: Shop\n',
    });
    const { stdout } = sbd(['scan', 'model/threagile.yaml', '--format', 'json', '--fail-on', 'never'], dir);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.files.map((f: { file: string }) => f.file.split(path.sep).join('/')).sort(), ['model/data/data.yaml', 'model/parts/assets.yaml', 'model/threagile.yaml']);
    const all = report.files.flatMap((f: { file: string; findings: Array<{ ruleId: string }> }) => f.findings.map((finding) => `${f.file.split(path.sep).join('/')} ${finding.ruleId}`));
    assert.ok(all.includes('model/parts/assets.yaml ZT109'), all.join(', '));
    assert.ok(!all.some((finding: string) => / (BND105|FF103)$/.test(finding)), all.join(', '));
  });

  it('skips binary files with a clear message instead of failing', () => {
    const dir = tempDir({ 'blob.yaml': '\u0000\u0001\u0002binary' });
    const { stdout } = sbd(['scan', dir, '--fail-on', 'never']);
    assert.match(stdout, /SBD006 +File not analysed: it looks like binary data/);
  });
});
