import * as vscode from 'vscode';
import { COMMANDS } from '../../server/src/protocol';
import type { Ctx, ServerStatus } from './ctx';

/**
 * The status bar item: finding count and the score of the file in the editor and of the workspace
 * while the server runs (the server computes, the item shows), the server's state otherwise.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];
  /** The active file's score, fetched when the editor or the findings change. */
  private fileScore: number | undefined;
  private request = 0;

  constructor(private readonly ctx: Ctx) {
    this.item = vscode.window.createStatusBarItem('secureByDesign.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Secure by Design';
    this.subscriptions = [
      ctx.onDidChangeStatus((status) => {
        this.show(status);
        void this.refreshFileScore();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refreshFileScore()),
    ];
    this.show(ctx.status);
    this.item.show();
  }

  private async refreshFileScore(): Promise<void> {
    const request = ++this.request;
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const result = await this.ctx.score(uri);
    if (request !== this.request) return;
    this.fileScore = result?.file?.overall;
    this.show(this.ctx.status);
  }

  /** What the item shows now (for tests and the palette). */
  get text(): string {
    return this.item.text;
  }

  private show(status: ServerStatus): void {
    const item = this.item;
    item.backgroundColor = undefined;
    const files = `${status.files} YAML file${status.files === 1 ? '' : 's'}`;
    const findings = `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
    switch (status.state) {
      case 'starting':
        item.text = '$(sync~spin) SbD';
        item.tooltip = 'Secure by Design: starting the language server';
        item.command = undefined;
        break;
      case 'indexing':
        item.text = '$(sync~spin) SbD';
        item.tooltip = `Secure by Design: indexing the workspace (${files} so far)`;
        item.command = undefined;
        break;
      case 'ready': {
        const scores = [this.fileScore !== undefined ? `file ${this.fileScore}` : undefined, status.score !== undefined ? `workspace ${status.score}` : undefined].filter(Boolean);
        // Configuration that turned checks off is always in sight: a clean count must not hide it.
        // "$(shield) 52 · score file 76 · workspace 54": the count, then the scores named as such.
        item.text = `$(shield) ${status.findings}${scores.length > 0 ? ` · score ${scores.join(' · ')}` : ''}${status.configurationOff ? ` · ${status.configurationOff}` : ''}`;
        item.tooltip = `Secure by Design: ${findings} in ${files}.${this.fileScore !== undefined ? ` Score of this file: ${this.fileScore}/100.` : ''}${status.score !== undefined ? ` Score of the workspace: ${status.score}/100.` : ''}${status.configurationOff ? ` Not checked: ${status.configurationOff}.` : ''}${status.notApplied ? ` Untrusted workspace: not applied: ${status.notApplied}.` : ''} Click to open the Problems panel.`;
        item.command = 'workbench.actions.view.problems';
        break;
      }
      case 'configError':
        item.text = `$(warning) SbD ${status.findings}`;
        item.tooltip = `Secure by Design: invalid configuration, the last valid one stays in force. ${status.message ?? ''} Click to open .sbd.yaml.`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        item.command = COMMANDS.openConfiguration;
        break;
      case 'stopped':
        item.text = '$(circle-slash) SbD';
        item.tooltip = `Secure by Design: the language server is stopped${status.message ? ` (${status.message})` : ''}. Click to start it.`;
        item.command = COMMANDS.restartServer;
        break;
      case 'failed':
        item.text = '$(error) SbD';
        item.tooltip = `Secure by Design: ${status.message ?? 'the language server failed'}. Click to restart it.`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        item.command = COMMANDS.restartServer;
        break;
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
