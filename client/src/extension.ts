import * as vscode from 'vscode';
import { COMMAND_FACTORIES } from './commands';
import { Config } from './config';
import { Ctx, type ServerStatus } from './ctx';
import { DiagramPanel } from './diagramPanel';
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
    tree.onDidChangeTreeData(() => {
      const findings = tree.findingCount;
      view.badge = findings > 0 ? { value: findings, tooltip: `${findings} finding${findings === 1 ? '' : 's'} on the components shown` } : undefined;
    }),
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCUMENT_SCHEME, new RuleDocumentationProvider(ctx)),
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
  return { trustBoundaries: tree, diagram, status: () => started.status, statusBarText: () => statusBar.text };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
