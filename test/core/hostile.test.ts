import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseProjectConfig } from '../../server/src/core/configuration';
import { analyzeText } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { CONFIG_CONTEXT } from '../../server/src/rules';
import { kubernetesManifest } from '../../scripts/bench/generate';
import { LspClient } from '../e2e/support/lspClient';

const repoRoot = path.join(__dirname, '..', '..');
const options = defaultOptions({ today: '2026-06-01' });

/** Analyses and checks the invariants every input must keep: no throw, no rule failure, ranges inside the text. */
function analyse(text: string, overrides = options): Finding[] {
  const findings = analyzeText(text, overrides);
  const failures = findings.filter((f) => f.ruleId === 'SBD005');
  assert.deepEqual(failures.map((f) => f.message), [], 'a rule failed');
  for (const finding of findings) {
    assert.ok(finding.range.start >= 0 && finding.range.start <= finding.range.end && finding.range.end <= text.length, `range out of the text: ${JSON.stringify(finding)}`);
  }
  return findings;
}

function ids(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}

function timed<T>(bound: number, what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const took = performance.now() - started;
  assert.ok(took < bound, `${what} took ${took.toFixed(0)} ms (bound ${bound} ms)`);
  return result;
}

/** A billion-laughs document: each level refers to the previous one nine times. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= levels; level++) lines.push(`a${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]`);
  return lines.join('\n');
}

describe('hostile input (core)', () => {
  it('an alias bomb costs nothing, also where rules read the aliased values', () => {
    const compose = `${aliasBomb(12)}\nservices:\n  web:\n    image: nginx:1.27\n    command: *a12\n    environment: *a12\n    <<: *a12\n`;
    timed(2000, 'alias bomb in compose', () => analyse(compose));
    const kubernetes = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx: ${aliasBomb(12).replace(/\n/g, '\n  ')}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      args: *a12\n      env: *a12\n`;
    timed(2000, 'alias bomb in kubernetes', () => analyse(`x:\n  ${aliasBomb(12).replace(/\n/g, '\n  ')}\n---\n${kubernetes.replace(/^x:.*$/m, '')}`));
  });

  it('self-referencing merge keys and aliases terminate', () => {
    const text = 'x: &x\n  <<: *x\n  a: 1\nservices:\n  s: &s\n    <<: [*s, *s]\n    image: nginx\n    privileged: true\n';
    const findings = timed(1000, 'self merge', () => analyse(text));
    assert.ok(ids(findings).includes('TCB001'), 'the privileged service is still reported');
  });

  it('a file over the configured size limit is reported with SBD006 and a message naming the limit', () => {
    const text = kubernetesManifest(2000);
    const findings = analyse(text, defaultOptions({ maxFileBytes: 10_000 }));
    assert.deepEqual(ids(findings), ['SBD006']);
    assert.match(findings[0].message, /over the 10 KB limit/);
    assert.match(findings[0].message, /maxFileBytes/);
  });

  it('a 20 MB manifest over the default limit is declined at once; under a raised limit it is analysed in bounded time', function () {
    this.timeout(180_000);
    let text = kubernetesManifest(20_000);
    while (text.length < 20 * 1024 * 1024) text += '---\n' + text;
    let analysed = 0;
    const findings = timed(120_000, '20 MB analysis', () => {
      const started = performance.now();
      const result = analyse(text, defaultOptions({ maxFileBytes: 32 * 1024 * 1024 }));
      analysed = performance.now() - started;
      return result;
    });
    assert.ok(findings.some((f) => f.ruleId === 'TCB001'));
    // "At once" measured against the same machine's full analysis, so a loaded machine does not fail it.
    const declined = timed(Math.max(500, analysed / 10), '20 MB over the limit', () => analyse(text));
    assert.deepEqual(ids(declined), ['SBD006']);
  });

  it('one map with 50,000 keys parses in linear time (the duplicate-key check is not quadratic)', function () {
    this.timeout(90_000);
    const services = (count: number) => 'services:\n' + Array.from({ length: count }, (_, i) => `  s${i}:\n    image: nginx:1.${i}\n`).join('');
    const options = defaultOptions({ maxFileBytes: 32 * 1024 * 1024 });
    const time = (text: string) => {
      const started = performance.now();
      analyse(text, options);
      return performance.now() - started;
    };
    // Ten times the keys may cost about ten times the time; a quadratic check would cost a hundred.
    const small = time(services(5_000));
    const large = time(services(50_000));
    assert.ok(large <= Math.max(20 * small, 2_000), `50,000 services took ${Math.round(large)} ms, 5,000 took ${Math.round(small)} ms`);
  });

  for (const depth of [200, 2_000, 10_000]) {
    it(`${depth.toLocaleString('en')} nesting levels (flow and block) give a finding, not a crash`, function () {
      this.timeout(30_000);
      const flowSeq = '['.repeat(depth) + ']'.repeat(depth);
      const flowMap = 'services:\n  web:\n    image: nginx:1\n    labels: ' + '{a: '.repeat(depth) + '1' + '}'.repeat(depth) + '\n';
      const block = Array.from({ length: Math.min(depth, 2_000) }, (_, i) => `${' '.repeat(i)}- `).join('\n') + 'x\n';
      const kubernetes = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: nginx:1\n      args: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      for (const text of [flowSeq, flowMap, block, kubernetes]) {
        const findings = timed(10_000, `${depth} levels`, () => analyse(text));
        for (const finding of findings.filter((f) => f.ruleId === 'SBD001')) assert.doesNotMatch(finding.message, /call stack/i, 'the user sees a parser internal');
      }
    });
  }

  it('binary data is declined with SBD006, not parsed', () => {
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    assert.deepEqual(ids(analyse(binary)), ['SBD006']);
    assert.deepEqual(ids(analyse('\u0000\u0001PNG\r\n')), ['SBD006']);
  });

  it('invalid UTF-8 (decoded as replacement characters) is analysed or declined, never fatal', () => {
    const bytes = Buffer.concat([Buffer.from('services:\n  web:\n    image: '), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.from('\n    privileged: true\n')]);
    const text = bytes.toString('utf8');
    assert.ok(text.includes('\uFFFD'));
    const findings = analyse(text);
    assert.ok(ids(findings).includes('TCB001') || ids(findings).includes('SBD006'));
  });

  it('CRLF line ends give the same findings on the same lines as LF', () => {
    const lf = 'services:\n  web:\n    image: nginx\n    privileged: true # sbd-ignore IMM001 reason="test"\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const line = (text: string, f: Finding) => text.slice(0, f.range.start).split('\n').length;
    assert.deepEqual(
      analyse(crlf).map((f) => `${f.ruleId}@${line(crlf, f)}`),
      analyse(lf).map((f) => `${f.ruleId}@${line(lf, f)}`),
    );
  });

  it('a byte-order mark does not hide findings', () => {
    const text = '\uFEFFservices:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    assert.ok(ids(analyse(text)).includes('TCB001'));
  });

  it('tab indentation is a syntax finding, and the other documents are still analysed', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n    - name: c\n      image: nginx:1\n      securityContext: {privileged: true}\n';
    const found = ids(analyse(text));
    assert.ok(found.includes('SBD001'));
    assert.ok(found.includes('TCB001'));
  });

  it('a duplicate key is SBD007 and rules see the last value (compose and kubernetes)', () => {
    const compose = 'services:\n  web:\n    image: nginx:1.27\n    privileged: false\n    privileged: true\n';
    const composeFindings = analyse(compose);
    assert.deepEqual(composeFindings.filter((f) => f.ruleId === 'SBD007').map((f) => compose.slice(f.range.start, f.range.end)), ['privileged']);
    assert.ok(ids(composeFindings).includes('TCB001'), 'the last value (true) was not the one checked');
    const reversed = analyse('services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    privileged: false\n');
    assert.ok(!ids(reversed).includes('TCB001'), 'the first value was checked instead of the last');
    const kubernetes = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: nginx:1\n      securityContext:\n        privileged: false\n        privileged: true\n';
    const kubernetesFindings = analyse(kubernetes);
    assert.equal(kubernetesFindings.filter((f) => f.ruleId === 'SBD007').length, 1);
    assert.ok(ids(kubernetesFindings).includes('TCB001'));
    const flow = analyse('services: {web: {image: "nginx:1", privileged: false, privileged: true}}\n');
    assert.ok(ids(flow).includes('SBD007') && ids(flow).includes('TCB001'));
  });

  it('keys that merely look alike are not duplicates', () => {
    const findings = analyse('a: 1\n"a ": 2\n1: x\n"1": y\ntrue: 1\n"true": 2\nlist: [{a: 1}, {a: 2}]\n');
    assert.deepEqual(ids(findings), []);
  });

  it('a garbage configuration file fails as a whole with problems and places, never a partial config', () => {
    const cases = [
      '\u0000\u0001\u0002',
      '{{{{',
      'rules: [1, 2',
      '- just\n- a list\n',
      'rules:\n  IMM001: sometimes\n',
      'rules:\n  NOPE42: off\n',
      'maxFileBytes: -5\n',
      'thresholds: {secretHolders: many}\n',
      'zones: {namespaces: {prod: very-trusted}}\n',
      'rules:\n  IMM001: off\n  IMM001: error\n',
      'x: &a [*a]\n',
      '['.repeat(5_000),
      Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256)).toString('latin1'),
    ];
    for (const text of cases) {
      const result = parseProjectConfig(text, CONFIG_CONTEXT);
      assert.equal(result.ok, false, `accepted garbage: ${JSON.stringify(text.slice(0, 40))}`);
      if (result.ok) continue;
      assert.ok(result.problems.length > 0);
      for (const problem of result.problems) {
        assert.ok(problem.message.length > 0);
        assert.ok(problem.range && problem.range.start >= 0 && problem.range.end <= text.length, `problem outside the text: ${JSON.stringify(problem)}`);
      }
    }
    assert.equal(parseProjectConfig('', CONFIG_CONTEXT).ok, true, 'an empty configuration is valid');
  });
});

describe('the server never touches the network and never runs anything', () => {
  const bundles = ['dist/server.js', 'dist/cli.js'].map((file) => path.join(repoRoot, file));

  before(function () {
    if (bundles.every((file) => fs.existsSync(file))) return;
    if (process.env.CI === 'true') throw new Error('dist/ bundles are missing: run `node esbuild.mjs` first');
    console.log('    (skipped: build the bundles with `node esbuild.mjs` to check them)');
    this.skip();
  });

  const NETWORK_OR_PROCESS = ['http', 'https', 'http2', 'dgram', 'dns', 'tls', 'net', 'child_process', 'cluster', 'worker_threads', 'undici'];

  /**
   * Library code that loads such a module and why it is harmless: `net` gives vscode-jsonrpc its
   * socket and pipe transports (used only with `--socket=N` / `--pipe=NAME`, which the editor names);
   * `child_process` backs vscode-languageserver's `Files.resolveModulePath` helpers (running npm/yarn
   * to find global modules), which the server never calls (checked below).
   */
  const ALLOWED = new Set([
    'net in node_modules/vscode-jsonrpc/lib/node/main.js',
    'child_process in node_modules/vscode-languageserver/lib/node/files.js',
    // The diagram's layout runs our own bundled dist/layoutWorker.js in a thread, so it cannot block or hang the server.
    'worker_threads in server/src/lsp/workerLayoutEngine.ts',
  ]);

  /** "module in source-file" for every network or process module a bundle requires (esbuild marks each source file with a comment). */
  function riskyRequires(file: string): string[] {
    const found: string[] = [];
    let source = '(bundle header)';
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      // A checkout whose node_modules is a link elsewhere gets markers such as `// ../other/node_modules/…`.
      const marker = /^\/\/ (?:[^/\s]+\/)*?((?:node_modules|server)\/\S+\.[cm]?[jt]s)$/.exec(line);
      if (marker) source = marker[1];
      for (const match of line.matchAll(/require\(\s*["'](?:node:)?([a-z_0-9/]+)["']\s*\)|\bimport\(\s*["'](?:node:)?([a-z_0-9/]+)["']\s*\)/g)) {
        const name = match[1] ?? match[2];
        if (NETWORK_OR_PROCESS.includes(name)) found.push(`${name} in ${source}`);
      }
      if (/\bfetch\(|XMLHttpRequest|new WebSocket\(/.test(line)) found.push(`fetch in ${source}`);
    }
    return [...new Set(found)];
  }

  /**
   * The CLI runs one program, git, for `sbd scan --changed` (server/src/cli/git.ts: execFileSync
   * with fixed arguments and no shell). commander loads child_process for executable subcommands
   * (`git-style` programs on PATH), which our commands, all with action handlers, never are.
   */
  const CLI_ALLOWED = new Set(['child_process in server/src/cli/git.ts', 'child_process in node_modules/commander/lib/command.js']);

  it('the CLI bundle loads no network module, and a process module only to run git for --changed', () => {
    assert.deepEqual(riskyRequires(bundles[1]).filter((use) => !CLI_ALLOWED.has(use)), []);
    const git = fs.readFileSync(path.join(repoRoot, 'server', 'src', 'cli', 'git.ts'), 'utf8');
    assert.deepEqual([...git.matchAll(/\b(exec|execFile|execFileSync|execSync|spawn|spawnSync|fork)\(/g)].map((m) => m[1]), ['execFileSync'], 'one way in: execFileSync');
    assert.match(git, /execFileSync\('git', args, \{[^}]*shell: false/);
    // commander makes a subcommand executable when it is declared with a description argument or executableFile.
    assert.doesNotMatch(fs.readFileSync(path.join(repoRoot, 'server', 'src', 'cli', 'main.ts'), 'utf8'), /\.command\([^)]*,|executableDir|executableFile/, 'no executable subcommands');
  });

  it('the server bundle loads them only in library code it never runs for that purpose', () => {
    assert.deepEqual(riskyRequires(bundles[0]).filter((use) => !ALLOWED.has(use)), []);
  });

  it('the server never calls the module-resolution helpers that would spawn npm or yarn', () => {
    const text = fs.readFileSync(bundles[0], 'utf8');
    const ours = text.split(/^\/\/ (?=server\/)/m).slice(1).join('\n');
    assert.ok(ours.length > 0, 'no server sources found in the bundle');
    assert.doesNotMatch(ours, /\b(resolveModulePath|resolveGlobalNodePath|resolveGlobalYarnPath)\b|Files\.resolve/);
  });

  it('no source file under server/src imports a network or process module, but the CLI\'s git helper and the layout worker', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) {
          const text = fs.readFileSync(full, 'utf8');
          for (const match of text.matchAll(/from\s+["'](?:node:)?([a-z_0-9/]+)["']|require\(\s*["'](?:node:)?([a-z_0-9/]+)["']\)/g)) {
            const name = match[1] ?? match[2];
            if (NETWORK_OR_PROCESS.includes(name)) offenders.push(`${path.relative(repoRoot, full)}: ${name}`);
          }
          if (/\bfetch\(/.test(text)) offenders.push(`${path.relative(repoRoot, full)}: fetch`);
        }
      }
    };
    walk(path.join(repoRoot, 'server', 'src'));
    // The CLI's git helper runs git; the diagram's layout runs in a worker thread started from a fixed path beside the bundle, never a workspace file.
    assert.deepEqual(
      offenders.map((offender) => offender.split(path.sep).join('/')).sort(),
      ['server/src/cli/git.ts: child_process', 'server/src/lsp/layoutWorker.ts: worker_threads', 'server/src/lsp/workerLayoutEngine.ts: worker_threads'],
      'only the CLI\'s git helper runs a program, and only the layout worker starts a thread',
    );
  });
});

describe('hostile input (language server over stdio)', function () {
  this.timeout(120_000);
  const serverBundle = path.join(repoRoot, 'dist', 'server.js');
  let client: LspClient;
  let workspace: string;

  before(async function () {
    if (!fs.existsSync(serverBundle)) {
      if (process.env.CI === 'true') throw new Error('dist/server.js is missing: run `node esbuild.mjs` first');
      console.log('    (skipped: dist/server.js is not built; run `node esbuild.mjs`)');
      this.skip();
    }
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-hostile-'));
    fs.writeFileSync(path.join(workspace, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n');
    const rootUri = pathToFileURL(workspace).href;
    client = await LspClient.start({ command: process.execPath, args: [serverBundle, '--stdio'], rootUri, workspaceFolders: [{ uri: rootUri, name: 'hostile' }], settings: () => ({}) });
  });

  after(async () => {
    await client?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** The server must still answer a request after each hostile input. */
  async function stillAnswers(uri: string): Promise<void> {
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }, 30_000);
    assert.ok(hover === null || typeof hover === 'object');
    assert.ok(client.alive, `the server died: ${client.stderr.slice(-1000)}`);
  }

  const inputs: Array<[string, () => string]> = [
    ['an alias bomb', () => `${aliasBomb(12)}\nservices:\n  web:\n    image: nginx:1\n    command: *a12\n`],
    ['10,000 nesting levels', () => '['.repeat(10_000) + ']'.repeat(10_000)],
    ['binary data', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
    ['invalid UTF-8', () => Buffer.from([0x73, 0x3a, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0x0a]).toString('utf8')],
    ['CRLF, BOM and tabs', () => '\uFEFFservices:\r\n\tweb:\r\n    image: nginx\r\n'],
    ['duplicate keys', () => 'services:\n  web:\n    image: nginx:1\n    privileged: false\n    privileged: true\n'],
    ['a file over the size limit', () => Array(16).fill(kubernetesManifest(20_000)).join('---\n')],
  ];
  const expectedCodes: Record<string, string> = { 'duplicate keys': 'SBD007', 'a file over the size limit': 'SBD006', 'binary data': 'SBD006' };

  for (const [name, make] of inputs) {
    it(`answers the next request after ${name}`, async () => {
      const uri = pathToFileURL(path.join(workspace, `${name.replace(/\W+/g, '-')}.yaml`)).href;
      const since = client.mark();
      client.open(uri, make(), 1);
      const published = await client.waitForDiagnostics(uri, { version: 1, since, timeoutMs: 60_000 });
      const code = expectedCodes[name];
      if (code) assert.ok(published.diagnostics.some((d: { code?: unknown }) => d.code === code), `expected ${code}, got ${published.diagnostics.map((d: { code?: unknown }) => String(d.code)).join(', ')}`);
      await stillAnswers(uri);
      client.close(uri);
    });
  }

  it('answers after an open file is deleted and after it is renamed', async () => {
    const file = path.join(workspace, 'compose.yaml');
    const uri = pathToFileURL(file).href;
    client.open(uri, fs.readFileSync(file, 'utf8'), 1);
    await client.waitForDiagnostics(uri, { version: 1 });
    fs.rmSync(file);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    await stillAnswers(uri);
    const renamed = path.join(workspace, 'renamed.yaml');
    fs.writeFileSync(renamed, 'services:\n  api:\n    image: redis\n');
    const renamedUri = pathToFileURL(renamed).href;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: renamedUri, type: 1 }] });
    client.close(uri);
    await stillAnswers(renamedUri);
    await stillAnswers(uri);
  });

  it('answers after a garbage .sbd.yaml appears, and reports it on the config file', async () => {
    const config = path.join(workspace, '.sbd.yaml');
    fs.writeFileSync(config, '{{{{ \u0000 rules: [');
    const configUri = pathToFileURL(config).href;
    const since = client.mark();
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 1 }] });
    const published = await client.waitForDiagnostics(configUri, { since, accept: (diagnostics) => diagnostics.length > 0, timeoutMs: 30_000 });
    assert.ok(published.diagnostics.length > 0);
    await stillAnswers(configUri);
  });
});
