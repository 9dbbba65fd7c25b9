import { strict as assert } from 'node:assert';
import { byCode, ensureServerBundle, positionOf, span, startServer, type LspClient } from './support';

const COMPOSE = ['services:', '  web:', '    image: nginx:1.27.2', '    privileged: true', ''].join('\n');

const MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: first',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: one',
  '          image: example/one:latest',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: second',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: two',
  '          image: example/two:1.0.0',
  '          securityContext:',
  '            privileged: true',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: third',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: three',
  '          image: example/three',
  '          securityContext:',
  '            privileged: true',
  '',
].join('\n');

describe('language server: diagnostics over the protocol', function () {
  this.timeout(60_000);
  let client: LspClient;

  before(() => ensureServerBundle());
  beforeEach(async () => {
    client = await startServer();
  });
  afterEach(async () => {
    await client.stop();
  });

  it('publishes findings on open with exact ranges, the document version, source, code, doc link and pattern', async () => {
    const uri = 'file:///virtual/open/compose.yaml';
    client.open(uri, COMPOSE, 7);
    const published = await client.waitForDiagnostics(uri, { version: 7 });
    const [privileged] = byCode(published.diagnostics, 'TCB001');
    assert.ok(privileged, 'TCB001 reported');
    const at = positionOf(COMPOSE, 'true');
    assert.deepEqual(span(privileged), [at.line, at.character, at.line, at.character + 4]);
    assert.equal(privileged.source, 'sbd');
    assert.match(privileged.codeDescription!.href, /^file:\/\/.*\/docs\/rules\/TCB001\.md$/);
    assert.match(privileged.message, /Service "web" runs privileged/);
    assert.match(privileged.message, /TCB Minimization/);
    assert.deepEqual((privileged.data as { pattern: string }).pattern, 'TCB');
  });

  it('counts positions in UTF-16 code units on CRLF files, as LSP does', async () => {
    const uri = 'file:///virtual/crlf/compose.yaml';
    const text = 'services:\r\n  web:\r\n    labels: {note: "🔒 ünïcode"}\r\n    image: example/web:1.0.0\r\n    privileged: true # 🔓\r\n';
    client.open(uri, text, 1);
    const published = await client.waitForDiagnostics(uri, { version: 1 });
    const [privileged] = byCode(published.diagnostics, 'TCB001');
    assert.deepEqual(span(privileged), [4, 16, 4, 20]);
    client.change(uri, 2, [{ range: { start: { line: 2, character: 20 }, end: { line: 2, character: 22 } }, text: '🔑🔑' }]);
    const after = await client.waitForDiagnostics(uri, { version: 2 });
    assert.deepEqual(span(byCode(after.diagnostics, 'TCB001')[0]), [4, 16, 4, 20]);
  });

  it('publishes nothing while secureByDesign.enable is false', async () => {
    const disabled = await startServer({ sbdSettings: { enable: false } });
    try {
      await disabled.waitForNotification('sbd/status');
      const uri = 'file:///virtual/disabled/compose.yaml';
      disabled.open(uri, COMPOSE, 1);
      const published = await disabled.waitForDiagnostics(uri, { version: 1 });
      assert.deepEqual(published.diagnostics, []);
    } finally {
      await disabled.stop();
    }
  });

  it('updates the diagnostics when an incremental edit fixes the YAML', async () => {
    const uri = 'file:///virtual/edit/compose.yaml';
    client.open(uri, COMPOSE, 1);
    await client.waitForDiagnostics(uri, { version: 1, accept: (d) => byCode(d, 'TCB001').length === 1 });
    const at = positionOf(COMPOSE, 'true');
    client.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: 'false' }]);
    const after = await client.waitForDiagnostics(uri, { version: 2 });
    assert.deepEqual(byCode(after.diagnostics, 'TCB001'), []);
  });

  it('keeps the findings of the other documents right when one document of a manifest is edited', async () => {
    const uri = 'file:///virtual/multi/deploy.yaml';
    client.open(uri, MANIFEST, 1);
    const first = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(byCode(first.diagnostics, 'TCB001').length, 2);
    // Insert three lines into the first document: every later finding moves down by three lines.
    const insertAt = positionOf(MANIFEST, '        - name: one');
    client.change(uri, 2, [{ range: { start: insertAt, end: insertAt }, text: '        - name: extra\n          image: example/extra:2.0.0\n          command: [run]\n' }]);
    const edited = await client.waitForDiagnostics(uri, { version: 2 });
    const expectedText = MANIFEST.replace('        - name: one', '        - name: extra\n          image: example/extra:2.0.0\n          command: [run]\n        - name: one');
    // A fresh server analysing the edited text from scratch must agree exactly.
    const fresh = await startServer();
    try {
      fresh.open('file:///virtual/multi/fresh.yaml', expectedText, 1);
      const reference = await fresh.waitForDiagnostics('file:///virtual/multi/fresh.yaml', { version: 1 });
      assert.deepEqual(edited.diagnostics.map(span), reference.diagnostics.map(span));
      assert.deepEqual(edited.diagnostics.map((d) => d.code), reference.diagnostics.map((d) => d.code));
    } finally {
      await fresh.stop();
    }
    const privilegedLines = byCode(edited.diagnostics, 'TCB001').map((d) => d.range.start.line);
    assert.deepEqual(privilegedLines, [22 + 3, 35 + 3]);
  });

  it('keeps the last good findings of untouched documents while one document is half-typed', async () => {
    const uri = 'file:///virtual/halftyped/deploy.yaml';
    client.open(uri, MANIFEST, 1);
    await client.waitForDiagnostics(uri, { version: 1 });
    // The user starts typing a flow map in the second document and has not closed it yet.
    const at = positionOf(MANIFEST, 'securityContext:', 'name: second');
    client.change(uri, 2, [{ range: { start: at, end: at }, text: 'resources: {limits: [cpu\n          ' }]);
    const typing = await client.waitForDiagnostics(uri, { version: 2 });
    assert.ok(byCode(typing.diagnostics, 'SBD001').length > 0, 'the syntax error is reported');
    const syntaxLines = byCode(typing.diagnostics, 'SBD001').map((d) => d.range.start.line);
    assert.ok(syntaxLines.every((line) => line > 10 && line < 24), `syntax errors stay in the edited document: ${syntaxLines}`);
    // First document: its IMM001 finding (latest tag); third document: TCB001, one line lower.
    assert.ok(byCode(typing.diagnostics, 'IMM001').some((d) => d.range.start.line === 9), 'first document keeps its finding');
    assert.ok(byCode(typing.diagnostics, 'TCB001').some((d) => d.range.start.line === 36), 'third document keeps its finding, moved by the new line');
    // The document being typed in keeps its last good findings too, instead of flashing.
    assert.ok(byCode(typing.diagnostics, 'TCB001').some((d) => d.range.start.line === 23), 'edited document keeps its finding below the edit');
  });

  it('an unclosed quote in a compose file does not make the findings after it flash', async () => {
    const uri = 'file:///virtual/halftyped/compose.yaml';
    const text = 'services:\n  web:\n    image: example/web:1.0.0\n    environment:\n      MODE: prod\n    privileged: true\n';
    client.open(uri, text, 1);
    const before = await client.waitForDiagnostics(uri, { version: 1 });
    const at = positionOf(text, 'prod');
    client.change(uri, 2, [{ range: { start: at, end: at }, text: '"' }]);
    const typing = await client.waitForDiagnostics(uri, { version: 2 });
    assert.ok(byCode(typing.diagnostics, 'SBD001').length > 0);
    const patternCodes = (list: typeof before.diagnostics) => list.filter((d) => !String(d.code).startsWith('SBD')).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();
    assert.deepEqual(patternCodes(typing.diagnostics), patternCodes(before.diagnostics));
  });

  it('debounces a burst of edits and publishes the newest version, dropping stale analyses', async () => {
    const uri = 'file:///virtual/burst/compose.yaml';
    client.open(uri, COMPOSE, 1);
    await client.waitForDiagnostics(uri, { version: 1 });
    const mark = client.mark();
    let text = COMPOSE;
    for (let version = 2; version <= 12; version++) {
      const end = positionOf(text, 'privileged');
      client.change(uri, version, [{ range: { start: { line: end.line + 1, character: 0 }, end: { line: end.line + 1, character: 0 } }, text: `    # edit ${version}\n` }]);
      text = text.replace('    privileged: true\n', `    privileged: true\n    # edit ${version}\n`);
    }
    const last = await client.waitForDiagnostics(uri, { version: 12, since: mark });
    assert.equal(byCode(last.diagnostics, 'TCB001').length, 1);
    const versions = client.notifications.slice(mark).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri).map((n) => n.params.version);
    assert.ok(versions.length < 5, `a burst of 11 edits gave ${versions.length} publishes (${versions})`);
    assert.deepEqual(versions.filter((v) => v > 12), []);
  });

  it('answers pull diagnostics when the client declares them, and does not also push', async () => {
    const pull = await startServer({
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false }, publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true } },
    });
    try {
      assert.ok(pull.initializeResult?.capabilities.diagnosticProvider, 'diagnosticProvider declared');
      const uri = 'file:///virtual/pull/compose.yaml';
      pull.open(uri, COMPOSE, 1);
      const report = await pull.request<{ kind: string; resultId: string; items: Array<{ code: string }> }>('textDocument/diagnostic', { textDocument: { uri } });
      assert.equal(report.kind, 'full');
      assert.ok(report.items.some((d) => d.code === 'TCB001'));
      const again = await pull.request<{ kind: string }>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId });
      assert.equal(again.kind, 'unchanged');
      const at = positionOf(COMPOSE, 'true');
      pull.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: 'false' }]);
      const changed = await pull.request<{ kind: string; items: Array<{ code: string }> }>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId });
      assert.equal(changed.kind, 'full');
      assert.ok(!changed.items.some((d) => d.code === 'TCB001'));
      const workspace = await pull.request<{ items: unknown[] }>('workspace/diagnostic', { previousResultIds: [] });
      assert.ok(Array.isArray(workspace.items));
      assert.equal(pull.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics').length, 0, 'nothing pushed');
    } finally {
      await pull.stop();
    }
  });

  it('asks a pull client to pull again when a document is reopened right after its close, and not when another one opens', async () => {
    const pull = await startServer({
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }, workspace: { configuration: true, diagnostics: { refreshSupport: true } } },
    });
    try {
      const refreshes = () => pull.serverRequests.filter((request) => request.method === 'workspace/diagnostic/refresh').length;
      await pull.waitForNotification('sbd/status', (params) => params.state === 'ready');
      // Plain YAML: no cross-file facts change, so no other refresh is due.
      const text = 'notes:\n  - first\n';
      /** Closes one buffer, opens another, pulls it: the refreshes the server asked for meanwhile. */
      const swap = async (closed: string, opened: string) => {
        const before = refreshes();
        pull.close(closed);
        pull.open(opened, text, 1);
        const report = await pull.request<{ kind: string }>('textDocument/diagnostic', { textDocument: { uri: opened } });
        assert.equal(report.kind, 'full');
        return refreshes() - before;
      };
      pull.open('untitled:Untitled-1', text, 1);
      await pull.request('textDocument/diagnostic', { textDocument: { uri: 'untitled:Untitled-1' } });
      assert.equal(await swap('untitled:Untitled-1', 'untitled:Untitled-2'), 0, 'no refresh when another document opens');
      // An editor reuses the name of a closed untitled buffer; vscode-languageclient 9 would never pull the new one.
      assert.equal(await swap('untitled:Untitled-2', 'untitled:Untitled-2'), 1, 'one refresh when the same document comes back');
    } finally {
      await pull.stop();
    }
  });
});
