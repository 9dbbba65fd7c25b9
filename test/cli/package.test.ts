import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the npm package', function () {
  this.timeout(120_000);
  let work: string;
  let tarball: string;

  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-pack-'));
    // dist/ is already built by `npm test`; `prepare` builds it in a real `npm pack` and in a git install.
    const packed = JSON.parse(execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }));
    tarball = path.join(work, packed[0].filename);
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('has a scoped name of its own, the two bins, and nothing to install at run time', () => {
    assert.equal(manifest.name, '@secure-by-design/sbd');
    assert.deepEqual(manifest.bin, { sbd: 'dist/cli.js', 'sbd-language-server': 'dist/server.js' });
    assert.equal(manifest.dependencies, undefined, 'esbuild bundles every library into dist/');
    assert.equal(manifest.scripts.prepare, 'node esbuild.mjs', 'pack and git installs build dist/');
    assert.ok(!manifest.private, 'publishable');
  });

  it('says the same Node version in engines.node and the README', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const major = /^>=(\d+)$/.exec(manifest.engines.node)?.[1];
    assert.ok(major, manifest.engines.node);
    assert.match(readme, new RegExp(`Node\\.js ${major} or newer`));
    assert.doesNotMatch(readme, /Node\.js (?!20)\d+ or newer/);
  });

  it('packs the bundles, docs and schema, and no sources, tests, maps or the VS Code client', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    for (const file of ['package/package.json', 'package/dist/cli.js', 'package/dist/server.js', 'package/docs/rules/TCB001.md', 'package/docs/profiles.md', 'package/schemas/architecture.schema.json', 'package/README.md', 'package/LICENSE']) {
      assert.ok(listing.includes(file), file);
    }
    assert.deepEqual(listing.filter((file) => /\.ts$|\.map$|node_modules|^package\/(test|server|client|scripts|examples)\/|dist\/extension\.js/.test(file)), []);
    const size = fs.statSync(tarball).size;
    assert.ok(size < 1.5 * 1024 * 1024, `${size} bytes`);
    console.log(`      ${path.basename(tarball)}: ${listing.length} files, ${(size / 1024).toFixed(0)} KB`);
  });

  it('installs globally and in a project without the network, and its bins run', () => {
    const prefix = path.join(work, 'global');
    execFileSync(NPM, ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8', stdio: 'pipe' });
    const bin = (name: string) => path.join(prefix, 'bin', name);
    assert.equal(execFileSync(bin('sbd'), ['--version'], { encoding: 'utf8' }).trim(), manifest.version);
    assert.equal(execFileSync(bin('sbd-language-server'), ['--version'], { encoding: 'utf8' }).trim(), manifest.version);
    const project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{"name": "scratch", "version": "1.0.0", "private": true}\n');
    fs.writeFileSync(path.join(project, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n');
    execFileSync(NPM, ['install', '--save-dev', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    const scan = spawnSync(path.join(project, 'node_modules', '.bin', 'sbd'), ['scan', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    assert.equal(scan.status, 1, scan.stderr);
    assert.ok(JSON.parse(scan.stdout).files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'TCB001'));
    assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((name) => !name.startsWith('.')), ['@secure-by-design'], 'no dependency came along');
  });
});

describe('sbd-language-server on the command line', () => {
  const SERVER = path.join(ROOT, 'dist', 'server.js');
  const server = (args: string[]) => spawnSync(process.execPath, [SERVER, ...args], { encoding: 'utf8', timeout: 10_000, input: '' });

  it('prints help and its version and exits 0', () => {
    for (const args of [['--help'], ['-h']]) {
      const result = server(args);
      assert.equal(result.status, 0);
      assert.match(result.stdout, /^Usage: sbd-language-server --stdio/);
    }
    assert.equal(server(['--version']).stdout.trim(), manifest.version);
  });

  it('says how to start it when no transport is given, instead of failing with a stack trace', () => {
    const result = server([]);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'sbd-language-server: no transport given; editors start it as `sbd-language-server --stdio` (run `sbd-language-server --help` for the others)\n');
  });
});
