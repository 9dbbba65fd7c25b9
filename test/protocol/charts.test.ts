import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byCode, ensureServerBundle, positionOf, startServer, uriOf, type LspClient } from './support';

const FIXTURES = path.join(__dirname, '..', 'charts', 'fixtures');

/** A copy of a fixture folder in a temporary workspace (the tests edit files). */
function workspaceWith(...folders: string[]): string {
  const root = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'sbd-charts-'));
  for (const folder of folders) fs.cpSync(path.join(FIXTURES, folder), path.join(root, folder), { recursive: true });
  return root;
}

describe('language server: Helm charts and Kustomize overlays', function () {
  this.timeout(60_000);
  let client: LspClient | undefined;

  before(() => ensureServerBundle());
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('opening a template shows no YAML errors and the finding its literal text caused, on its line', async () => {
    const root = workspaceWith('node-agent');
    client = await startServer({ root });
    const uri = uriOf(root, 'node-agent/templates/daemonset.yaml');
    const text = fs.readFileSync(path.join(root, 'node-agent/templates/daemonset.yaml'), 'utf8');
    client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, { accept: (d) => byCode(d, 'TCB008').length === 1 });
    assert.deepEqual(byCode(published.diagnostics, 'SBD001'), [], 'a template is never parsed as YAML');
    assert.equal(published.diagnostics[0].range.start.line, positionOf(text, 'path: /').line);
  });

  it('a value set in values.yaml is reported on its values line, with the template line as related information and in the hover', async () => {
    const root = workspaceWith('node-agent');
    client = await startServer({ root });
    const valuesUri = uriOf(root, 'node-agent/values.yaml');
    const values = fs.readFileSync(path.join(root, 'node-agent/values.yaml'), 'utf8');
    const template = fs.readFileSync(path.join(root, 'node-agent/templates/daemonset.yaml'), 'utf8');
    client.open(valuesUri, values);
    const published = await client.waitForDiagnostics(valuesUri, { accept: (d) => byCode(d, 'TCB005').length === 1 });
    const [hostPid] = byCode(published.diagnostics, 'TCB005');
    const setLine = positionOf(values, 'hostPID: true').line;
    const usedLine = positionOf(template, 'hostPID:').line;
    assert.equal(hostPid.range.start.line, setLine);
    assert.deepEqual(
      hostPid.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
      [[uriOf(root, 'node-agent/templates/daemonset.yaml'), usedLine, `used in templates/daemonset.yaml:${usedLine + 1}`]],
    );
    const hover: any = await client.request('textDocument/hover', { textDocument: { uri: valuesUri }, position: hostPid.range.start });
    assert.match(hover.contents.value, new RegExp(`\`hostPID: true\` — set in values.yaml:${setLine + 1}, used in templates/daemonset.yaml:${usedLine + 1}`));
    // The quick fix edits values.yaml, where the value came from, and nothing else.
    const actions: any = await client.request('textDocument/codeAction', { textDocument: { uri: valuesUri }, range: hostPid.range, context: { diagnostics: [hostPid] } });
    const quickFix = actions.find((action: { title: string }) => action.title.startsWith('Set hostPID: false'));
    assert.ok(quickFix, `quick fix offered: ${actions.map((a: { title: string }) => a.title).join(', ')}`);
    assert.deepEqual(Object.keys(quickFix.edit.changes), [valuesUri]);
    assert.deepEqual(quickFix.edit.changes[valuesUri].map((e: { newText: string; range: { start: { line: number } } }) => [e.range.start.line, e.newText]), [[setLine, 'false']]);
  });

  it('editing a values file re-renders the chart: the finding goes when the value is fixed', async () => {
    const root = workspaceWith('node-agent');
    client = await startServer({ root });
    const valuesUri = uriOf(root, 'node-agent/values.yaml');
    const values = fs.readFileSync(path.join(root, 'node-agent/values.yaml'), 'utf8');
    client.open(valuesUri, values);
    await client.waitForDiagnostics(valuesUri, { accept: (d) => byCode(d, 'TCB005').length === 1 });
    client.replace(valuesUri, 2, values.replace('hostPID: true', 'hostPID: false'));
    const after = await client.waitForDiagnostics(valuesUri, { version: 2 });
    assert.deepEqual(byCode(after.diagnostics, 'TCB005'), []);
  });

  it('a half-typed action in a template is one diagnostic where it fails, and the other templates keep their findings', async () => {
    const root = workspaceWith('node-agent');
    client = await startServer({ root });
    const uri = uriOf(root, 'node-agent/templates/daemonset.yaml');
    const text = fs.readFileSync(path.join(root, 'node-agent/templates/daemonset.yaml'), 'utf8');
    client.open(uri, text);
    await client.waitForDiagnostics(uri, { accept: (d) => byCode(d, 'TCB008').length === 1 });
    const broken = text.replace('      volumes:', '      volumes: {{ .Values.');
    client.replace(uri, 2, broken);
    const published = await client.waitForDiagnostics(uri, { version: 2 });
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.message]),
      [['SBD008', 'Helm: template parse error: unexpected "." in operand; the rest of the chart is still analysed.']],
    );
    assert.equal(published.diagnostics[0].range.start.line, positionOf(broken, '{{ .Values.', 'volumes:').line);
    const serviceAccount = uriOf(root, 'node-agent/templates/serviceaccount.yaml');
    client.open(serviceAccount, fs.readFileSync(path.join(root, 'node-agent/templates/serviceaccount.yaml'), 'utf8'));
    const other = await client.waitForDiagnostics(serviceAccount);
    assert.deepEqual(byCode(other.diagnostics, 'SBD001'), []);
  });

  it('a Kustomize patch is not a workload: its findings are the ones it caused, on its lines; the base keeps its own', async () => {
    const root = workspaceWith('overlay');
    client = await startServer({ root });
    const patchUri = uriOf(root, 'overlay/overlays/prod/limits.yaml');
    const patch = fs.readFileSync(path.join(root, 'overlay/overlays/prod/limits.yaml'), 'utf8');
    client.open(patchUri, patch);
    const published = await client.waitForDiagnostics(patchUri, { accept: (d) => d.length > 0 });
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line]), [['ZT002', positionOf(patch, 'allowPrivilegeEscalation: true').line]]);
    const hover: any = await client.request('textDocument/hover', { textDocument: { uri: patchUri }, position: published.diagnostics[0].range.start });
    assert.match(hover.contents.value, /`allowPrivilegeEscalation: true` — set in limits\.yaml:14, used in \.\.\/\.\.\/base\/deployment\.yaml:\d+ \(in the build of \.\)/);
    const baseUri = uriOf(root, 'overlay/base/deployment.yaml');
    // The hardening baseline every build shares is reported once, on the base's container name.
    const base = await client.waitForDiagnostics(baseUri, { accept: (d) => byCode(d, 'TCB011').length === 1 });
    const baseText = fs.readFileSync(path.join(root, 'overlay/base/deployment.yaml'), 'utf8');
    assert.equal(byCode(base.diagnostics, 'TCB011')[0].range.start.line, positionOf(baseText, 'api', '- name:').line);
    assert.deepEqual(byCode(base.diagnostics, 'ZT002'), [], 'the base does not allow escalation; only the prod patch does');
  });
});
