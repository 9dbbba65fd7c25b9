import * as vscode from 'vscode';
import { COMMAND_FACTORIES } from './commands';
import { Config } from './config';
import { Ctx, type ServerStatus } from './ctx';
import { DIAGRAM_VIEW_TYPE, DiagramPanel } from './diagramPanel';
import { RULE_DOCUMENT_SCHEME, RuleDocumentationProvider } from './ruleDocumentation';
import { StatusBar } from './statusBar';
import { TrustBoundaryTreeProvider } from './trustBoundaryTree';

export const TRUST_BOUNDARIES_VIEW = 'secureByDesign.trustBoundaries';

/** What `activate` returns: lets other extensions (and the extension-host tests) see the client's state. */
export interface SecureByDesignApi {
  readonly trustBoundaries: TrustBoundaryTreeProvider;
  readonly diagram: DiagramPanel;
  readonly status: () => ServerStatus;
  readonly statusBarText: () => string;
  /** The Trust Boundaries view's badge (undefined when none). */
  readonly badge: () => number | undefined;
}

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<SecureByDesignApi> {
  const config = new Config();
  ctx = new Ctx(context, config);
  const tree = new TrustBoundaryTreeProvider(ctx);
  const statusBar = new StatusBar(ctx);
  const diagram = new DiagramPanel(ctx, context.extensionUri);
  const view = vscode.window.createTreeView(TRUST_BOUNDARIES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  tree.setVisible(view.visible);
  const started = ctx;
  context.subscriptions.push(
    config,
    tree,
    statusBar,
    diagram,
    view,
    view.onDidChangeVisibility((event) => tree.setVisible(event.visible)),
    // The badge, the status item and the Problems panel count the same findings: the server's one total (sbd/status).
    ctx.onDidChangeStatus((status) => {
      view.badge = status.findings > 0 ? { value: status.findings, tooltip: `${status.findings} finding${status.findings === 1 ? '' : 's'} in the workspace, as in the Problems panel` } : undefined;
    }),
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCUMENT_SCHEME, new RuleDocumentationProvider(ctx)),
    // The diagram panel survives a window reload: VS Code restores it and hands it back here.
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state) => void (await diagram.restore(panel, state)) }),
    // Turning the extension off and on again stops and starts the server.
    config.onDidChange(() => {
      if (config.enable && !started.languageClient) void started.start();
      else if (!config.enable && started.languageClient) void started.stop();
    }),
    { dispose: () => void started.dispose() },
  );
  for (const [id, factory] of Object.entries(COMMAND_FACTORIES)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory({ ctx, tree, diagram })));
  }
  await ctx.start();
  return { trustBoundaries: tree, diagram, status: () => started.status, statusBarText: () => statusBar.text, badge: () => view.badge?.value };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
