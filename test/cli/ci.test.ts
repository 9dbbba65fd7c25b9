import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const INSECURE = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
const CLEAN = `services:
  web:
    image: nginx:1.27@sha256:${'a'.repeat(64)}
    user: "10001:10001"
    read_only: true
    cap_drop: [ALL]
    security_opt: [no-new-privileges:true]
    deploy: {resources: {limits: {memory: 256M}}}
`;

function tempRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-ci-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  return dir;
}

interface ActionStep {
  id?: string;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
  uses?: string;
}

interface ActionDefinition {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/**
 * Runs a composite action's steps the way GitHub's runner (and `act`) does: `${{ inputs.* }}`
 * expressions replaced with the inputs or their defaults, each `run:` in `bash --noprofile
 * --norc -eo pipefail`, GITHUB_OUTPUT collected. Any other expression fails the test rather than
 * being silently left in place.
 */
function runAction(workspace: string, given: Record<string, string>): { status: number; outputs: Record<string, string>; log: string } {
  const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionDefinition;
  assert.equal(action.runs.using, 'composite');
  for (const name of Object.keys(given)) assert.ok(name in action.inputs, `input ${name} is declared`);
  const expression = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
      const input = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expr);
      if (!input) throw new Error(`unsupported expression in a step: ${expr}`);
      return given[input[1]] ?? action.inputs[input[1]]?.default ?? '';
    });
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-gh-')), 'output');
  fs.writeFileSync(outputFile, '');
  let log = '';
  let status = 0;
  for (const step of action.runs.steps) {
    assert.ok(step.run && !step.uses, 'every step is a run: step (no other action is needed)');
    assert.equal(step.shell, 'bash');
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: outputFile, GITHUB_ACTION_PATH: ROOT, GITHUB_WORKSPACE: workspace, npm_config_yes: 'true' };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = expression(String(value));
    assert.doesNotMatch(step.run, /\$\{\{/, 'inputs reach the script through env only');
    const script = path.join(path.dirname(outputFile), `${step.id ?? 'step'}.sh`);
    fs.writeFileSync(script, expression(step.run));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8', timeout: 120_000 });
    log += result.stdout + result.stderr;
    status = result.status ?? -1;
    if (status !== 0) break;
  }
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(outputFile, 'utf8').split('\n')) {
    const [name, ...value] = line.split('=');
    if (name) outputs[name] = value.join('=');
  }
  return { status, outputs, log };
}

describe('CI integrations', function () {
  this.timeout(180_000);
  let tarball: string;

  before(function () {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-action-pack-'));
    const packed = JSON.parse(execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }));
    tarball = path.join(work, packed[0].filename);
  });

  describe('the GitHub Action (action.yml), run as the runner would', () => {
    it('runs the pinned release of our own package by default, with every documented input', () => {
      const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionDefinition;
      assert.equal(action.inputs.package.default, `${manifest.name}@${manifest.version}`);
      for (const input of ['paths', 'format', 'fail-on', 'baseline', 'profile', 'min-score', 'output']) assert.ok(action.inputs[input], input);
    });

    it('writes SARIF for upload-sarif, uploads nothing, and fails the step on findings', () => {
      const repo = tempRepo({ 'deploy/compose.yaml': INSECURE, 'docs/readme.md': '# x\n' });
      const { status, outputs, log } = runAction(repo, { package: tarball, paths: 'deploy' });
      assert.equal(status, 1, log);
      assert.equal(outputs['exit-code'], '1');
      assert.equal(outputs.report, 'sbd.sarif');
      const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'sbd.sarif'), 'utf8'));
      assert.equal(sarif.version, '2.1.0');
      assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'TCB001'));
      assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'deploy/compose.yaml');
      assert.match(log, /::error::Secure by Design: findings/);
    });

    it('passes with fail-on never, takes several paths, a baseline, a profile and a minimum score', () => {
      const repo = tempRepo({ 'a/compose.yaml': INSECURE, 'b dir/compose.yaml': CLEAN });
      const lenient = runAction(repo, { package: tarball, paths: 'a\n"b dir"', 'fail-on': 'never', format: 'json', output: 'report.json' });
      assert.equal(lenient.status, 2, 'a quoted path is not shell-evaluated: "b is no such folder');
      const both = runAction(repo, { package: tarball, paths: 'a', 'fail-on': 'never', format: 'json', output: 'report.json' });
      assert.equal(both.status, 0, both.log);
      assert.equal(JSON.parse(fs.readFileSync(path.join(repo, 'report.json'), 'utf8')).files.length, 1);
      execFileSync(process.execPath, [CLI, 'baseline', '--output', '.sbd-baseline.json', 'a'], { cwd: repo });
      const baselined = runAction(repo, { package: tarball, paths: 'a', baseline: '.sbd-baseline.json' });
      assert.equal(baselined.status, 0, baselined.log);
      // A compose file: the CIS Docker Benchmark judges it (the Pod Security Standards judge Pods only).
      const gated = runAction(repo, { package: tarball, paths: 'a', profile: 'cis-docker', 'fail-on': 'never', 'min-score': '99' });
      assert.equal(gated.status, 1, gated.log);
      assert.match(gated.log, /score \d+ is below --min-score 99/);
    });

    it('hands inputs to sbd as data: shell syntax in an input is not run', () => {
      const repo = tempRepo({ 'compose.yaml': CLEAN });
      const marker = path.join(repo, 'pwned');
      const { status } = runAction(repo, { package: tarball, paths: `.; touch ${marker}`, 'fail-on': 'never' });
      assert.equal(status, 2);
      assert.ok(!fs.existsSync(marker));
    });
  });

  describe('the pre-commit hook (.pre-commit-hooks.yaml)', () => {
    interface Hook {
      id: string;
      entry: string;
      language: string;
      files: string;
      exclude?: string;
      args?: string[];
    }

    /** What pre-commit does for a hook: the staged files matching `files` and not `exclude`, appended to `entry`. */
    function runHook(repo: string, bin: string): { status: number | null; stdout: string; stderr: string; files: string[] } {
      const [hook] = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
      const staged = execFileSync('git', ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
      const files = staged.filter((file) => new RegExp(hook.files).test(file) && !(hook.exclude && new RegExp(hook.exclude).test(file)));
      const [command, ...entryArgs] = hook.entry.split(/\s+/);
      const result = spawnSync(command, [...entryArgs, ...(hook.args ?? []), ...files], { cwd: repo, encoding: 'utf8', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr, files };
    }

    let bin: string;
    before(() => {
      // pre-commit installs the package and puts its bins on PATH; the packed tarball does the same here.
      const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-hook-'));
      execFileSync(NPM, ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { stdio: 'pipe' });
      bin = path.join(prefix, 'bin');
    });

    it('is a node hook on YAML files whose entry is the sbd bin', () => {
      const [hook] = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
      assert.equal(hook.language, 'node');
      assert.equal(hook.files, '\\.(ya?ml)$');
      assert.ok(Object.keys(manifest.bin).includes(hook.entry.split(' ')[0]));
    });

    it('fails the commit on a staged insecure file and lets a clean one through; unstaged files and .sbd.yaml are not checked', () => {
      const repo = tempRepo({ 'compose.yaml': CLEAN, 'notes.txt': 'x', '.sbd.yaml': 'rules:\n  IMM002: off\n', 'wip/compose.yaml': INSECURE });
      execFileSync('git', ['add', 'compose.yaml', 'notes.txt', '.sbd.yaml'], { cwd: repo });
      const clean = runHook(repo, bin);
      assert.deepEqual(clean.files, ['compose.yaml']);
      assert.equal(clean.status, 0, clean.stdout + clean.stderr);
      fs.mkdirSync(path.join(repo, 'deploy'));
      fs.writeFileSync(path.join(repo, 'deploy', 'app.yml'), INSECURE);
      execFileSync('git', ['add', 'deploy/app.yml'], { cwd: repo });
      const dirty = runHook(repo, bin);
      assert.deepEqual(dirty.files.sort(), ['compose.yaml', 'deploy/app.yml']);
      assert.equal(dirty.status, 1);
      assert.match(dirty.stdout, /^deploy\/app\.yml\n[\s\S]*?^ {2}4:17 +error +TCB001/m);
      assert.doesNotMatch(dirty.stdout, /IMM002/, 'the repository\'s .sbd.yaml applies');
      assert.doesNotMatch(dirty.stdout, /wip\//);
    });
  });
});
