import * as vscode from 'vscode';
import { SETTINGS_SECTION, type ClientSettings } from '../../server/src/protocol';

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
    return this.section.get<boolean>('enable', true);
  }

  /** The whole section as the server receives it (defaults come from the manifest). */
  get settings(): ClientSettings {
    const section = this.section;
    return {
      enable: section.get('enable', true),
      rules: section.get('rules', {}),
      thresholds: section.get('thresholds', {}),
      zones: section.get('zones', { namespaces: {}, networks: {} }),
      ignore: section.get('ignore', []),
      maxFileBytes: section.get('maxFileBytes', 3 * 1024 * 1024),
      debounceMs: section.get('debounceMs', 150),
      baselinedFindings: section.get('baselinedFindings', 'hint'),
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
