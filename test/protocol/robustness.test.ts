import { strict as assert } from 'node:assert';
import { byCode, ensureServerBundle, startServer, type LspClient } from './support';

const CHECK_URI = 'file:///virtual/robust/check.yaml';
const CHECK_TEXT = 'services:\n  web:\n    image: example/web:1.0.0\n    privileged: true\n';

function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 10; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  lines.push('services:', '  web:', '    image: example/web:1.0.0', '    environment: *j', '    privileged: true');
  return lines.join('\n') + '\n';
}

describe('language server: hostile and broken input never kills it', function () {
  this.timeout(120_000);
  let client: LspClient;

  before(async () => {
    ensureServerBundle();
    client = await startServer();
    client.open(CHECK_URI, CHECK_TEXT, 1);
    await client.waitForDiagnostics(CHECK_URI, { version: 1 });
  });
  after(async () => {
    await client?.stop();
  });

  /** The server is alive and still answers a real request with real content. */
  async function stillAnswers(): Promise<void> {
    assert.ok(client.alive, `server died: ${client.stderr.slice(-500)}`);
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: CHECK_URI }, position: { line: 3, character: 17 } }, 10_000);
    assert.match(hover!.contents.value, /TCB001/);
  }

  async function openAndSettle(uri: string, text: string, limitMs: number) {
    const started = Date.now();
    client.open(uri, text, 1);
    const published = await client.waitForDiagnostics(uri, { version: 1, timeoutMs: 60_000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < limitMs, `took ${elapsed} ms (limit ${limitMs})`);
    return published.diagnostics;
  }

  it('binary bytes: one "not analysed" diagnostic, nothing else', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1') + '\u0000\u0001\u0002';
    const diagnostics = await openAndSettle('file:///virtual/robust/binary.yaml', bytes, 5_000);
    assert.deepEqual(diagnostics.map((d) => d.code), ['SBD006']);
    assert.match(diagnostics[0].message, /binary/);
    await stillAnswers();
  });

  it('a 20 MB document: explained as over the size limit, answered within a second or two', async () => {
    const line = '    - name: padding-value-that-repeats-to-fill-the-document\n';
    const text = 'services:\n  web:\n    image: example/web:1.0.0\n    labels:\n' + line.repeat(Math.ceil((20 * 1024 * 1024) / line.length));
    const diagnostics = await openAndSettle('file:///virtual/robust/huge.yaml', text, 5_000);
    assert.deepEqual(diagnostics.map((d) => d.code), ['SBD006']);
    assert.match(diagnostics[0].message, /20\.0 MB, over the .* limit/);
    await stillAnswers();
    // Typing into it stays cheap: the size check comes before any parsing.
    const started = Date.now();
    client.change('file:///virtual/robust/huge.yaml', 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# x\n' }]);
    await client.waitForDiagnostics('file:///virtual/robust/huge.yaml', { version: 2, timeoutMs: 30_000 });
    assert.ok(Date.now() - started < 3_000, `edit took ${Date.now() - started} ms`);
    client.close('file:///virtual/robust/huge.yaml');
  });

  it('an alias bomb is analysed without expanding it', async () => {
    const diagnostics = await openAndSettle('file:///virtual/robust/bomb.yaml', aliasBomb(), 5_000);
    assert.equal(byCode(diagnostics, 'TCB001').length, 1);
    await stillAnswers();
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///virtual/robust/bomb.yaml' } });
    assert.equal(symbols.length, 1);
  });

  for (const [name, text] of [
    ['10,000 nested flow sequences', '['.repeat(10_000) + ']'.repeat(10_000) + '\n'],
    ['10,000 nested flow maps', '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n'],
    ['10,000 nested block sequences', '- '.repeat(10_000) + 'x\n'],
  ] as const) {
    it(`${name}: a diagnostic or nothing, and hover/symbols/code actions still answer`, async () => {
      const uri = `file:///virtual/robust/${name.replace(/\W+/g, '-')}.yaml`;
      const diagnostics = await openAndSettle(uri, text, 20_000);
      assert.ok(diagnostics.every((d) => String(d.code).startsWith('SBD')), `only analysis diagnostics: ${diagnostics.map((d) => d.code)}`);
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 5000 } });
      await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9000 } }, context: { diagnostics: [] } });
      await stillAnswers();
    });
  }

  it('a document being typed character by character never loses the server', async () => {
    const uri = 'file:///virtual/robust/typing.yaml';
    const target = 'services:\n  web:\n    image: "example/web:1.0.0"\n    ports: ["8080:80", {target: 443\n    privileged: true\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:-x}\n';
    client.open(uri, '', 1);
    let line = 0;
    let character = 0;
    for (let i = 0; i < target.length; i++) {
      client.change(uri, i + 2, [{ range: { start: { line, character }, end: { line, character } }, text: target[i] }]);
      if (target[i] === '\n') {
        line++;
        character = 0;
      } else character++;
      if (i % 17 === 0) await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    }
    const final = await client.waitForDiagnostics(uri, { version: target.length + 1 });
    assert.ok(byCode(final.diagnostics, 'SBD001').length > 0, 'the unclosed flow sequence is a syntax error');
    await stillAnswers();
  });

  it('malformed requests get an empty answer or an error, never a crash', async () => {
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 42 }, position: { line: -1, character: 'x' } }), null);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'not a uri' }, position: { line: 0, character: 0 } }), null);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: CHECK_URI }, position: { line: 1e9, character: 1e9 } }), null);
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument: { uri: CHECK_URI }, range: null, context: null }), []);
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri: 'file:///never/opened.yaml' } }), []);
    assert.deepEqual(await client.request('sbd/trustBoundaries', { uri: 12 }), { zones: [], secrets: [] });
    await assert.rejects(client.request('sbd/ruleDocumentation', null), /unknown rule/);
    await assert.rejects(client.request('sbd/noSuchRequest', {}), /Unhandled method|not found|unhandled/i);
    client.notify('textDocument/didChange', { textDocument: { uri: 'file:///never/opened.yaml', version: 3 }, contentChanges: [{ text: 'x' }] });
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: null, type: 9 }, 'junk'] });
    client.notify('workspace/didChangeConfiguration', { settings: { secureByDesign: 'everything' } });
    await stillAnswers();
  });
});
