import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BoundariesChangedParams, DiagramResult, StatusParams, TrustBoundariesResult } from '../../server/src/protocol';
import { xmlProblems } from '../views/support';
import { ensureServerBundle, positionOf, REPO_ROOT, startServer, uriOf, type LspClient } from './support';

const INVALID_PARAMS = -32602;

describe('language server: sbd/diagram', function () {
  this.timeout(120_000);
  let client: LspClient | undefined;
  let root: string;
  let ready: StatusParams;

  before(() => ensureServerBundle());
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-diagram-'));
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(root, 'examples'), { recursive: true });
    client = await startServer({ root });
    ready = await client.waitForNotification('sbd/status', (params: StatusParams) => params.state === 'ready' && params.files === 11);
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('draws the bundled examples as SVG in the layout worker, counting every finding the status bar counts', async () => {
    const started = Date.now();
    const result = await client!.request<DiagramResult>('sbd/diagram', {});
    const firstMs = Date.now() - started;
    assert.equal(result.format, 'svg');
    assert.deepEqual(result.counts, { systems: 11, zones: 38, components: 79, arrows: 67, findings: ready.findings });
    assert.deepEqual(result.notes, []);
    assert.deepEqual(xmlProblems(result.text), []);
    const insecure = uriOf(root, 'examples/compose/insecure.compose.yaml');
    assert.ok(result.text.includes(`data-file="${insecure}" data-line="6" data-character="2" data-end-line="6" data-end-character="5" tabindex="0" role="button" aria-label="api, service · example/shop-api:latest, 6 findings"`), 'the insecure api, located for click-to-reveal');
    const again = Date.now();
    const second = await client!.request<DiagramResult>('sbd/diagram', { format: 'svg' });
    console.log(`      first drawing ${firstMs} ms, redrawn from the layout cache in ${Date.now() - again} ms`);
    assert.equal(second.text, result.text, 'the same workspace gives the same bytes');
  });

  it('keeps answering other requests while a diagram is laid out', async () => {
    const uri = uriOf(root, 'examples/compose/insecure.compose.yaml');
    const text = fs.readFileSync(path.join(root, 'examples/compose/insecure.compose.yaml'), 'utf8');
    client!.open(uri, text, 1);
    await client!.waitForDiagnostics(uri, { version: 1 });
    const finished: string[] = [];
    const diagram = client!.request<DiagramResult>('sbd/diagram', {}).then(() => finished.push('diagram'));
    const hover = client!.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'privileged') }).then(() => finished.push('hover'));
    await Promise.all([diagram, hover]);
    assert.deepEqual(finished, ['hover', 'diagram']);
  });

  it('draws one file\'s project as Mermaid or DOT, and follows edits of the open buffer', async () => {
    const uri = uriOf(root, 'examples/compose/insecure.compose.yaml');
    const mermaid = await client!.request<DiagramResult>('sbd/diagram', { uri, format: 'mermaid' });
    assert.equal(mermaid.counts.systems, 1);
    assert.match(mermaid.text, /^flowchart LR\n {2}%% Trust boundaries of compose\/insecure\.compose\.yaml\n {2}subgraph s0\["compose\/insecure\.compose\.yaml \(compose\)"\]/);
    const dot = await client!.request<DiagramResult>('sbd/diagram', { uri, format: 'dot' });
    assert.match(dot.text, /^digraph "trust boundaries" \{/);
    const text = fs.readFileSync(path.join(root, 'examples/compose/insecure.compose.yaml'), 'utf8');
    const before = await client!.request<DiagramResult>('sbd/diagram', { uri });
    assert.match(before.text, /trusted computing base: [^\n]*host access \(privileged: true\)/);
    client!.open(uri, text.replace('privileged: true', 'privileged: false'), 2);
    await client!.waitForDiagnostics(uri, { version: 2 });
    const after = await client!.request<DiagramResult>('sbd/diagram', { uri });
    assert.doesNotMatch(after.text, /host access \(privileged: true\)/);
    assert.match(before.text, /• error TCB001 \(line 42\): Service "agent" runs privileged/);
    assert.doesNotMatch(after.text, /TCB001/, 'the finding is gone from the drawing too');
  });

  /** Waits until no sbd/boundariesChanged after `last` arrives for 1.5 s; returns the last revision seen. */
  async function settledRevision(last: number): Promise<number> {
    for (let round = 0; round < 10; round++) {
      const since = client!.mark();
      try {
        last = (await client!.waitForNotification('sbd/boundariesChanged', (params: BoundariesChangedParams) => params.revision > last, { since, timeoutMs: 1500 })).revision;
      } catch {
        return last;
      }
    }
    return last;
  }

  it('tells the client when the boundaries change (sbd/boundariesChanged), and not when nothing they show changed', async () => {
    const uri = uriOf(root, 'examples/compose/insecure.compose.yaml');
    const text = fs.readFileSync(path.join(root, 'examples/compose/insecure.compose.yaml'), 'utf8');
    // As the tree does when it is shown: only a client that asked for the view hears of its changes.
    await client!.request<TrustBoundariesResult>('sbd/trustBoundaries', {});
    const mark = client!.mark();
    client!.open(uri, text.replace('privileged: true', 'privileged: false'), 2);
    const changed = await client!.waitForNotification('sbd/boundariesChanged', (params: BoundariesChangedParams) => params.revision > 0, { since: mark });
    await client!.waitForDiagnostics(uri, { version: 2 });
    // Let the edit's own revisions settle (on a loaded machine a workspace-wide one can follow the file's).
    const last = await settledRevision(changed.revision);
    const quiet = client!.mark();
    // A comment changes no zone, component, flow, place before it or finding.
    client!.open(uri, `${text.replace('privileged: true', 'privileged: false')}# reviewed\n`, 3);
    await client!.waitForDiagnostics(uri, { version: 3 });
    await assert.rejects(client!.waitForNotification('sbd/boundariesChanged', (params: BoundariesChangedParams) => params.revision > last, { since: quiet, timeoutMs: 1500 }));
  });

  it('tells a client of boundary changes only once it has asked for the view (the tree or the diagram)', async () => {
    const uri = uriOf(root, 'examples/compose/insecure.compose.yaml');
    const text = fs.readFileSync(path.join(root, 'examples/compose/insecure.compose.yaml'), 'utf8');
    const mark = client!.mark();
    client!.open(uri, text.replace('privileged: true', 'privileged: false'), 2);
    await client!.waitForDiagnostics(uri, { version: 2 });
    await assert.rejects(client!.waitForNotification('sbd/boundariesChanged', () => true, { since: mark, timeoutMs: 1500 }), 'no client shows the view: it is not compared, nor announced');
    await client!.request<DiagramResult>('sbd/diagram', { uri, format: 'mermaid' });
    const asked = client!.mark();
    client!.replace(uri, 3, text);
    await client!.waitForDiagnostics(uri, { version: 3 });
    await client!.waitForNotification('sbd/boundariesChanged', () => true, { since: asked, description: 'sbd/boundariesChanged after the diagram was asked for' });
  });

  it('after a burst of keystrokes: diagnostics of every version, no boundariesChanged while typing, then one after the pause naming the final text', async () => {
    const uri = uriOf(root, 'examples/compose/insecure.compose.yaml');
    const text = fs.readFileSync(path.join(root, 'examples/compose/insecure.compose.yaml'), 'utf8');
    await client!.request<TrustBoundariesResult>('sbd/trustBoundaries', {});
    client!.open(uri, text, 1);
    await client!.waitForDiagnostics(uri, { version: 1 });
    const before = await settledRevision(0);
    // Typing a service's name: every keystroke renames a component, which the tree and the diagram show.
    const line = text.split('\n').indexOf('  worker:');
    const typed = 'queue';
    const burst = client!.mark();
    for (let i = 0; i < typed.length; i++) {
      const since = client!.mark();
      client!.change(uri, i + 2, [{ range: { start: { line, character: 8 + i }, end: { line, character: 8 + i } }, text: typed[i] }]);
      await client!.waitForDiagnostics(uri, { version: i + 2, since });
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const typedAll = client!.mark();
    const versions = client!.notifications.slice(burst, typedAll).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri).map((n) => n.params.version as number);
    assert.deepEqual([...new Set(versions)], [2, 3, 4, 5, 6], 'the diagnostics of each version, in order');
    assert.deepEqual(client!.notifications.slice(burst, typedAll).filter((n) => n.method === 'sbd/boundariesChanged'), [], 'the view is not compared between keystrokes');
    const changed = await client!.waitForNotification('sbd/boundariesChanged', (params: BoundariesChangedParams) => params.revision > before, { since: typedAll, timeoutMs: 5000 });
    assert.equal(await settledRevision(changed.revision), changed.revision, 'one notification for the whole burst');
    const after = await client!.request<TrustBoundariesResult>('sbd/trustBoundaries', { uri });
    const labels = after.zones.flatMap((zone) => zone.components.map((component) => component.label));
    assert.ok(labels.includes('workerqueue'), `the view names the renamed service (got ${labels.join(', ')})`);
    assert.ok(!labels.includes('worker'), 'and not its old name');
  });

  it('the tree\'s view: same-named services of two compose files stay two components with their own findings; zones without a level come last', async () => {
    const result = await client!.request<TrustBoundariesResult>('sbd/trustBoundaries', {});
    const apis = result.zones.flatMap((zone) => zone.components).filter((component) => component.label === 'api' && component.location?.uri.includes('/compose/'));
    const byFile = new Map(apis.map((api) => [path.basename(api.location!.uri), api]));
    assert.deepEqual([...byFile.keys()].sort(), ['hardened.compose.yaml', 'insecure.compose.yaml']);
    assert.notEqual(byFile.get('insecure.compose.yaml')!.id, byFile.get('hardened.compose.yaml')!.id);
    assert.ok(byFile.get('insecure.compose.yaml')!.findings > byFile.get('hardened.compose.yaml')!.findings, 'the insecure api keeps its findings');
    const firstUnassigned = result.zones.findIndex((zone) => zone.trust === undefined);
    assert.ok(firstUnassigned > 0, 'some zones have a level and come first');
    assert.ok(result.zones.slice(firstUnassigned).every((zone) => zone.trust === undefined), 'no level: last');
    const data = result.zones.filter((zone) => zone.label === 'data' && zone.source === 'compose-network');
    assert.equal(new Set(data.map((zone) => zone.system.id)).size, data.length, 'each compose file has its own network "data"');
  });

  it('rejects a format or URI it does not know with InvalidParams', async () => {
    await assert.rejects(client!.request('sbd/diagram', { format: 'png' }), (error: { code?: number; message: string }) => error.code === INVALID_PARAMS && /unknown diagram format "png"/.test(error.message));
    await assert.rejects(client!.request('sbd/diagram', { uri: 12 }), (error: { code?: number }) => error.code === INVALID_PARAMS);
  });
});

describe('language server: sbd/diagram of Helm charts and Kustomize overlays', function () {
  this.timeout(120_000);
  let client: LspClient | undefined;
  let root: string;

  before(() => ensureServerBundle());
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-diagram-charts-'));
    fs.cpSync(path.join(REPO_ROOT, 'test', 'charts', 'fixtures'), root, { recursive: true });
    client = await startServer({ root });
    await client.waitForNotification('sbd/status', (params: StatusParams) => params.state === 'ready' && params.files > 3);
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('draws each overlay\'s build as a system of its own and the rendered chart as one, with findings placed in the generated objects and clicks revealing the source lines', async () => {
    const mermaid = await client!.request<DiagramResult>('sbd/diagram', { format: 'mermaid' });
    const systems = [...mermaid.text.matchAll(/^ {2}subgraph s\d+\["([^"]*)"\]/gm)].map((match) => match[1]);
    assert.deepEqual(systems, [
      'node-agent/templates/, rendered Helm chart (kubernetes)',
      'overlay/base, Kustomize build (kubernetes)',
      'overlay/overlays/prod, Kustomize build (kubernetes)',
      'overlay/overlays/staging, Kustomize build (kubernetes)',
    ]);
    const svg = (await client!.request<DiagramResult>('sbd/diagram', {})).text;
    assert.deepEqual(xmlProblems(svg), []);
    const prod = svg.split('<g data-kind="node"').find((part) => part.includes('overlay/overlays/prod, Kustomize build:shop/Deployment/api'))!;
    // The escalation is the prod patch's: it sits on prod's Deployment, and the base's own build does not have it.
    assert.match(prod, /• warning ZT002 \(line 14\): Container "api" in Deployment "api" sets allowPrivilegeEscalation: true/);
    assert.match(prod, new RegExp(`data-file="${uriOf(root, 'overlay/base/deployment.yaml')}" data-line="3"`), 'a click reveals the base object the build came from');
    const base = svg.split('<g data-kind="node"').find((part) => part.includes('overlay/base, Kustomize build:default/Deployment/api'))!;
    assert.doesNotMatch(base, /ZT002/);
    const daemonSet = svg.split('<g data-kind="node"').find((part) => part.includes('DaemonSet release-name-node-agent'))!;
    assert.match(daemonSet, new RegExp(`data-file="${uriOf(root, 'node-agent/templates/')}[^"]+"`), 'the chart\'s workload reveals a template line');
    assert.match(daemonSet, /• error TCB005/);
    // The tree counts the same findings on the same objects.
    const tree = await client!.request<TrustBoundariesResult>('sbd/trustBoundaries', {});
    const counted = tree.zones.flatMap((zone) => zone.components.map((component) => [zone.label, component.label, component.findings]));
    const drawn = [...svg.matchAll(/<g data-kind="node" data-id="[^"]*:([a-z-]+)\/[A-Za-z]+\/[^"]*"[^>]*aria-label="([^,"]+), [^"]*?(\d+) findings?"/g)].map((match) => [match[1], match[2], Number(match[3])]);
    assert.equal(drawn.length, 4);
    assert.deepEqual([...counted].sort(), [...drawn].sort());
  });
});
