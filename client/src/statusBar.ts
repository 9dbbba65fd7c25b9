import * as vscode from 'vscode';
import { COMMANDS } from '../../server/src/protocol';
import type { Ctx, ServerStatus } from './ctx';

/** The status bar item: finding count while the server runs, its state otherwise. */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(ctx: Ctx) {
    this.item = vscode.window.createStatusBarItem('secureByDesign.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Secure by Design';
    this.subscription = ctx.onDidChangeStatus((status) => this.show(status));
    this.show(ctx.status);
    this.item.show();
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
      case 'ready':
        item.text = `$(shield) ${status.findings}`;
        item.tooltip = `Secure by Design: ${findings} in ${files}. Click to open the Problems panel.`;
        item.command = 'workbench.actions.view.problems';
        break;
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
    this.subscription.dispose();
    this.item.dispose();
  }
}
