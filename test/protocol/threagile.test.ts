import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byCode, codes, ensureServerBundle, startServer, tempWorkspace, uriOf, type LspClient } from './support';
import { SHOP_ASSETS } from './threagileSample';

const MAIN = 'threagile_version: 1.0.0\ntitle: Shop\nincludes:\n  - parts/assets.yaml\n  - data assets.yaml\n';
const ASSETS = SHOP_ASSETS;
const DATA = 'data_assets:\n  Orders:\n    id: orders\n    confidentiality: confidential\n    owner: Shop Team\n';
const TRACKING = 'risk_tracking:\n  unencrypted-communication@shop>orders-db@shop@orders-db:\n    status: mitigated\n    justification: The database link runs over the host loopback\n';

describe('language server: Threagile models split with includes', function () {
  this.timeout(60_000);
  let client: LspClient | undefined;

  before(() => ensureServerBundle());
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('resolves a split model across the workspace (folders with spaces), reports in the part that defines the element, and honours risk_tracking written in another file', async () => {
    const root = tempWorkspace({ 'threat model/threagile.yaml': MAIN, 'threat model/parts/assets.yaml': ASSETS, 'threat model/data assets.yaml': DATA });
    client = await startServer({ root });
    const assets = uriOf(root, 'threat model/parts/assets.yaml');
    const main = uriOf(root, 'threat model/threagile.yaml');
    const published = await client.waitForDiagnostics(assets, { accept: (d) => byCode(d, 'ZT109').length === 1 });
    // Both files analysed together: the link's target and data are defined, in other files.
    assert.deepEqual(byCode(published.diagnostics, 'BND105'), []);
    assert.equal(byCode(published.diagnostics, 'ZT109')[0].range.start.line, 8);
    const mainDiagnostics = client.latestDiagnostics(main)?.diagnostics ?? [];
    assert.deepEqual(codes(mainDiagnostics).filter((code) => code === 'FF103' || code === 'BND105'), []);

    // Tracking the risk in the main file (open, unsaved) removes the finding from the part.
    const since = client.mark();
    client.open(main, MAIN + TRACKING);
    await client.waitForDiagnostics(assets, { since, accept: (d) => byCode(d, 'ZT109').length === 0 });
  });

  it('an include that names no file of the workspace is reported on the include, and nothing is claimed missing', async () => {
    const root = tempWorkspace({ 'threagile.yaml': MAIN.replace('data assets.yaml', 'missing.yaml'), 'parts/assets.yaml': ASSETS });
    fs.mkdirSync(path.join(root, 'unrelated'));
    client = await startServer({ root });
    const main = uriOf(root, 'threagile.yaml');
    const published = await client.waitForDiagnostics(main, { accept: (d) => byCode(d, 'FF103').length === 1 });
    assert.match(byCode(published.diagnostics, 'FF103')[0].message, /Included file "missing\.yaml" is not among the analysed files/);
    const assets = client.latestDiagnostics(uriOf(root, 'parts/assets.yaml'))?.diagnostics ?? [];
    assert.deepEqual(codes(assets).filter((code) => code === 'BND105' || code === 'TCB107'), []);
  });
});
