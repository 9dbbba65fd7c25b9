import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { ScoreResult, StatusParams } from '../../server/src/protocol';
import { ensureServerBundle, REPO_ROOT, startServer, tempWorkspace, uriOf, type LspClient } from './support';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

const COMPOSE = `services:
  web:
    image: nginx:1.27
    privileged: true
`;
const WITH_NEW = `services:
  web:
    image: nginx:1.27
    privileged: true
  agent:
    image: example/agent:2.0
    pid: host
`;

describe('language server: the workspace baseline and the score', function () {
  this.timeout(60_000);
  let client: LspClient | undefined;
  before(() => ensureServerBundle());
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  /** A workspace whose .sbd-baseline.json the CLI recorded from COMPOSE; the editor then shows WITH_NEW. */
  function workspace(): { dir: string; uri: string } {
    const dir = tempWorkspace({ 'compose.yaml': COMPOSE });
    execFileSync(process.execPath, [CLI, 'baseline'], { cwd: dir, stdio: 'pipe' });
    return { dir, uri: uriOf(dir, 'compose.yaml') };
  }

  const onLine = (diagnostics: Diagnostic[], code: string) => diagnostics.filter((d) => d.code === code);

  it('shows findings recorded in .sbd-baseline.json as hints and new ones as usual', async () => {
    const { dir, uri } = workspace();
    client = await startServer({ root: dir });
    client.open(uri, WITH_NEW, 1);
    // The baseline is read right after initialization; an open that races it is republished.
    const { diagnostics } = await client.waitForDiagnostics(uri, { version: 1, accept: (list) => list.some((d) => d.code === 'TCB005') && list.some((d) => d.code === 'TCB001' && d.severity === DiagnosticSeverity.Hint) });
    const [privileged] = onLine(diagnostics, 'TCB001');
    assert.equal(privileged.severity, DiagnosticSeverity.Hint, 'the recorded finding is a hint');
    assert.match(privileged.message, /\(in the baseline\)$/);
    assert.equal((privileged.data as { baselined?: boolean }).baselined, true);
    const [hostPid] = onLine(diagnostics, 'TCB005');
    assert.equal(hostPid.severity, DiagnosticSeverity.Error, 'the new finding keeps its severity');
    assert.equal((hostPid.data as { baselined?: boolean }).baselined, undefined);
  });

  it('hides baselined findings with baselinedFindings: hide, and picks up a rewritten baseline file', async () => {
    const { dir, uri } = workspace();
    client = await startServer({ root: dir, sbdSettings: { baselinedFindings: 'hide' } });
    client.open(uri, WITH_NEW, 1);
    const { diagnostics } = await client.waitForDiagnostics(uri, { version: 1, accept: (list) => list.some((d) => d.code === 'TCB005') && !list.some((d) => d.code === 'TCB001') });
    assert.deepEqual(onLine(diagnostics, 'TCB001'), []);
    // Accept the new finding too: the baseline is re-recorded and the editor is told the file changed.
    fs.writeFileSync(path.join(dir, 'compose.yaml'), WITH_NEW);
    execFileSync(process.execPath, [CLI, 'baseline'], { cwd: dir, stdio: 'pipe' });
    const since = client.mark();
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(dir, '.sbd-baseline.json'), type: 2 }] });
    const after = await client.waitForDiagnostics(uri, { since, accept: (list) => !list.some((d) => d.code === 'TCB005') });
    assert.deepEqual(after.diagnostics.filter((d) => d.severity !== DiagnosticSeverity.Hint), []);
  });

  it('answers sbd/score for a file and the workspace, and puts the workspace score in sbd/status', async () => {
    const dir = tempWorkspace({ 'compose.yaml': COMPOSE, 'clean.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n' });
    client = await startServer({ root: dir });
    const status: StatusParams = await client.waitForNotification('sbd/status', (params: StatusParams) => params.state === 'ready' && params.files === 2 && params.score !== undefined);
    const expected = JSON.parse(execFileSync(process.execPath, [CLI, 'scan', '--format', 'json', '--fail-on', 'never'], { cwd: dir, encoding: 'utf8' })).score;
    assert.equal(status.score, expected.overall, 'the editor and the CLI score alike');
    const result = await client.request<ScoreResult>('sbd/score', { uri: uriOf(dir, 'clean.yaml') });
    assert.equal(result.workspace.overall, expected.overall);
    assert.deepEqual(result.workspace.patterns, expected.patterns);
    assert.equal(result.file?.overall, 100);
    assert.equal(result.file?.findings, 0);
    const composeScore = await client.request<ScoreResult>('sbd/score', { uri: uriOf(dir, 'compose.yaml') });
    // TCB: 10 points for the privileged container (TCB001, error), 1 for the missing hardening baseline (TCB011, info).
    assert.ok(composeScore.file!.overall < 100 && composeScore.file!.patterns.TCB === 89, JSON.stringify(composeScore.file));
    const none = await client.request<ScoreResult>('sbd/score', { uri: 42 });
    assert.equal(none.file, undefined);
  });
});
