import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/src/cli/main';
import { requireBundle, sbd, tempDir } from './support';

const tempRepo = (files: Record<string, string>) => tempDir(files, 'sbd-adopt-');

const COMPOSE = `services:
  web:
    image: nginx:1.27
    privileged: true
    ports: ["8080:80"]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: \${DB_PASSWORD:-postgres}
`;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  automountServiceAccountToken: false
  containers:
    - name: api
      image: example/api:1.0
      securityContext: {allowPrivilegeEscalation: true, runAsUser: 0}
`;

describe('adopting sbd on an existing repository (bundled CLI)', function () {
  this.timeout(60_000);
  before(() => requireBundle());

  it('records a baseline; a scan against it reports only new findings and says how many are baselined', () => {
    const dir = tempRepo({ 'compose.yaml': COMPOSE, 'k8s/pod.yaml': POD });
    const recorded = sbd(['baseline'], dir);
    assert.equal(recorded.status, 0, recorded.stderr);
    const total = JSON.parse(fs.readFileSync(path.join(dir, '.sbd-baseline.json'), 'utf8')).findings.length;
    assert.match(recorded.stdout, new RegExp(`^sbd: recorded ${total} findings in \\.sbd-baseline\\.json\\.$`, 'm'));
    const clean = sbd(['scan', '--baseline', '.sbd-baseline.json'], dir);
    assert.equal(clean.status, 0, clean.stdout);
    assert.match(clean.stdout, new RegExp(`^No findings in 2 files\\.\\n${total} findings recorded in the baseline \\.sbd-baseline\\.json are not shown\\.`, 'm'));

    // Unrelated edits: lines inserted above, services reordered. Then one new problem.
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `# reviewed\n\nservices:\n  db:\n    environment:\n      POSTGRES_PASSWORD: \${DB_PASSWORD:-postgres}\n    image: postgres:16\n  web:\n    ports: ["8080:80"]\n    privileged: true\n    image: nginx:1.27\n    network_mode: host\n`);
    const after = sbd(['scan', '--baseline', '.sbd-baseline.json', '--format', 'json'], dir);
    assert.equal(after.status, 1);
    const report = JSON.parse(after.stdout);
    assert.deepEqual(report.files.flatMap((f: { findings: Array<{ ruleId: string }> }) => f.findings.map((x) => x.ruleId)), ['TCB004']);
    assert.equal(report.totals.baselined, total);
    assert.equal(report.totals.findings, 1);
  });

  it('keeps the baseline valid when the repository moves, and SARIF fingerprints carry no line or absolute path', () => {
    const dir = tempRepo({ 'compose.yaml': COMPOSE });
    assert.equal(sbd(['baseline'], dir).status, 0);
    const moved = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-moved-'));
    fs.cpSync(dir, path.join(moved, 'elsewhere'), { recursive: true });
    const scan = sbd(['scan', '--baseline', '.sbd-baseline.json', '--format', 'sarif'], path.join(moved, 'elsewhere'));
    assert.equal(scan.status, 0, scan.stdout);
    const run = JSON.parse(scan.stdout).runs[0];
    assert.deepEqual(run.results, [], 'nothing new after moving');
    assert.ok(run.properties.baselined > 0);
    const plain = JSON.parse(sbd(['scan', '--format', 'sarif'], dir).stdout).runs[0];
    const shifted = tempRepo({ 'compose.yaml': '# one\n# two\n' + COMPOSE });
    const shiftedRun = JSON.parse(sbd(['scan', '--format', 'sarif'], shifted).stdout).runs[0];
    const prints = (r: { results: Array<{ partialFingerprints: Record<string, string> }> }) => r.results.map((x) => x.partialFingerprints['sbdFinding/v2']).sort();
    assert.deepEqual(prints(shiftedRun), prints(plain), 'two lines inserted above change no fingerprint');
    for (const result of plain.results) assert.match(result.partialFingerprints['sbdFinding/v2'], /^[0-9a-f]{16}$/);
    fs.writeFileSync(path.join(shifted, 'extra.yaml'), 'services:\n  x:\n    image: busybox:1.36\n    privileged: true\n');
    fs.copyFileSync(path.join(dir, '.sbd-baseline.json'), path.join(shifted, '.sbd-baseline.json'));
    const newOne = JSON.parse(sbd(['scan', '--format', 'sarif', '--baseline', '.sbd-baseline.json'], shifted).stdout).runs[0];
    assert.ok(newOne.results.length > 0 && newOne.results.every((r: { baselineState: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.baselineState === 'new' && r.locations[0].physicalLocation.artifactLocation.uri === 'extra.yaml'), 'only the new file\'s findings, marked new');
    assert.ok(plain.results.every((r: { baselineState?: string }) => r.baselineState === undefined), 'no baselineState without a baseline');
  });

  it('drops vanished findings with `baseline --update` and adds none', () => {
    const dir = tempRepo({ 'compose.yaml': COMPOSE });
    sbd(['baseline'], dir);
    const before = JSON.parse(fs.readFileSync(path.join(dir, '.sbd-baseline.json'), 'utf8')).findings;
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE.replace('    privileged: true\n', '').replace('  db:', '  db:\n    network_mode: host'));
    const update = sbd(['baseline', '--update'], dir);
    assert.equal(update.status, 0, update.stderr);
    const after = JSON.parse(fs.readFileSync(path.join(dir, '.sbd-baseline.json'), 'utf8')).findings;
    assert.ok(before.some((entry: { ruleId: string }) => entry.ruleId === 'TCB001'));
    assert.ok(!after.some((entry: { ruleId: string }) => entry.ruleId === 'TCB001'), 'the fixed finding is dropped');
    assert.ok(!after.some((entry: { ruleId: string }) => entry.ruleId === 'TCB004'), 'the new finding is not added');
    assert.match(update.stdout, /^sbd: kept \d+, dropped [1-9]\d* that are gone from \.sbd-baseline\.json; [1-9]\d* new findings? (is|are) not added/);
    const missing = sbd(['baseline', '--update', '--output', 'nope.json'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^sbd: nope\.json: cannot read the baseline \(ENOENT\)/);
  });

  it('gates on --min-score and reports the score in text, JSON and SARIF with deductions traceable to findings', () => {
    const dir = tempRepo({ 'compose.yaml': COMPOSE });
    const text = sbd(['scan', '--fail-on', 'never', '--min-score', '99'], dir);
    assert.equal(text.status, 1);
    const score = Number(/^Score: (\d+)\/100/m.exec(text.stdout)![1]);
    assert.equal(text.stderr, `sbd: score ${score} is below --min-score 99\n`);
    assert.equal(sbd(['scan', '--fail-on', 'never', '--min-score', String(score)], dir).status, 0);
    const json = JSON.parse(sbd(['scan', '--format', 'json'], dir).stdout);
    assert.equal(json.score.overall, score);
    const tcb = json.files[0].findings.filter((f: { pattern: string }) => f.pattern === 'TCB');
    assert.equal(json.score.patterns.TCB, Math.round(100 - tcb.reduce((sum: number, f: { scoreDeduction: number }) => sum + f.scoreDeduction, 0)));
    const sarif = JSON.parse(sbd(['scan', '--format', 'sarif'], dir).stdout).runs[0];
    assert.equal(sarif.properties.score, score);
    assert.deepEqual(sarif.properties.patternScores, json.score.patterns);
  });

  it('checks only a profile\'s rules with --profile or `profile:` and lists its controls in SARIF', () => {
    const dir = tempRepo({ 'k8s/pod.yaml': POD });
    const all = JSON.parse(sbd(['scan', '--format', 'json'], dir).stdout).files[0].findings.map((f: { ruleId: string }) => f.ruleId);
    const pss = JSON.parse(sbd(['scan', '--format', 'json', '--profile', 'pss-restricted'], dir).stdout);
    const ids = pss.files[0].findings.map((f: { ruleId: string }) => f.ruleId);
    assert.ok(all.includes('IMM002') && !ids.includes('IMM002'), `${all} vs ${ids}`);
    assert.ok(ids.includes('ZT001') && ids.includes('ZT002'));
    assert.ok(pss.files[0].findings.every((f: { severity: string }) => f.severity === 'error'), 'PSS raises its rules to error');
    assert.equal(pss.profile, 'pss-restricted');
    fs.writeFileSync(path.join(dir, '.sbd.yaml'), 'profile: pss-restricted\nrules:\n  ZT002: warning\n');
    const configured = JSON.parse(sbd(['scan', '--format', 'json'], dir).stdout);
    assert.equal(configured.profile, 'pss-restricted');
    assert.equal(configured.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'ZT002').severity, 'warning', '.sbd.yaml rules apply on top of the profile');
    const sarif = JSON.parse(sbd(['scan', '--format', 'sarif', '--profile', 'pss-restricted'], dir).stdout).runs[0];
    const zt001 = sarif.tool.driver.rules.find((rule: { id: string }) => rule.id === 'ZT001');
    assert.ok(zt001.properties.controls.includes('PSS Running as Non-root (restricted)'));
    assert.match(zt001.helpUri, /^https:\/\/\S+\/blob\/main\/docs\/rules\/ZT001\.md$/);
    assert.match(zt001.help.markdown, /## Why it matters[\s\S]*## How to fix[\s\S]*## Standards/);
    assert.equal(sarif.properties.profile, 'pss-restricted');
  });

  it('fix --dry-run prints a unified diff of the fixes that cannot change behaviour and changes nothing; fix applies them, keeping comments', () => {
    const source = '# the shop\nservices:\n  web:  # public\n    image: nginx:1.27\n    privileged: true\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:-changeme}  # dev default\n  worker:  # jobs\n    image: example/worker:2.1\n';
    const dir = tempRepo({ 'compose.yaml': source });
    const dry = sbd(['fix', '--dry-run'], dir);
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), source);
    assert.match(dry.stdout, /^--- a\/compose\.yaml\n\+\+\+ b\/compose\.yaml\n@@ /m);
    // Blocking setuid escalation changes nothing the worker relies on: applied.
    assert.match(dry.stdout, /^\+    security_opt:\n\+      - no-new-privileges:true$/m);
    // Taking privileges away or requiring a variable can stop a service working: left to the user, one by one.
    assert.doesNotMatch(dry.stdout, /privileged: false/);
    assert.doesNotMatch(dry.stdout, /DB_PASSWORD:\?/);
    assert.match(dry.stderr, /^sbd: would fix 1 finding in 1 file \(dry run: no file changed\); \d+ findings would remain/);
    const only = sbd(['fix', '--dry-run', '--rule', 'FF001'], dir);
    assert.equal(only.stdout, '');
    assert.match(only.stderr, /^sbd: would fix 0 findings in 0 files/);
    const applied = sbd(['fix'], dir);
    assert.equal(applied.status, 0);
    const fixed = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    assert.ok(fixed.includes('# the shop') && fixed.includes('# public') && fixed.includes('# dev default') && fixed.includes('# jobs'), fixed);
    const rescan = JSON.parse(sbd(['scan', '--format', 'json', '--fail-on', 'never'], dir).stdout).files[0].findings as Array<{ ruleId: string; message: string }>;
    assert.ok(!rescan.some((f) => f.ruleId === 'TCB011' && /privilege escalation not blocked/.test(f.message)), `the fix removed what it fixed: ${JSON.stringify(rescan)}`);
    assert.ok(rescan.some((f) => f.ruleId === 'TCB001') && rescan.some((f) => f.ruleId === 'FF001'));
  });

  it('scan --changed reports only files git sees as changed, and --since compares with a ref', function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const dir = tempRepo({ 'a.yaml': COMPOSE, 'b.yaml': COMPOSE.replace(/web/g, 'api') });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    const none = sbd(['scan', '--changed', '--format', 'json'], dir);
    assert.equal(none.status, 0, none.stderr);
    assert.deepEqual(JSON.parse(none.stdout).files, []);
    fs.appendFileSync(path.join(dir, 'b.yaml'), '  cache:\n    image: redis:7\n');
    fs.writeFileSync(path.join(dir, 'new.yaml'), 'services:\n  x:\n    image: busybox:1.36\n    pid: host\n');
    const changed = JSON.parse(sbd(['scan', '--changed', '--format', 'json', '--fail-on', 'never'], dir).stdout);
    assert.deepEqual(changed.files.map((f: { file: string }) => f.file).sort(), ['b.yaml', 'new.yaml']);
    git('checkout', '-q', '-b', 'feature');
    git('add', '.');
    git('commit', '-qm', 'feature');
    const since = JSON.parse(sbd(['scan', '--since', 'main', '--format', 'json', '--fail-on', 'never'], dir).stdout);
    assert.deepEqual(since.files.map((f: { file: string }) => f.file).sort(), ['b.yaml', 'new.yaml']);
    const bad = sbd(['scan', '--since', '--output=x'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^sbd: --since "--output=x" is not a git revision$/m);
    const unknown = sbd(['scan', '--since', 'no-such-branch'], dir);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr.trimEnd().split('\n').length, 1);
    const outside = sbd(['scan', '--changed'], fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-nogit-')));
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /^sbd: git diff failed: .*not a git repository/im);
  });

  it('colours text on a terminal only: FORCE_COLOR gives colour, NO_COLOR and pipes none', () => {
    const dir = tempRepo({ 'compose.yaml': COMPOSE });
    assert.doesNotMatch(sbd(['scan'], dir).stdout, /\u001b\[/);
    assert.match(sbd(['scan'], dir, { FORCE_COLOR: '1' }).stdout, /\u001b\[31merror/);
    assert.doesNotMatch(sbd(['scan'], dir, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, /\u001b\[/);
    assert.doesNotMatch(sbd(['scan', '--no-color'], dir, { FORCE_COLOR: '1' }).stdout, /\u001b\[/);
  });

  it('escapes control characters of file names and YAML values in terminal output', () => {
    const hostile = 'evil\u001b[2J\u202e.yaml';
    const dir = tempRepo({ [hostile]: 'services:\n  "web\\u001b]0;owned\\u0007\\r":\n    image: nginx:1.27\n    privileged: true\n' });
    const result = sbd(['scan', '--fail-on', 'never'], dir);
    assert.doesNotMatch(result.stdout + result.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, 'no raw control or bidi character reaches the terminal');
    assert.match(result.stdout, /^evil\\x1b\[2J\\u\{202e\}\.yaml$/m);
    assert.match(result.stdout, /web\\x1b\]0;owned\\x07\\r/);
  });

  it('shows a progress line on a terminal\'s stderr for scans of more than a few hundred files, and clears it', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 320; i++) files[`f${String(i).padStart(3, '0')}.yaml`] = `services:\n  s${i}:\n    image: nginx:1.27\n`;
    const dir = tempRepo(files);
    let err = '';
    let out = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), outIsTTY: false, errIsTTY: true, env: {}, cwd: dir };
    assert.equal(run(['scan', '--fail-on', 'never'], io), 0);
    assert.match(err, /\r\u001b\[2Ksbd: analysing 320\/320 files f319\.yaml/);
    assert.ok(err.endsWith('\r\u001b[2K'), 'the line is cleared at the end');
    assert.match(out, /320 files/);
    let quiet = '';
    run(['scan', '--fail-on', 'never'], { ...io, errIsTTY: false, err: (t: string) => void (quiet += t) });
    assert.equal(quiet, '', 'no progress when stderr is not a terminal');
  });
});
