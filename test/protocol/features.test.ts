import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CodeAction, Diagnostic, DocumentSymbol, Hover } from 'vscode-languageserver';
import type { TrustBoundariesResult } from '../../server/src/protocol';
import { applyTextEdits, DEFAULT_CAPABILITIES } from '../e2e/support/lspClient';
import { byCode, ensureServerBundle, positionOf, startServer, type LspClient } from './support';

const COMPOSE = [
  'services:',
  '  web:',
  '    image: example/web:1.4.2',
  '    # the agent needs the host devices',
  '    privileged: true',
  '    networks: [frontend, backend]',
  '    depends_on: [db]',
  '    environment:',
  '      DB_PASSWORD: ${DB_PASSWORD:?set it}',
  '  worker:',
  '    image: example/worker:2.0.0',
  '    privileged: yes',
  '    networks: [backend]',
  '    secrets: [db_password]',
  '  db:',
  '    image: postgres:16.4',
  '    networks: [backend]',
  '    secrets: [db_password]',
  'networks:',
  '  frontend: {}',
  '  backend:',
  '    internal: true',
  'secrets:',
  '  db_password:',
  '    file: ./db_password.txt',
  '',
].join('\n');

const MANIFEST = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  selector: {app: web}',
  '  ports: [{port: 80}]',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  template:',
  '    metadata:',
  '      labels: {app: web}',
  '    spec:',
  '      hostNetwork: false',
  '      containers:',
  '        - name: app',
  '          image: example/web:1.4.2',
  '          env:',
  '            - name: API_TOKEN',
  '              valueFrom: {secretKeyRef: {name: api, key: token}}',
  '          securityContext:',
  '            privileged: true',
  '',
].join('\n');

describe('language server: hovers, code actions, symbols, trust boundaries', function () {
  this.timeout(60_000);
  let client: LspClient;
  const composeUri = 'file:///virtual/features/compose.yaml';
  const manifestUri = 'file:///virtual/features/k8s/app.yaml';

  before(() => ensureServerBundle());
  beforeEach(async () => {
    client = await startServer();
  });
  afterEach(async () => {
    await client.stop();
  });

  async function openAndWait(uri: string, text: string, version = 1): Promise<Diagnostic[]> {
    client.open(uri, text, version);
    return (await client.waitForDiagnostics(uri, { version })).diagnostics;
  }

  /** Applies a code action's edit to `text`, sends it as the next version, returns the new diagnostics. */
  async function applyAction(uri: string, text: string, action: CodeAction, version: number): Promise<{ text: string; diagnostics: Diagnostic[] }> {
    const edits = action.edit?.changes?.[uri];
    assert.ok(edits && edits.length > 0, `action "${action.title}" has edits for the document`);
    const next = applyTextEdits(text, edits);
    client.replace(uri, version, next);
    const published = await client.waitForDiagnostics(uri, { version });
    return { text: next, diagnostics: published.diagnostics };
  }

  it('hover on a finding teaches the pattern: principle, why, fix with ❌/✅, suppression, doc link', async () => {
    await openAndWait(composeUri, COMPOSE);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: composeUri }, position: positionOf(COMPOSE, 'true') });
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /TCB001: Privileged container/);
    assert.match(markdown, /\*\*Here:\*\* Service "web" runs privileged/);
    assert.match(markdown, /TCB Minimization/);
    assert.match(markdown, /Keep the trusted computing base small/); // the principle
    assert.match(markdown, /Why it matters/);
    assert.match(markdown, /❌[\s\S]*✅/);
    assert.match(markdown, /# sbd-ignore TCB001 reason=/);
    assert.match(markdown, /\(file:\/\/.*docs\/rules\/TCB001\.md\)/);
  });

  it('hover on a security-relevant key without a finding explains what it means for the pattern', async () => {
    await openAndWait(manifestUri, MANIFEST);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: manifestUri }, position: positionOf(MANIFEST, 'hostNetwork') });
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /hostNetwork/);
    assert.match(markdown, /TCB Minimization \(also Security Boundaries\) · checked by TCB004/, 'the pattern of the rule that checks the key');
    assert.match(markdown, /NetworkPolicy/);
    const networks = await client.request<Hover>('textDocument/hover', { textDocument: { uri: manifestUri }, position: positionOf(MANIFEST, 'securityContext') });
    assert.match((networks.contents as { value: string }).value, /runAsNonRoot/);
  });

  it('hover on a ${VAR:?…} interpolation says compose refuses to start without it', async () => {
    await openAndWait(composeUri, COMPOSE);
    const at = positionOf(COMPOSE, 'DB_PASSWORD:?');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: composeUri }, position: at });
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /required/);
    assert.match(markdown, /Fail-Fast/);
  });

  it('hover on plain text answers null', async () => {
    await openAndWait(composeUri, COMPOSE);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: composeUri }, position: positionOf(COMPOSE, 'file:') });
    assert.equal(hover, null);
  });

  it('the quick fix, applied to the text, removes the finding and keeps the comment; a fix that changes behaviour is not preferred', async () => {
    const diagnostics = await openAndWait(composeUri, COMPOSE);
    const target = byCode(diagnostics, 'TCB001')[0];
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: target.range, context: { diagnostics: [target] } });
    const preferred = actions.find((action) => action.title === 'Set privileged: false (TCB001)');
    assert.ok(preferred, `the fix among ${actions.map((a) => a.title)}`);
    assert.equal(preferred!.kind, 'quickfix');
    assert.ok(!preferred!.isPreferred, 'taking privileges away is not a safe fix, so editors do not apply it on their own');
    const { text, diagnostics: after } = await applyAction(composeUri, COMPOSE, preferred!, 2);
    assert.equal(byCode(after, 'TCB001').length, byCode(diagnostics, 'TCB001').length - 1);
    assert.ok(!byCode(after, 'TCB001').some((d) => d.range.start.line === target.range.start.line));
    assert.match(text, /# the agent needs the host devices\n {4}privileged: false/);
  });

  it('"suppress with a reason" makes the user write the reason: an empty reason="" suppresses nothing until it is written', async () => {
    const diagnostics = await openAndWait(composeUri, COMPOSE);
    const target = byCode(diagnostics, 'TCB001')[0];
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: target.range, context: { diagnostics: [target] } });
    const suppress = actions.find((action) => /^Suppress TCB001/.test(action.title))!;
    assert.ok(suppress);
    const { text, diagnostics: after } = await applyAction(composeUri, COMPOSE, suppress, 2);
    assert.match(text, /\n {4}# sbd-ignore TCB001 reason=""\n {4}privileged: true/);
    assert.ok(byCode(after, 'TCB001').some((d) => d.range.start.line === target.range.start.line + 1), 'an empty reason suppresses nothing');
    assert.match(byCode(after, 'SBD002')[0]?.message ?? '', /has no reason/);
    const written = text.replace('reason=""', 'reason="the agent drives the GPU; reviewed with the platform team"');
    client.replace(composeUri, 3, written);
    const reasoned = await client.waitForDiagnostics(composeUri, { version: 3 });
    assert.ok(!byCode(reasoned.diagnostics, 'TCB001').some((d) => d.range.start.line === target.range.start.line + 1));
    assert.deepEqual(reasoned.diagnostics.filter((d) => String(d.code).startsWith('SBD')), []);
  });

  it('a placeholder is not a reason: reason="TODO…" is reported like a missing one and suppresses nothing', async () => {
    const text = COMPOSE.replace('    # the agent needs the host devices\n', '    # sbd-ignore TCB001 reason="TODO: why this is acceptable"\n');
    const diagnostics = await openAndWait(composeUri, text);
    assert.match(byCode(diagnostics, 'SBD002')[0]?.message ?? '', /placeholder "TODO: why this is acceptable"/);
    assert.ok(byCode(diagnostics, 'TCB001').some((d) => d.range.start.line === 4));
  });

  it('a client that inserts snippets gets the suppression as a snippet with the cursor in the empty reason', async () => {
    const snippetClient = await startServer({ initializationOptions: { clientCommands: ['secureByDesign.insertSnippet'] } });
    try {
      snippetClient.open(composeUri, COMPOSE, 1);
      const published = await snippetClient.waitForDiagnostics(composeUri, { version: 1 });
      const target = byCode(published.diagnostics, 'TCB001')[0];
      const actions = await snippetClient.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: target.range, context: { diagnostics: [target] } });
      const suppress = actions.find((action) => /^Suppress TCB001/.test(action.title))!;
      assert.equal(suppress.edit, undefined);
      assert.equal(suppress.command?.command, 'secureByDesign.insertSnippet');
      assert.deepEqual(suppress.command?.arguments, [composeUri, { line: 4, character: 0 }, '    # sbd-ignore TCB001 reason="$1"\n$0']);
    } finally {
      await snippetClient.stop();
    }
  });

  it('a suppression without a reason is reported, and its quick fix opens an empty reason for the user to write', async () => {
    const text = COMPOSE.replace('    # the agent needs the host devices\n', '    # sbd-ignore TCB001\n');
    const diagnostics = await openAndWait(composeUri, text);
    const [missing] = byCode(diagnostics, 'SBD002');
    assert.ok(missing, 'SBD002 reported');
    assert.ok(byCode(diagnostics, 'TCB001').some((d) => d.range.start.line === 4), 'nothing suppressed without a reason');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: missing.range, context: { diagnostics: [missing] } });
    const addReason = actions.find((action) => action.title === 'Add a reason to this suppression')!;
    const { text: fixed } = await applyAction(composeUri, text, addReason, 2);
    assert.match(fixed, /# sbd-ignore TCB001 reason=""\n {4}privileged: true/);
  });

  it('"fix all TCB001 problems" and the source.fixAll.sbd action fix every instance', async () => {
    const diagnostics = await openAndWait(composeUri, COMPOSE);
    assert.equal(byCode(diagnostics, 'TCB001').length, 2);
    const target = byCode(diagnostics, 'TCB001')[0];
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: target.range, context: { diagnostics: [target] } });
    const fixRule = actions.find((action) => /Fix all TCB001 problems/.test(action.title));
    assert.ok(fixRule, `fix-all-of-rule offered among ${actions.map((a) => a.title)}`);
    const ruleFixed = await applyAction(composeUri, COMPOSE, fixRule!, 2);
    assert.deepEqual(byCode(ruleFixed.diagnostics, 'TCB001'), []);

    const source = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.ok(source.length > 0 && source.every((action) => action.kind === 'source.fixAll.sbd'), 'only the requested kind');
  });

  it('source.fixAll.sbd applies only fixes that cannot change what the service does, in one edit', async () => {
    const before = await openAndWait(composeUri, COMPOSE);
    assert.ok(byCode(before, 'TCB001').length > 0 && byCode(before, 'TCB011').some((d) => /privilege escalation not blocked/.test(d.message)));
    const [fixAll] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.sbd'] } });
    assert.equal(fixAll.kind, 'source.fixAll.sbd');
    const { text, diagnostics } = await applyAction(composeUri, COMPOSE, fixAll, 2);
    // Blocking setuid escalation changes nothing a service relies on: applied.
    assert.ok(!byCode(diagnostics, 'TCB011').some((d) => /privilege escalation not blocked/.test(d.message)));
    assert.match(text, /no-new-privileges:true/);
    // privileged: false, a memory limit or a required variable can stop a service working: left one by one.
    assert.equal(byCode(diagnostics, 'TCB001').length, byCode(before, 'TCB001').length);
    assert.doesNotMatch(text, /privileged: false|memory: 512M/);
  });

  it('offers "Show documentation" as the server\'s command, which opens the rule\'s page with window/showDocument', async () => {
    const diagnostics = await openAndWait(composeUri, COMPOSE);
    const target = byCode(diagnostics, 'TCB001')[0];
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: target.range, context: { diagnostics: [target] } });
    const docs = actions.find((action) => action.command?.command === 'sbd.showRuleDocumentation');
    assert.deepEqual(docs?.command?.arguments, ['TCB001']);
    assert.deepEqual(client.initializeResult?.capabilities.executeCommandProvider?.commands, ['sbd.showRuleDocumentation']);
    await client.stop();
    client = await startServer({ capabilities: { ...DEFAULT_CAPABILITIES, window: { ...DEFAULT_CAPABILITIES.window, showDocument: { support: true } } } });
    const shown: Array<{ uri: string; takeFocus?: boolean }> = [];
    client.onRequest('window/showDocument', (params: { uri: string; takeFocus?: boolean }) => (shown.push(params), { success: true }));
    await client.request('workspace/executeCommand', { command: 'sbd.showRuleDocumentation', arguments: ['TCB001'] });
    assert.equal(shown.length, 1);
    assert.match(shown[0].uri, /^file:\/\/\S+\/docs\/rules\/TCB001\.md$/);
    assert.ok(fs.existsSync(fileURLToPath(shown[0].uri)), 'the page exists next to the server bundle');
    await client.stop();
    // Our VS Code client shows documentation in a webview of its own and says so at initialize.
    client = await startServer({ initializationOptions: { clientCommands: ['secureByDesign.showRuleDocumentation'] } });
    const vscodeDiagnostics = await openAndWait(composeUri, COMPOSE);
    const vscodeActions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: composeUri }, range: byCode(vscodeDiagnostics, 'TCB001')[0].range, context: { diagnostics: [] } });
    assert.ok(vscodeActions.some((action) => action.command?.command === 'secureByDesign.showRuleDocumentation'));
    const documentation = await client.request<{ ruleId: string; markdown: string }>('sbd/ruleDocumentation', { ruleId: 'TCB001' });
    assert.match(documentation.markdown, /^# TCB001: Privileged container/);
    await assert.rejects(client.request('sbd/ruleDocumentation', { ruleId: 'NOPE1' }), /unknown rule/);
  });

  it('outlines compose services with their ports/networks/secrets and Kubernetes objects with containers', async () => {
    await openAndWait(composeUri, COMPOSE);
    const compose = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: composeUri } });
    const services = compose.find((symbol) => symbol.name === 'services')!;
    assert.deepEqual(services.children!.map((s) => s.name), ['web', 'worker', 'db']);
    const web = services.children![0];
    assert.ok(web.children!.some((child) => child.name === 'network frontend'));
    assert.deepEqual(web.selectionRange.start, positionOf(COMPOSE, 'web:'));
    assert.ok(compose.some((symbol) => symbol.name === 'networks'));

    await openAndWait(manifestUri, MANIFEST);
    const manifest = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: manifestUri } });
    assert.deepEqual(manifest.map((s) => s.name), ['Service web (shop)', 'Deployment web (shop)']);
    assert.deepEqual(manifest[1].children!.map((c) => c.name), ['container app']);
    assert.equal(manifest[1].range.start.line, 9);
  });

  it('outlines an architecture model (zones with trust, components, flows) and explains its keys on hover', async () => {
    const model = [
      'apiVersion: securebydesign/v1',
      'kind: Architecture',
      'zones:',
      '  internet:',
      '    trust: untrusted',
      '  services:',
      '    trust: trusted',
      'components:',
      '  gateway:',
      '    type: gateway',
      '    zone: internet',
      '  orders:',
      '    zone: services',
      'flows:',
      '  place-order:',
      '    from: gateway',
      '    to: orders',
      '    authentication: [mtls, jwt]',
      '',
    ].join('\n');
    const uri = 'file:///virtual/features/architecture.yaml';
    await openAndWait(uri, model);
    const outline = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(outline.map((s) => s.name), ['zones', 'components', 'flows']);
    assert.deepEqual(outline[0].children!.map((z) => [z.name, z.detail]), [['internet', 'untrusted'], ['services', 'trusted']]);
    assert.deepEqual(outline[2].children!.map((f) => [f.name, f.detail]), [['gateway → orders', 'mtls, jwt']]);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(model, 'authentication') });
    assert.match((hover.contents as { value: string }).value, /strong identity/);
  });

  it('sbd/trustBoundaries on an architecture model: its zones ordered by trust, components and the crossing flow', async () => {
    const model = ['apiVersion: securebydesign/v1', 'kind: Architecture', 'zones:', '  services:', '    trust: trusted', '  internet:', '    trust: untrusted', 'components:', '  gateway:', '    type: gateway', '    zone: internet', '  orders:', '    type: service', '    zone: services', 'flows:', '  place-order:', '    from: gateway', '    to: orders', '    authentication: none', ''].join('\n');
    const uri = 'file:///virtual/features/model/shop.arch.yaml';
    await openAndWait(uri, model);
    const result = await client.request<TrustBoundariesResult>('sbd/trustBoundaries', { uri });
    const zones = result.zones.filter((zone) => zone.source === 'architecture');
    assert.deepEqual(zones.map((zone) => [zone.label, zone.trust]), [['internet', 'untrusted'], ['services', 'trusted']]);
    const gateway = zones[0].components.find((c) => c.id.endsWith('gateway') || c.label === 'gateway')!;
    assert.ok(gateway, 'gateway is in the internet zone');
    const crossing = gateway.outbound.find((flow) => flow.crossesBoundary);
    assert.ok(crossing, 'the flow into the trusted zone is marked as a crossing');
    assert.ok(crossing.missingControls.length > 0, 'and its missing controls are listed');
    assert.deepEqual(gateway.location!.range.start, positionOf(model, 'gateway:'));
  });

  it('sbd/trustBoundaries on a compose file: networks as zones, services, depends_on and datastore reach, secret holders', async () => {
    await openAndWait(composeUri, COMPOSE);
    const result = await client.request<TrustBoundariesResult>('sbd/trustBoundaries', { uri: composeUri });
    assert.deepEqual(result.zones.map((zone) => zone.label).sort(), ['backend', 'frontend']);
    const backend = result.zones.find((zone) => zone.label === 'backend')!;
    assert.equal(backend.source, 'compose-network');
    assert.deepEqual(backend.components.map((c) => c.label).sort(), ['db', 'web', 'worker']);
    const web = backend.components.find((c) => c.label === 'web')!;
    assert.ok(web.outbound.some((flow) => flow.label === 'depends on' && flow.to.endsWith(':db')));
    assert.ok(web.findings >= 1, 'the privileged finding counts for web');
    assert.deepEqual(web.location!.range.start, positionOf(COMPOSE, 'web:'));
    const db = backend.components.find((c) => c.label === 'db')!;
    assert.equal(db.type, 'datastore');
    assert.ok(db.inbound.some((flow) => flow.from.endsWith(':worker') && /can reach over network backend/.test(flow.label)));
    const secret = result.secrets.find((s) => s.secret === 'secret "db_password"')!;
    assert.deepEqual(secret.holders.map((h) => h.component.split(':').pop()).sort(), ['db', 'worker']);
    assert.equal(secret.overBudget, false);
  });

  it('sbd/trustBoundaries on a manifest: namespaces as zones, Service → workload flows, secret holders', async () => {
    await openAndWait(manifestUri, MANIFEST);
    const result = await client.request<TrustBoundariesResult>('sbd/trustBoundaries', { uri: manifestUri });
    assert.deepEqual(result.zones.map((zone) => zone.label), ['shop']);
    const [zone] = result.zones;
    assert.equal(zone.source, 'kubernetes-namespace');
    const service = zone.components.find((c) => c.label === 'Service web')!;
    assert.ok(service.outbound.some((flow) => flow.label === 'routes to' && flow.to === 'k8s:shop/Deployment/web' && !flow.crossesBoundary));
    const workload = zone.components.find((c) => c.label === 'Deployment web')!;
    assert.deepEqual(workload.secrets, ['Secret "api" (namespace "shop")']);
    assert.equal(workload.location!.range.start.line, 12);
    assert.deepEqual(result.secrets.map((s) => s.secret), ['Secret "api" (namespace "shop")']);
  });
});
