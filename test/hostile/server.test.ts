import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../e2e/support/lspClient';
import { ROOT } from './support/bounds';

const SERVER = path.join(ROOT, 'dist', 'server.js');
const privileged = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
const silencing = 'rules:\n  TCB001: off\nignore: ["vendor/**"]\nthresholds: {secretHolders: 50}\nmaxFileBytes: 104857600\n';

/** Peak resident set size of a process, from Linux's /proc (undefined elsewhere). */
function peakRssMegabytes(pid: number | undefined): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function codes(params: { diagnostics: Array<{ code?: unknown }> }): string[] {
  return params.diagnostics.map((d) => String(d.code));
}

async function startServer(files: Record<string, string>, initializationOptions: unknown = undefined): Promise<{ client: LspClient; workspace: string; uri: (name: string) => string }> {
  if (!fs.existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build` first (npm test does)');
  const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-hostile-ws-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
  }
  const rootUri = pathToFileURL(workspace).href;
  const client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'], rootUri, workspaceFolders: [{ uri: rootUri, name: 'hostile' }], settings: () => ({}), initializationOptions, timeoutMs: 60_000 });
  return { client, workspace, uri: (name) => pathToFileURL(path.join(workspace, name)).href };
}

/** Log lines in which a handler failed (guarded handlers log and answer with a fallback). */
function failures(client: LspClient): string[] {
  return client.notifications.filter((n) => n.method === 'window/logMessage' && /failed:/.test(String(n.params?.message))).map((n) => String(n.params.message).split('\n')[0]);
}

describe('hostile repositories: the language server', function () {
  this.timeout(180_000);
  const started: Array<{ client: LspClient; workspace: string }> = [];
  afterEach(async () => {
    for (const { client, workspace } of started.splice(0)) {
      await client.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
  async function server(files: Record<string, string>, initializationOptions?: unknown) {
    const result = await startServer(files, initializationOptions);
    started.push(result);
    return result;
  }

  it('untrusted: a silencing .sbd.yaml is not applied and the status says so; trusted, it applies and the status says what it turns off', async () => {
    const { client, uri } = await server({ '.sbd.yaml': silencing, 'compose.yaml': privileged, 'vendor/x.yaml': privileged }, { workspaceTrusted: false });
    client.open(uri('compose.yaml'), privileged, 1);
    const untrusted = await client.waitForDiagnostics(uri('compose.yaml'), { version: 1, accept: (d) => d.some((x) => x.code === 'TCB001') });
    assert.ok(codes(untrusted).includes('TCB001'));
    const status = await client.waitForNotification('sbd/status', (p) => p.state === 'ready' && typeof p.notApplied === 'string');
    assert.match(status.notApplied, /1 rule off, 1 ignore glob, 1 threshold raised by \.sbd\.yaml/);
    assert.equal(status.configurationOff, undefined);
    const since = client.mark();
    client.notify('sbd/workspaceTrust', { trusted: true });
    await client.waitForDiagnostics(uri('compose.yaml'), { since, accept: (d) => !d.some((x) => x.code === 'TCB001') });
    const trusted = await client.waitForNotification('sbd/status', (p) => p.state === 'ready' && typeof p.configurationOff === 'string', { since });
    assert.match(trusted.configurationOff, /1 rule off, 1 ignore glob, 1 threshold raised by \.sbd\.yaml/);
  });

  it('without a word about trust (other editors) the repository configuration applies, and the status says what it turns off', async () => {
    const { client, uri } = await server({ '.sbd.yaml': silencing, 'compose.yaml': privileged });
    client.open(uri('compose.yaml'), privileged, 1);
    await client.waitForDiagnostics(uri('compose.yaml'), { version: 1, accept: (d) => !d.some((x) => x.code === 'TCB001') });
    const status = await client.waitForNotification('sbd/status', (p) => p.state === 'ready' && typeof p.configurationOff === 'string');
    assert.match(status.configurationOff, /rule off/);
  });

  it('a cyclic merge in one file blocks no other file', async () => {
    const { client, uri } = await server({ 'a-cyclic.yaml': 'services: &a\n  web: &b\n    image: nginx:1.27\n    <<: *a\n  <<: *b\n', 'b.yaml': privileged });
    client.open(uri('a-cyclic.yaml'), fs.readFileSync(new URL(uri('a-cyclic.yaml')), 'utf8'), 1);
    client.open(uri('b.yaml'), privileged, 1);
    const other = await client.waitForDiagnostics(uri('b.yaml'), { version: 1 });
    assert.ok(codes(other).includes('TCB001'));
    const cyclic = await client.waitForDiagnostics(uri('a-cyclic.yaml'), { version: 1 });
    assert.ok(!codes(cyclic).includes('SBD005'), codes(cyclic).join());
    assert.deepEqual(failures(client), []);
  });

  it('an edit at line 10⁹ is clamped to the end of the document; the server stays small and answers', async () => {
    const { client, uri } = await server({});
    const file = uri('compose.yaml');
    client.open(file, privileged, 1);
    await client.waitForDiagnostics(file, { version: 1 });
    const far = { line: 1_000_000_000, character: 1_000_000_000 };
    client.change(file, 2, [{ range: { start: far, end: far }, text: '    read_only: true\n' } as never]);
    client.change(file, 3, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '#' } as never]);
    client.change(file, 4, [{ range: { start: { line: -1, character: 0.5 }, end: { line: 0, character: 0 } }, text: 'garbage' } as never]);
    const published = await client.waitForDiagnostics(file, { version: 4, timeoutMs: 60_000 });
    assert.ok(!codes(published).includes('IMM003'), 'the appended read_only: true did not land at the end');
    assert.ok(codes(published).includes('TCB001'));
    const hover = await client.request('textDocument/hover', { textDocument: { uri: file }, position: { line: 3, character: 5 } });
    assert.ok(hover === null || typeof hover === 'object');
    const peak = peakRssMegabytes(client.process.pid);
    if (peak !== undefined) assert.ok(peak < 400, `the server peaked at ${peak.toFixed(0)} MB`);
  });

  for (const key of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
    it(`hovering a key named ${key} answers without an error`, async () => {
      const { client, uri } = await server({});
      const file = uri('compose.yaml');
      const text = `services:\n  web:\n    image: nginx:1.27\n    ${key}: 1\n    environment:\n      ${key}: x\n`;
      client.open(file, text, 1);
      await client.waitForDiagnostics(file, { version: 1 });
      for (const line of [3, 5]) {
        const hover = await client.request('textDocument/hover', { textDocument: { uri: file }, position: { line, character: line === 3 ? 6 : 8 } });
        assert.equal(hover, null);
      }
      assert.deepEqual(failures(client), []);
    });
  }

  it('hovers escape text from the file: no links or images of its choosing', async () => {
    const { client, uri } = await server({});
    const file = uri('compose.yaml');
    const text = 'services:\n  "![x](https://attacker.example/p.png)[click](https://attacker.example)":\n    image: nginx:1.27\n    privileged: true\n    environment:\n      A: "${B:-`x`[y](https://attacker.example)}"\n';
    client.open(file, text, 1);
    await client.waitForDiagnostics(file, { version: 1 });
    for (const position of [{ line: 3, character: 6 }, { line: 5, character: 12 }]) {
      const hover = (await client.request('textDocument/hover', { textDocument: { uri: file }, position })) as { contents: { value: string } } | null;
      assert.ok(hover, `no hover at ${JSON.stringify(position)}`);
      // Inside a code span nothing is a link (CommonMark §6.1); elsewhere a `](` must be escaped.
      const outsideCode = hover.contents.value.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
      assert.doesNotMatch(outsideCode, /(?<!\\)\]\(https:\/\/attacker/, hover.contents.value);
    }
  });

  it('a symbolic link to a file outside the workspace is read neither by the index nor on a file event', async function () {
    if (process.platform === 'win32') this.skip();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.yaml'), privileged);
    const { client, workspace, uri } = await server({ 'ok.yaml': 'services:\n  api:\n    image: redis:7\n' });
    try {
      fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(workspace, 'link.yaml'));
      await client.request('sbd/scanWorkspace', null);
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('link.yaml'), type: 1 }, { uri: uri('link.yaml'), type: 2 }] });
      await client.request('sbd/scanWorkspace', null);
      const published = client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri('link.yaml'));
      assert.deepEqual(published.filter((n) => n.params.diagnostics.length > 0).map((n) => codes(n.params)), []);
      const logged = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String(n.params.message));
      assert.ok(logged.some((line) => /link\.yaml is a symbolic link/.test(line)), logged.join('\n'));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a named pipe in the workspace does not stall the server', async function () {
    if (process.platform === 'win32') this.skip();
    const { client, workspace, uri } = await server({ 'ok.yaml': privileged });
    require('node:child_process').spawnSync('mkfifo', [path.join(workspace, 'pipe.yaml')]);
    require('node:child_process').spawnSync('mkfifo', [path.join(workspace, '.sbd.yaml')]);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('pipe.yaml'), type: 2 }, { uri: uri('.sbd.yaml'), type: 2 }] });
    const result = (await client.request('sbd/scanWorkspace', null, 30_000)) as { files: number };
    assert.ok(result.files >= 1);
    const peak = peakRssMegabytes(client.process.pid);
    if (peak !== undefined) assert.ok(peak < 400, `the server peaked at ${peak.toFixed(0)} MB`);
  });
});
