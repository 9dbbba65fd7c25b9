import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/src/protocol';

/**
 * The typed view of the `secureByDesign.*` settings. The server validates and applies them (it
 * pulls them through workspace/configuration); the client reads only what it needs itself, and
 * tells its parts when they change.
 */
export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when any `secureByDesign.*` setting changes. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) this.changed.fire();
    });
  }

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  get enable(): boolean {
    // The manifest declares the default; only an explicit `false` switches the server off.
    return this.section.get<boolean>('enable') !== false;
  }

  /**
   * The whole section as the server receives it through workspace/configuration: values as set,
   * unset ones as the manifest declares them. The server validates it against its schema.
   */
  get settings(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.section)) as Record<string, unknown>;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
