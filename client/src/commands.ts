import * as vscode from 'vscode';
import { COMMANDS, isRuleId, ScanWorkspaceRequest, type ProtocolLocation, type ScanWorkspaceResult } from '../../server/src/protocol';
import { CONFIG_TEMPLATE } from './configTemplate';
import type { Ctx } from './ctx';
import { showRuleDocument } from './ruleDocumentation';
import type { TrustBoundaryTreeProvider } from './trustBoundaryTree';

/** What the command factories may use. */
export interface CommandDeps {
  readonly ctx: Ctx;
  readonly tree: TrustBoundaryTreeProvider;
}

type Factory = (deps: CommandDeps) => (...args: any[]) => unknown;


async function scanWorkspace({ ctx, tree }: CommandDeps): Promise<ScanWorkspaceResult | undefined> {
  const client = ctx.languageClient;
  if (!client) {
    void vscode.window.showWarningMessage('Secure by Design: the language server is not running. Run "Secure by Design: Restart Server".');
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Secure by Design: scanning the workspace' },
    () => client.sendRequest(ScanWorkspaceRequest),
  );
  void tree.refresh();
  void vscode.window.showInformationMessage(`Secure by Design: ${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.files} YAML file${result.files === 1 ? '' : 's'}.`);
  return result;
}

/** Rules with findings in the workspace, most frequent first (the server's rule list is not exposed). */
function rulesInDiagnostics(): Array<{ ruleId: string; count: number; example: string }> {
  const counts = new Map<string, { count: number; example: string }>();
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== 'sbd') continue;
      const code = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code ?? '');
      if (!isRuleId(code)) continue;
      const entry = counts.get(code) ?? { count: 0, example: diagnostic.message };
      entry.count++;
      counts.set(code, entry);
    }
  }
  return [...counts].map(([ruleId, entry]) => ({ ruleId, ...entry })).sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId));
}

/** A quick pick of the rules seen in the workspace; typing any other rule id works too. */
async function pickRule(): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { ruleId: string }>();
  const seen = rulesInDiagnostics().map((rule) => ({ label: rule.ruleId, ruleId: rule.ruleId, description: `${rule.count} finding${rule.count === 1 ? '' : 's'}`, detail: rule.example }));
  quickPick.title = 'Secure by Design: rule documentation';
  quickPick.placeholder = seen.length > 0 ? 'Pick a rule with findings, or type a rule id (e.g. TCB001)' : 'Type a rule id (e.g. TCB001)';
  quickPick.matchOnDetail = true;
  quickPick.items = seen;
  quickPick.onDidChangeValue((value) => {
    const typed = value.trim().toUpperCase();
    const typedItem = isRuleId(typed) && !seen.some((item) => item.ruleId === typed) ? [{ label: typed, ruleId: typed, description: 'show its documentation' }] : [];
    quickPick.items = [...typedItem, ...seen];
  });
  const picked = await new Promise<string | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.ruleId));
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  return picked;
}

async function showRuleDocumentation(_deps: CommandDeps, ruleId?: unknown): Promise<vscode.Uri | undefined> {
  const id = typeof ruleId === 'string' && isRuleId(ruleId.trim()) ? ruleId.trim() : await pickRule();
  return id ? showRuleDocument(id) : undefined;
}

/** Opens `.sbd.yaml` of the active editor's folder (or the first folder), creating a commented one. */
async function openConfiguration(): Promise<vscode.Uri | undefined> {
  const activeUri = vscode.window.activeTextEditor?.document.uri;
  const folder = (activeUri && vscode.workspace.getWorkspaceFolder(activeUri)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Secure by Design: open a folder first; .sbd.yaml lives at the root of the project.');
    return undefined;
  }
  let target: vscode.Uri | undefined;
  for (const name of ['.sbd.yaml', '.sbd.yml']) {
    const candidate = vscode.Uri.joinPath(folder.uri, name);
    if (await exists(candidate)) {
      target = candidate;
      break;
    }
  }
  if (!target) {
    target = vscode.Uri.joinPath(folder.uri, '.sbd.yaml');
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(CONFIG_TEMPLATE));
  }
  await vscode.window.showTextDocument(target);
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function revealRange(_deps: CommandDeps, location?: ProtocolLocation): Promise<void> {
  if (!location) return;
  const { start, end } = location.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection: range, preserveFocus: false });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/**
 * Inserts a snippet the server's code action sends (a suppression with the cursor in its empty
 * reason): the language server protocol's edits have no tab stops, the editor's snippets do.
 */
async function insertSnippet(_deps: CommandDeps, uri?: unknown, position?: { line: number; character: number }, snippet?: unknown): Promise<void> {
  if (typeof uri !== 'string' || typeof snippet !== 'string' || !position) return;
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preserveFocus: false });
  await editor.insertSnippet(new vscode.SnippetString(snippet), new vscode.Position(position.line, position.character));
}

/** Command id → factory; extension.ts registers each one. */
export const COMMAND_FACTORIES: Record<(typeof COMMANDS)[keyof typeof COMMANDS], Factory> = {
  [COMMANDS.scanWorkspace]: (deps) => () => scanWorkspace(deps),
  [COMMANDS.showRuleDocumentation]: (deps) => (ruleId?: unknown) => showRuleDocumentation(deps, ruleId),
  [COMMANDS.refreshTrustBoundaries]: (deps) => () => deps.tree.refresh(),
  [COMMANDS.openConfiguration]: () => () => openConfiguration(),
  [COMMANDS.restartServer]: (deps) => () => deps.ctx.restart(),
  [COMMANDS.revealRange]: (deps) => (location?: ProtocolLocation) => revealRange(deps, location),
  [COMMANDS.insertSnippet]: (deps) => (uri?: unknown, position?: { line: number; character: number }, snippet?: unknown) => insertSnippet(deps, uri, position, snippet),
};
