import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sbdBounded } from './support/bounds';

const privileged = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
const quick = { seconds: 30, megabytes: 400 };

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-hostile-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Usage and I/O errors: status 2, each line of stderr one `sbd:` message, no stack trace. */
function assertOneLineErrors(result: { status: number | null; stderr: string }): void {
  assert.equal(result.status, 2, result.stderr);
  for (const line of result.stderr.trim().split('\n')) assert.match(line, /^sbd: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'a stack trace');
}

describe('hostile repositories: the CLI', function () {
  this.timeout(120_000);

  it('a suppression smuggled in a block scalar hides nothing (exit 1, TCB001 shown)', () => {
    const dir = folder({ 'compose.yaml': `${privileged}    command: |\n      # sbd-ignore-file TCB001 reason="x"\n      run\n` });
    const result = sbdBounded(['scan', '.'], dir, quick);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /TCB001/);
  });

  it('a cyclic merge gives findings, never a crash: exit 1 for findings, the other files reported', () => {
    const dir = folder({ 'a-cyclic.yaml': 'services: &a\n  web: &b\n    image: nginx:1.27\n    <<: *a\n  <<: *b\n', 'b.yaml': privileged });
    const result = sbdBounded(['scan', '.', '--format', 'json'], dir, quick);
    assert.doesNotMatch(result.stderr, /RangeError|internal error/);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as { files: Array<{ file: string; findings: Array<{ ruleId: string }> }> };
    assert.deepEqual(report.files.map((file) => file.file), ['a-cyclic.yaml', 'b.yaml']);
    assert.ok(report.files[1].findings.some((finding) => finding.ruleId === 'TCB001'));
  });

  it('a chart template that is a symbolic link to a file outside the repository is not read', () => {
    const outside = folder({ 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: leak}\nspec:\n  containers:\n    - name: x\n      image: nginx:1.27\n      securityContext: {privileged: true}\n' });
    const repo = folder({
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
      'chart/values.yaml': 'image: nginx:1.27\n',
      'chart/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: inside}\nspec:\n  containers:\n    - name: app\n      image: {{ .Values.image }}\n',
    });
    spawnSync('git', ['init', '-q'], { cwd: repo });
    fs.symlinkSync(path.join(outside, 'pod.yaml'), path.join(repo, 'chart', 'templates', 'leak.yaml'));
    const result = sbdBounded(['scan', 'chart', '--format', 'json', '--fail-on', 'never'], repo, quick);
    assert.equal(result.status, 0, result.stderr);
    const files = (JSON.parse(result.stdout) as { files: Array<{ file: string; findings: Array<{ message: string }> }> }).files;
    const messages = files.flatMap((file) => file.findings.map((finding) => `${file.file}: ${finding.message}`));
    assert.ok(messages.some((message) => message.includes('Pod "inside"')), `the chart itself is analysed: ${messages.join(' | ')}`);
    assert.deepEqual(messages.filter((message) => message.includes('Pod "leak"') || message.includes('leak.yaml')), [], 'nothing from outside the repository');
  });

  it('a named pipe is refused at once (exit 2, one line), and the other files are still scanned', function () {
    if (process.platform === 'win32') this.skip();
    const dir = folder({ 'compose.yaml': privileged });
    spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    assert.ok(fs.statSync(path.join(dir, 'pipe.yaml')).isFIFO());
    const result = sbdBounded(['scan', 'pipe.yaml', 'compose.yaml'], dir, { seconds: 20, megabytes: 300 });
    assertOneLineErrors(result);
    assert.match(result.stderr, /pipe\.yaml: not a regular file/);
    assert.match(result.stdout, /TCB001/);
    assert.match(result.stdout, /1 file could not be read/);
  });

  it('/dev/zero as a file or as --config is refused without reading it (bounded time and memory)', function () {
    if (!fs.existsSync('/dev/zero')) this.skip();
    const dir = folder({ 'compose.yaml': privileged });
    assertOneLineErrors(sbdBounded(['scan', '/dev/zero'], dir, { seconds: 20, megabytes: 300 }));
    const config = sbdBounded(['scan', '.', '--config', '/dev/zero'], dir, { seconds: 20, megabytes: 300 });
    assertOneLineErrors(config);
    assert.match(config.stderr, /not a regular file/);
  });

  it('a file far over the size limit is declined (SBD006) without being read into memory', () => {
    const dir = folder({ '.sbd.yaml': 'maxFileBytes: 1048576\n' });
    // Sparse: 2 GB on disk in name only. Reading it would need 2 GB (and 4 GB as a string).
    const fd = fs.openSync(path.join(dir, 'huge.yaml'), 'w');
    fs.ftruncateSync(fd, 2 * 1024 * 1024 * 1024);
    fs.closeSync(fd);
    const result = sbdBounded(['scan', '.', '--format', 'json'], dir, { seconds: 20, megabytes: 300 });
    const report = JSON.parse(result.stdout) as { files: Array<{ findings: Array<{ ruleId: string; message: string }> }> };
    assert.equal(report.files[0].findings[0].ruleId, 'SBD006');
    assert.match(report.files[0].findings[0].message, /2048\.0 MB, over the 1\.0 MB limit/);
  });

  it('--config over its size limit is refused with one line', () => {
    const dir = folder({ 'big.yaml': `# ${'x'.repeat(200 * 1024)}\n`, 'compose.yaml': privileged });
    const result = sbdBounded(['scan', '.', '--config', 'big.yaml'], dir, quick);
    assertOneLineErrors(result);
    assert.match(result.stderr, /big\.yaml: the configuration is \d+ bytes, over the 65536 bytes/);
  });

  it('an unreadable file is an error in the summary and the exit status, never "No findings"', function () {
    const dir = folder({ 'compose.yaml': privileged, 'ok.yaml': 'services:\n  api:\n    image: redis:7\n' });
    fs.chmodSync(path.join(dir, 'compose.yaml'), 0o000);
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('runuser', ['--help']).status !== 0) this.skip();
    fs.chmodSync(dir, 0o755);
    // Root reads any file: run as nobody then.
    const args = ['scan', '.'];
    const result = asRoot
      ? (() => {
          const run = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, path.join(__dirname, '..', '..', 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
          return { status: run.status, stdout: run.stdout, stderr: run.stderr };
        })()
      : sbdBounded(args, dir, quick);
    if (asRoot && /permission denied|cannot open|Operation not permitted/i.test(result.stderr) && result.stdout === '') this.skip();
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /compose\.yaml: cannot read \(EACCES\)/);
    assert.match(result.stdout, /1 file could not be read, so it was not checked: compose\.yaml: cannot read \(EACCES\)/);
    assert.doesNotMatch(result.stdout, /^No findings/m);
  });

  for (const [what, output] of [
    ['a folder', '.'],
    ['a missing folder', 'missing/report.sarif'],
  ] as const) {
    it(`--output to ${what} is one line and exit 2`, () => {
      const dir = folder({ 'compose.yaml': privileged });
      const result = sbdBounded(['scan', '.', '--format', 'sarif', '--output', output], dir, quick);
      assertOneLineErrors(result);
      assert.match(result.stderr, /cannot write the report \((EISDIR|ENOENT)\)/);
    });
  }

  it('control characters from file names and YAML values are escaped on the terminal', function () {
    if (process.platform === 'win32') this.skip();
    const osc52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
    const dir = folder({ [`x\u001b[2J\ny.yaml`]: `services:\n  "web${osc52}\\r\\nforged: 0 findings":\n    image: "nginx:1.27\\u009b31m"\n    privileged: true\n` });
    const result = sbdBounded(['scan', '.'], dir, quick);
    assert.equal(result.status, 1);
    assert.doesNotMatch(result.stdout + result.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, 'a raw control character reached the terminal');
    assert.match(result.stdout, /\\x1b\]52/);
    assert.match(result.stdout, /x\\x1b\[2J\\ny\.yaml/);
    assert.doesNotMatch(result.stdout, /^forged/m);
  });

  it('SARIF fingerprints are repository-relative and survive moving the repository and inserting lines', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    const first = folder({ 'deploy/compose.yaml': text });
    const second = folder({ 'deploy/compose.yaml': `# moved, with a header\n\n${text}` });
    const fingerprints = (dir: string) => {
      const result = sbdBounded(['scan', '.', '--format', 'sarif'], dir, quick);
      const sarif = JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }> };
      const values = sarif.runs[0].results.map((r) => `${r.ruleId}:${Object.values(r.partialFingerprints).join()}`).sort();
      for (const value of values) assert.ok(!value.includes(dir) && !value.includes(os.tmpdir()), `an absolute path in ${value}`);
      return values;
    };
    assert.deepEqual(fingerprints(second), fingerprints(first));
  });

  it('the summary and SARIF say what .sbd.yaml turned off', () => {
    const dir = folder({ '.sbd.yaml': 'rules:\n  TCB001: off\n  IMM003: off\nignore: ["vendor/**"]\n', 'compose.yaml': privileged, 'vendor/x.yaml': privileged });
    const text = sbdBounded(['scan', '.'], dir, quick);
    assert.match(text.stdout, /^Not checked: 2 rules off, 1 ignore glob by \.sbd\.yaml\.$/m);
    const sarif = JSON.parse(sbdBounded(['scan', '.', '--format', 'sarif'], dir, quick).stdout) as { runs: Array<{ properties: Record<string, unknown> }> };
    assert.equal(sarif.runs[0].properties.configurationOff, '2 rules off, 1 ignore glob by .sbd.yaml');
    const profile = sbdBounded(['scan', '.'], folder({ '.sbd.yaml': 'profile: pss-baseline\n', 'compose.yaml': privileged }), quick);
    // The rules the profile keeps judge Pods only, so the compose file is not checked by them either: said too.
    assert.match(profile.stdout, /^Not checked: \d+ rules off, 13 rules narrowed to the profile's files or parts by \.sbd\.yaml\.$/m);
  });
});
