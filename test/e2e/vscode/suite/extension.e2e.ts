// Runs inside a real VS Code extension host (code-server's, or desktop VS Code through
// @vscode/test-electron) with the examples folder open; everything goes through the public API.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SecureByDesignApi } from '../../../../client/src/extension';
import type { TrustNode } from '../../../../client/src/trustBoundaryTree';
import { COMMANDS, type TrustLevelName } from '../../../../server/src/protocol';

const EXTENSION_ID = 'secure-by-design.secure-by-design';
const COMPOSE_EXAMPLE = 'compose/insecure.compose.yaml';
const KUBERNETES_EXAMPLE = 'kubernetes/insecure.yaml';

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(100);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

function ruleOf(diagnostic: vscode.Diagnostic): string {
  return typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
}

function findingsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'sbd');
}

function describeFindings(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${ruleOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

async function openExample(relative: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri(relative)));
}

/** PIDs of language server processes started by this extension host. */
function serverPids(): number[] {
  const listing = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return listing
    .split('\n')
    .filter((line) => line.includes(path.join('dist', 'server.js')))
    .map((line) => Number.parseInt(line.trim(), 10));
}

const TRUST_ORDER: Record<TrustLevelName, number> = { untrusted: 0, 'semi-trusted': 1, trusted: 2, 'highly-trusted': 3 };

describe('Secure by Design in a real VS Code extension host', () => {
  let extension: vscode.Extension<SecureByDesignApi>;
  let api: SecureByDesignApi;

  before(async () => {
    const found = vscode.extensions.getExtension<SecureByDesignApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is installed in the extension host`);
    extension = found;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates for a YAML file and starts its language server over IPC', async () => {
    await openExample(COMPOSE_EXAMPLE);
    await waitFor(() => extension.isActive, 'activation');
    api = extension.exports;
    await waitFor(() => api.status().state === 'ready', 'the server to report ready');
    assert.equal(serverPids().length, 1, 'one language server process, a child of the extension host');
    // The server computes the scores, the item shows them: findings, then this file's and the workspace's score.
    await waitFor(() => /^\$\(shield\) \d+ · score file \d+ · workspace \d+$/.test(api.statusBarText()), `the status bar to show the finding count and the scores (shows "${api.statusBarText()}")`);
    // One count: the view's badge shows the number the status item shows (the server's published total).
    const count = Number(/^\$\(shield\) (\d+)/.exec(api.statusBarText())![1]);
    await waitFor(() => api.badge() === (count > 0 ? count : undefined), `the badge to show ${count} like the status item (shows ${api.badge()})`);
  });

  it('shows every finding the sbd CLI reports for the example compose file, at the same places', async () => {
    const editor = await openExample(COMPOSE_EXAMPLE);
    const cli = path.join(extension.extensionPath, 'dist', 'cli.js');
    const report = JSON.parse(execFileSync(process.execPath, [cli, 'scan', editor.document.uri.fsPath, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' })) as {
      files: Array<{ findings: Array<{ ruleId: string; startLine: number; startColumn: number }> }>;
    };
    const expected = report.files.flatMap((file) => file.findings);
    assert.ok(expected.length >= 5, 'the example has findings');
    const uri = editor.document.uri;
    const shown = await waitFor(() => {
      const diagnostics = findingsOf(uri);
      return expected.every((finding) => diagnostics.some((d) => ruleOf(d) === finding.ruleId && d.range.start.line === finding.startLine - 1 && d.range.start.character === finding.startColumn - 1)) && diagnostics;
    }, 'the CLI\'s findings in the editor');
    const privileged = shown.find((d) => ruleOf(d) === 'TCB001');
    assert.ok(privileged, 'the privileged service is reported');
    assert.match(editor.document.lineAt(privileged.range.start.line).text, /privileged:\s*true/);
  });

  it('applies a quick fix through a WorkspaceEdit and the finding goes away', async () => {
    const editor = await openExample(COMPOSE_EXAMPLE);
    const uri = editor.document.uri;
    const before = await waitFor(() => findingsOf(uri).length > 0 && findingsOf(uri), 'findings');
    const privileged = before.find((d) => ruleOf(d) === 'TCB001');
    assert.ok(privileged);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, privileged.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((action) => action.title);
    const fix = actions.find((action) => action.edit && action.title.endsWith('(TCB001)'));
    assert.ok(fix?.edit, `a quick fix for TCB001 among: ${titles.join(' | ')}`);
    assert.ok(titles.some((title) => title.startsWith('Suppress TCB001')), 'a "suppress with a reason" action');
    assert.ok(actions.some((action) => action.command?.command === COMMANDS.showRuleDocumentation), 'a "show documentation" action');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
    const line = privileged.range.start.line;
    const after = await waitFor(() => {
      const diagnostics = findingsOf(uri);
      return !diagnostics.some((d) => ruleOf(d) === 'TCB001' && d.range.start.line === line) && diagnostics;
    }, 'TCB001 to disappear after the fix');
    assert.ok(after.length > 0, 'the other findings stay');
    assert.ok(!after.some((d) => ruleOf(d).startsWith('SBD')), `the fixed file is valid YAML (${describeFindings(after).join('; ')})`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => findingsOf(uri).some((d) => ruleOf(d) === 'TCB001'), 'TCB001 back after reverting');
  });

  it('shows a rule\'s documentation as a rendered Markdown page', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>(COMMANDS.showRuleDocumentation, 'TCB001');
    assert.ok(uri, 'the command returns the page it opened');
    const page = await vscode.workspace.openTextDocument(uri);
    assert.match(page.getText(), /^# TCB001: Privileged container/m);
    assert.match(page.getText(), /TCB Minimization/);
    await waitFor(() => vscode.window.tabGroups.all.flatMap((group) => group.tabs).some((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.includes('TCB001')), 'the Markdown preview tab');
  });

  it('gives the trust-boundary tree zones ordered by trust (no level last), same-named zones of several files grouped, with components, flows and secret holders', async () => {
    // Trust levels come from the settings (or .sbd.yaml); without them every zone is "no level".
    const zoneLevels = { networks: { edge: 'semi-trusted', app: 'trusted', data: 'highly-trusted' }, namespaces: { shop: 'trusted' } };
    await vscode.workspace.getConfiguration('secureByDesign').update('zones', zoneLevels, vscode.ConfigurationTarget.Workspace);
    const roots = await waitFor(async () => {
      await vscode.commands.executeCommand(COMMANDS.refreshTrustBoundaries);
      const nodes = await api.trustBoundaries.getChildren();
      return nodes.some((node) => node.kind === 'zoneGroup' && node.zones[0].source === 'compose-network' && node.zones[0].trust === 'highly-trusted') && nodes;
    }, 'zones with the trust levels from the settings');
    // The examples' insecure and hardened compose files both have a network "data", and the model has a fixed copy: grouped, one row per file under it.
    const groups = roots.filter((node): node is Extract<TrustNode, { kind: 'zoneGroup' }> => node.kind === 'zoneGroup');
    assert.ok(groups.length > 0, 'same-named zones of several files are grouped');
    for (const group of groups) {
      const children = await api.trustBoundaries.getChildren(group);
      assert.equal(new Set(children.map((child) => api.trustBoundaries.getTreeItem(child).label)).size, children.length, 'each file once under its group');
    }
    const zones = (await Promise.all(roots.map(async (node) => (node.kind === 'zoneGroup' ? await api.trustBoundaries.getChildren(node) : [node])))).flat().filter((node): node is Extract<TrustNode, { kind: 'zone' }> => node.kind === 'zone');
    assert.ok(zones.length >= 3, `zones from the examples (got ${zones.map((zone) => zone.zone.label).join(', ')})`);
    const ranks = zones.map((node) => (node.zone.trust ? TRUST_ORDER[node.zone.trust] : 4));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'zones ordered from least to most trusted');
    const summary = zones.map((node) => `${node.zone.label} (${node.zone.source}, ${node.zone.trust ?? 'no level'})`).join(', ');
    for (const [network, level] of Object.entries(zoneLevels.networks)) {
      assert.ok(zones.some((node) => node.zone.label === network && node.zone.trust === level), `compose network ${network} is ${level} (got ${summary})`);
    }
    assert.ok(zones.some((node) => node.zone.source === 'kubernetes-namespace' && node.zone.label === 'shop'), `the shop namespace is a zone (got ${summary})`);
    assert.ok(zones.some((node) => node.zone.source === 'architecture' && node.zone.label === 'data' && node.zone.trust === 'highly-trusted'), `the architecture model's zones are shown too (got ${summary})`);
    const labels = roots.map((node) => api.trustBoundaries.getTreeItem(node).label);
    assert.ok(labels.includes('Secrets'), 'a Secrets node');

    const components = (await Promise.all(zones.map((zone) => api.trustBoundaries.getChildren(zone)))).flat();
    assert.ok(components.length >= zones.length, 'components under the zones');
    const flowGroups = (await Promise.all(components.map((component) => api.trustBoundaries.getChildren(component)))).flat();
    const flows = (await Promise.all(flowGroups.map((group) => api.trustBoundaries.getChildren(group)))).flat();
    assert.ok(flows.length > 0, 'flows under the components');
    for (const node of flows) {
      assert.ok(node.kind === 'flow');
      const item = api.trustBoundaries.getTreeItem(node);
      // Flows name components by id; the tree shows their labels.
      assert.match(String(item.label), /^(from|to) [^:]+$/, `a readable flow label (got "${item.label}")`);
      assert.equal(/crosses a boundary/.test(String(item.description)), node.flow.crossesBoundary, `crossing marked for ${item.label}`);
      assert.equal(/missing: /.test(String(item.description)), node.flow.missingControls.length > 0, `missing controls flagged for ${item.label}`);
      // Declared controls the deployment does not enforce (ZT106/ZT046/ZT047) warn as missing ones do.
      assert.equal((item.iconPath as vscode.ThemeIcon).id === 'warning', node.flow.missingControls.length > 0 || (node.flow.deploymentDrift?.length ?? 0) > 0, `warning icon for ${item.label}`);
    }

    const secrets = roots.find((node) => node.kind === 'secrets');
    assert.ok(secrets);
    const holders = (await Promise.all((await api.trustBoundaries.getChildren(secrets)).map((secret) => api.trustBoundaries.getChildren(secret)))).flat();
    assert.ok(holders.length > 0, 'secret holders');

    // Clicking a component reveals its definition.
    const component = components.find((node) => node.kind === 'component' && node.component.location);
    assert.ok(component && component.kind === 'component' && component.component.location);
    const item = api.trustBoundaries.getTreeItem(component);
    assert.ok(item.command, 'the item has a click command');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = await waitFor(() => vscode.window.activeTextEditor, 'an editor');
    assert.equal(editor.document.uri.toString(), component.component.location.uri);
    assert.equal(editor.selection.start.line, component.component.location.range.start.line);
  });

  it('refreshes the tree by itself when a compose file appears or disappears', async () => {
    // A hidden view waits until it is shown; this one is open, as the user would have it.
    await vscode.commands.executeCommand('secureByDesign.trustBoundaries.focus');
    const uri = workspaceUri('e2e-added.compose.yaml');
    const zoneShown = () => api.trustBoundaries.current.zones.some((zone) => zone.label.includes('e2e-backoffice'));
    assert.ok(!zoneShown());
    const text = 'services:\n  ledger:\n    image: example/ledger:1.2.3\n    networks: [e2e-backoffice]\nnetworks:\n  e2e-backoffice:\n    internal: true\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await waitFor(zoneShown, 'the new network as a zone in the tree');
    await vscode.workspace.fs.delete(uri);
    await waitFor(() => !zoneShown(), 'the zone to go away with its file');
  });

  describe('snippets expand to YAML without findings', () => {
    const insecure: Record<string, string> = {
      compose: 'services:\n  web:\n    image: nginx\n    privileged: true\n',
      kubernetes: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      securityContext:\n        privileged: true\n',
    };
    const cases: Array<{ file: string; language: string; kind: string }> = [
      { file: 'compose.json', language: 'yaml', kind: 'compose' },
      { file: 'compose.json', language: 'dockercompose', kind: 'compose' },
      { file: 'kubernetes.json', language: 'yaml', kind: 'kubernetes' },
    ];
    for (const { file, language, kind } of cases) {
      const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
      const snippets = JSON.parse(fs.readFileSync(path.join(extensionPath, 'snippets', file), 'utf8')) as Record<string, { body: string[] }>;
      for (const [name, snippet] of Object.entries(snippets)) {
        it(`${name} (${language})`, async () => {
          // Start from an insecure document so the finding count going to zero proves the expansion was analysed.
          const document = await vscode.workspace.openTextDocument({ language, content: insecure[kind] });
          const editor = await vscode.window.showTextDocument(document);
          await waitFor(() => findingsOf(document.uri).length > 0, 'findings on the insecure starting text');
          // A service snippet goes under `services:`, where the user types it.
          const lead = name === 'Hardened compose service' ? 'services:\n  ' : '';
          await editor.edit((builder) => builder.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), lead));
          assert.ok(await editor.insertSnippet(new vscode.SnippetString(snippet.body.join('\n')), document.positionAt(document.getText().length)), 'the snippet inserts');
          await vscode.commands.executeCommand('leaveSnippet');
          await waitFor(() => findingsOf(document.uri).length === 0, `no findings on the expansion (still: ${describeFindings(findingsOf(document.uri)).join('; ')})\n${document.getText()}`, 15_000);
          await delay(600);
          assert.deepEqual(describeFindings(findingsOf(document.uri)), [], 'still none once the analysis settled');
          await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        });
      }
    }
  });

  it('opens the project configuration, creating a commented .sbd.yaml the server accepts', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>(COMMANDS.openConfiguration);
    assert.ok(uri);
    assert.equal(path.basename(uri.fsPath), '.sbd.yaml');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.match(text, /^# Secure by Design project configuration/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    // An invalid line makes the server flag the file: proof it reads it, and that the template itself was clean.
    const editor = vscode.window.activeTextEditor!;
    await delay(500);
    assert.deepEqual(describeFindings(vscode.languages.getDiagnostics(uri)), [], 'the template is valid configuration');
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), 'rules:\n  NOPE999: off\n'));
    await waitFor(() => vscode.languages.getDiagnostics(uri).some((d) => /unknown rule/.test(d.message)), 'the server to report the invalid rule id');
    await waitFor(() => api.status().state === 'configError', 'the status to say the configuration is invalid');
    assert.match(api.statusBarText(), /^\$\(warning\) SbD/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => vscode.languages.getDiagnostics(uri).length === 0, 'the problem gone after reverting');
    await waitFor(() => api.status().state === 'ready', 'the status back to ready');
    await vscode.workspace.fs.delete(uri);
  });

  it('restarts the language server on command', async () => {
    const [before] = serverPids();
    await vscode.commands.executeCommand(COMMANDS.restartServer);
    await waitFor(() => api.status().state === 'ready', 'ready after the restart');
    const after = serverPids();
    assert.equal(after.length, 1);
    assert.notEqual(after[0], before, 'a new server process');
    const editor = await openExample(KUBERNETES_EXAMPLE);
    await waitFor(() => findingsOf(editor.document.uri).length > 0, 'findings from the new server');
  });

  it('restarts a language server that dies, and keeps showing findings', async () => {
    // The server of a restart just before may still be exiting: kill the one that serves, once it is alone.
    const victim = await waitFor(() => (serverPids().length === 1 ? serverPids()[0] : undefined), 'one language server process');
    assert.ok(victim);
    process.kill(victim, 'SIGKILL');
    const replacement = await waitFor(() => serverPids().find((pid) => pid !== victim), 'a new server process after the crash');
    assert.notEqual(replacement, victim);
    await waitFor(() => api.status().state === 'ready', 'ready after the crash');
    const editor = await openExample(KUBERNETES_EXAMPLE);
    await waitFor(() => findingsOf(editor.document.uri).length > 0, 'findings from the restarted server');
  });

  it('stops restarting a server that keeps dying, says so, and comes back on the restart command', async () => {
    await vscode.commands.executeCommand(COMMANDS.restartServer);
    try {
      let previous = -1;
      for (let crash = 1; crash <= 4; crash++) {
        // Kill each server only once it is up and answering, as a crash in normal use would.
        const pid = await waitFor(() => api.status().state === 'ready' && serverPids().find((candidate) => candidate !== previous), `server process #${crash} ready`);
        process.kill(pid, 'SIGKILL');
        previous = pid;
        await waitFor(() => api.status().state !== 'ready', `the client to notice crash #${crash}`);
      }
      await waitFor(() => api.status().state === 'failed', 'the client to give up');
      assert.match(api.status().message ?? '', /stopped 4 times in 3 minutes/);
      assert.equal(api.statusBarText(), '$(error) SbD');
      await delay(1500);
      assert.deepEqual(serverPids().filter((pid) => pid !== previous), [], 'no further restarts');
    } finally {
      await vscode.commands.executeCommand(COMMANDS.restartServer);
    }
    await waitFor(() => api.status().state === 'ready', 'ready after the restart command');
    const editor = await openExample(COMPOSE_EXAMPLE);
    await waitFor(() => findingsOf(editor.document.uri).length > 0, 'findings again');
  });
});

describe('Helm charts in a real VS Code extension host', () => {
  // The suite is bundled into .e2e/vscode-tests/ of the repository (support/bundle.ts); the chart fixtures sit in its test/ folder.
  const fixture = path.join(__dirname, '..', '..', 'test', 'charts', 'fixtures', 'node-agent');
  const chart = 'e2e-chart/node-agent';

  /** The hover's Markdown at a position, as the editor would show it. */
  async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
  }

  function lineOf(document: vscode.TextDocument, needle: string): number {
    const offset = document.getText().indexOf(needle);
    assert.ok(offset >= 0, `"${needle}" is in ${document.uri.path}`);
    return document.positionAt(offset).line;
  }

  before(async () => {
    assert.ok(fs.existsSync(path.join(fixture, 'Chart.yaml')), `the chart fixture is at ${fixture}`);
    await vscode.workspace.fs.copy(vscode.Uri.file(fixture), workspaceUri(chart), { overwrite: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(workspaceUri('e2e-chart'), { recursive: true });
  });

  it('opening a template shows its finding on the template line, no YAML errors, and the hover says where the text came from', async () => {
    const editor = await openExample(`${chart}/templates/daemonset.yaml`);
    const uri = editor.document.uri;
    const hostPathLine = lineOf(editor.document, 'path: /');
    const shown = await waitFor(() => findingsOf(uri).some((d) => ruleOf(d) === 'TCB008') && findingsOf(uri), 'TCB008 on the template');
    assert.deepEqual(describeFindings(shown.filter((d) => ruleOf(d).startsWith('SBD'))), [], 'a template is never parsed as plain YAML');
    const hostPath = shown.find((d) => ruleOf(d) === 'TCB008')!;
    assert.equal(hostPath.range.start.line, hostPathLine, `TCB008 on the hostPath line (${describeFindings(shown).join('; ')})`);
    const hover = await hoverText(uri, hostPath.range.start);
    assert.match(hover, new RegExp(`\\*\\*Source:\\*\\* \`path: /\` — from templates/daemonset\\.yaml:${hostPathLine + 1}`), hover);
  });

  it('a value set in values.yaml is reported there, with the template line as related information, and the hover names both lines', async () => {
    const template = await vscode.workspace.openTextDocument(workspaceUri(`${chart}/templates/daemonset.yaml`));
    const usedLine = lineOf(template, 'hostPID:');
    const editor = await openExample(`${chart}/values.yaml`);
    const uri = editor.document.uri;
    const setLine = lineOf(editor.document, 'hostPID: true');
    const hostPid = await waitFor(() => findingsOf(uri).find((d) => ruleOf(d) === 'TCB005'), 'TCB005 on values.yaml');
    assert.equal(hostPid.range.start.line, setLine);
    assert.deepEqual(
      hostPid.relatedInformation?.map((info) => [info.location.uri.toString(), info.location.range.start.line, info.message]),
      [[template.uri.toString(), usedLine, `used in templates/daemonset.yaml:${usedLine + 1}`]],
    );
    const hover = await hoverText(uri, hostPid.range.start);
    assert.match(hover, new RegExp(`\`hostPID: true\` — set in values\\.yaml:${setLine + 1}, used in templates/daemonset\\.yaml:${usedLine + 1}`), hover);
  });
});
