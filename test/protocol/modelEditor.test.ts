import { strict as assert } from 'node:assert';
import type { CodeLens, CompletionList, DocumentLink, DocumentSymbol, Hover, Location, WorkspaceEdit } from 'vscode-languageserver';
import { ensureServerBundle, startServer, tempWorkspace, uriOf, type LspClient } from './support';
import { SHOP_ASSETS } from './threagileSample';

const MAIN = [
  'threagile_version: 1.0.0',
  'title: Shop',
  'includes:',
  '  - parts/assets.yaml',
  'data_assets:',
  '  Orders:',
  '    id: orders',
  '    confidentiality: confidential',
  '    integrity: critical',
  '    owner: Shop Team',
  'trust_boundaries:',
  '  Backend:',
  '    id: backend',
  '    type: network-cloud-security-group',
  '    technical_assets_inside: [shop, orders-db]',
  'risk_tracking:',
  '  unencrypted-communication@shop>orders-db@shop@orders-db:',
  '    status: in-discussion',
  '    justification: to be checked',
  '',
].join('\n');

const ASSETS = SHOP_ASSETS;

const OUR_MODEL = [
  'apiVersion: securebydesign/v1',
  'kind: Architecture',
  'zones:',
  '  services:',
  '    trust: trusted',
  '  data:',
  '    trust: highly-trusted',
  'components:',
  '  orders:',
  '    zone: services',
  '    secrets: [db-password]',
  '    implementedBy:',
  '      compose: [orders]',
  '  orders-db:',
  '    type: datastore',
  '    zone: data',
  'flows:',
  '  store:',
  '    from: orders',
  '    to: orders-db',
  '    authentication: mtls',
  '',
].join('\n');

const COMPOSE = 'services:\n  orders:\n    image: shop/orders:1.4.2\n';

describe('language server: editing architecture models (completion, navigation, rename, links, lenses)', function () {
  this.timeout(60_000);
  let client: LspClient;
  let root: string;
  const main = () => uriOf(root, 'model/threagile.yaml');
  const assets = () => uriOf(root, 'model/parts/assets.yaml');
  const ours = () => uriOf(root, 'shop/architecture.yaml');

  before(async () => {
    ensureServerBundle();
    root = tempWorkspace({ 'model/threagile.yaml': MAIN, 'model/parts/assets.yaml': ASSETS, 'shop/architecture.yaml': OUR_MODEL, 'shop/compose.yaml': COMPOSE });
    client = await startServer({ root });
    await client.waitForNotification('sbd/status', (params) => params.state === 'ready');
    client.open(assets(), ASSETS);
    client.open(main(), MAIN);
    client.open(ours(), OUR_MODEL);
  });
  after(() => client.stop());

  const labels = (list: CompletionList | null) => (list?.items ?? []).map((item) => item.label);
  /** The position `delta` characters into the first `needle` of a text (its end by default: where a cursor that typed it stands). */
  const at = (text: string, needle: string, delta = needle.length) => {
    const offset = text.indexOf(needle);
    if (offset === -1) throw new Error(`"${needle}" not found`);
    const before = text.slice(0, offset + delta);
    return { line: before.split('\n').length - 1, character: before.length - (before.lastIndexOf('\n') + 1) };
  };
  let version = 10;
  /** Completes at a cursor in an edited copy of an open file, then puts the file back. */
  const completeIn = async (uri: string, original: string, edited: string, cursorAfter: string) => {
    client.replace(uri, ++version, edited);
    try {
      return await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: at(edited, cursorAfter) });
    } finally {
      client.replace(uri, ++version, original);
    }
  };

  it('completes the keys a Threagile link may still have, and the protocols Threagile knows', async () => {
    const keys = await completeIn(assets(), ASSETS, ASSETS.replace('        data_assets_sent: [orders]\n', '        data_assets_sent: [orders]\n        re\n'), '[orders]\n        re');
    assert.ok(labels(keys).includes('readonly') && labels(keys).includes('usage'), labels(keys).join(', '));
    assert.ok(!labels(keys).includes('target'), 'keys already written are not offered again');
    const values = await completeIn(assets(), ASSETS, ASSETS.replace('        protocol: jdbc', '        protocol: jd'), 'protocol: jd');
    assert.ok(labels(values).includes('jdbc-encrypted') && labels(values).includes('https'), labels(values).join(', '));
  });

  it('completes ids where a field refers to one, from every file of the model', async () => {
    const ids = await completeIn(main(), MAIN, MAIN.replace('technical_assets_inside: [shop, orders-db]', 'technical_assets_inside: [shop, ]'), '[shop, ');
    assert.ok(labels(ids).includes('orders-db'), labels(ids).join(', '));
    const zones = await completeIn(ours(), OUR_MODEL, OUR_MODEL.replace('    zone: data', '    zone: '), 'datastore\n    zone: ');
    assert.deepEqual(labels(zones).sort(), ['data', 'services']);
  });

  it('goes to the definition of an id in another file of the model', async () => {
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: main() }, position: at(MAIN, 'orders-db]', 0) });
    assert.equal(locations.length, 1);
    assert.equal(locations[0].uri, assets());
    assert.deepEqual(locations[0].range.start, at(ASSETS, 'id: orders-db', 4));
    const zone = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: ours() }, position: at(OUR_MODEL, 'zone: data', 6) });
    assert.deepEqual(zone[0].range.start, at(OUR_MODEL, '  data:', 2));
  });

  it('finds the references of an id across files, tracked risk ids included', async () => {
    const locations = await client.request<Location[]>('textDocument/references', { textDocument: { uri: assets() }, position: at(ASSETS, 'id: shop', 4), context: { includeDeclaration: true } });
    const where = locations.map((location) => `${location.uri === main() ? 'main' : 'assets'}:${location.range.start.line}`).sort();
    // The definition, the boundary's list, and the source and second part of the tracked risk id.
    assert.deepEqual(where, ['assets:2', 'main:14', 'main:16', 'main:16']);
  });

  it('renames an id in every file of the model, and refuses a name Threagile does not allow', async () => {
    const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: assets() }, position: at(ASSETS, 'id: orders-db', 4) });
    assert.equal(prepared.placeholder, 'orders-db');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: assets() }, position: at(ASSETS, 'id: orders-db', 4), newName: 'order-store' });
    assert.deepEqual(Object.keys(edit.changes!).sort(), [main(), assets()].sort());
    assert.equal(edit.changes![assets()].length, 2);
    // The boundary's list, and the target part of the tracked risk id.
    assert.equal(edit.changes![main()].length, 2);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: assets() }, position: at(ASSETS, 'id: orders-db', 4), newName: 'order store' }), /not a valid Threagile id/);
  });

  it('links each include to its file', async () => {
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: main() } });
    assert.deepEqual(links.map((link) => link.target), [assets()]);
    assert.deepEqual(links[0].range.start, at(MAIN, 'parts/assets.yaml', 0));
  });

  it('explains an id on hover: a boundary with its trust, a data asset with its ratings', async () => {
    const boundary = await client.request<Hover>('textDocument/hover', { textDocument: { uri: main() }, position: at(MAIN, 'id: backend', 4) });
    assert.match((boundary.contents as { value: string }).value, /Trust boundary.*backend[\s\S]*Trust: \*\*semi-trusted\*\*/);
    const data = await client.request<Hover>('textDocument/hover', { textDocument: { uri: assets() }, position: at(ASSETS, '[orders]', 1) });
    assert.match((data.contents as { value: string }).value, /Data asset.*orders[\s\S]*confidentiality \*\*confidential\*\*/);
    const component = await client.request<Hover>('textDocument/hover', { textDocument: { uri: main() }, position: at(MAIN, '[shop', 1) });
    assert.match((component.contents as { value: string }).value, /Component.*shop[\s\S]*zone `backend`/);
  });

  it('puts a lens on each component and on the compose service that implements one', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: ours() } });
    const titles = lenses.map((lens) => `${lens.range.start.line}: ${lens.command?.title}`);
    assert.deepEqual(titles, ['8: reachable from no other zone · holds 1 secret · 1 finding', '13: reachable from 1 zone · holds 0 secrets · 0 findings']);
    const compose = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(root, 'shop/compose.yaml') } });
    assert.deepEqual(compose.map((lens) => lens.command?.title), ['implements component "orders" · zone services (trusted)']);
  });

  it("outlines a Threagile file in Threagile's terms", async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: main() } });
    assert.deepEqual(symbols.map((symbol) => symbol.name), ['data assets', 'trust boundaries', 'risk tracking']);
    const parts = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: assets() } });
    assert.deepEqual(parts[0].children?.map((symbol) => `${symbol.name} [${(symbol.children ?? []).map((link) => link.name).join(', ')}]`), ['Shop [Orders DB → orders-db]', 'Orders DB []']);
  });
});
