import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { COMMANDS, DiagramRequest, type DiagramParams, type DiagramResult, type ProtocolLocation } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { diagramHtml } from './diagramHtml';

export const DIAGRAM_VIEW_TYPE = 'secureByDesign.diagram';
/** Quiet time after the last change before the diagram asks the server again (as the tree does). */
const REFRESH_DELAY_MS = 400;

export type DiagramScope = 'workspace' | 'file';

/** Messages from the webview script (media/diagram.js). */
type FromWebview = { readonly type: 'ready' } | { readonly type: 'reveal'; readonly location: unknown } | { readonly type: 'scope'; readonly scope: unknown };

/** Messages to the webview script. */
export type ToWebview =
  | { readonly type: 'diagram'; readonly svg: string; readonly counts: DiagramResult['counts']; readonly notes: readonly string[]; readonly scope: DiagramScope; readonly scopeLabel: string }
  | { readonly type: 'status'; readonly message: string; readonly scope: DiagramScope };

/**
 * The trust-boundary diagram in a webview: the server draws it (`sbd/diagram`, SVG), this panel
 * only shows it, asks again when findings or the server's state change, and turns clicks on a
 * zone, component or arrow into "reveal this line". The page runs under a strict
 * Content-Security-Policy: nothing remote, one nonce'd script from the extension's media folder.
 */
export class DiagramPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private scope: DiagramScope = 'workspace';
  /** The YAML document last active in an editor: what "the active file's project" means once the panel has focus. */
  private fileUri: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastMessage = '';
  private requests = 0;
  private result: DiagramResult | undefined;
  /** Files the current drawing refers to: the only ones a click may open. */
  private files = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly extensionUri: vscode.Uri,
  ) {
    const soon = () => this.scheduleRefresh();
    this.rememberEditor(vscode.window.activeTextEditor);
    this.subscriptions.push(
      // The server says when the view changed (edits, files on disk, settings); the tree view listens to the same.
      ctx.onDidChangeBoundaries(soon),
      vscode.workspace.onDidSaveTextDocument(soon),
      ctx.onDidChangeStatus((status) => {
        if (status.state === 'ready' || status.state === 'stopped') soon();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.rememberEditor(editor) && this.scope === 'file') soon();
      }),
    );
  }

  /** What the panel shows now (for tests and other extensions). */
  get current(): DiagramResult | undefined {
    return this.result;
  }

  get visible(): boolean {
    return this.panel?.visible === true;
  }

  /** Opens the panel beside the editor, or brings it to the front. */
  async show(scope?: DiagramScope): Promise<DiagramResult | undefined> {
    if (scope) this.scope = scope;
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      this.attach(vscode.window.createWebviewPanel(DIAGRAM_VIEW_TYPE, 'Trust-Boundary Diagram', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [media] }));
    }
    return this.refresh();
  }

  /**
   * Takes over a panel VS Code restored after a reload (its webview state names the scope it
   * showed): the page is written afresh and asks for the drawing when it is ready.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): Promise<DiagramResult | undefined> {
    const scope = (state as { scope?: unknown } | undefined)?.scope;
    if (scope === 'workspace' || scope === 'file') this.scope = scope;
    this.panel?.dispose();
    this.attach(panel);
    return this.refresh();
  }

  private attach(panel: vscode.WebviewPanel): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    // A restored panel keeps the options it was created with; set them again so scripts run and only media/ loads.
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    panel.iconPath = vscode.Uri.joinPath(media, 'activitybar.svg');
    panel.webview.html = diagramHtml(panel.webview, vscode.Uri.joinPath(media, 'diagram.js'), nonce());
    panel.webview.onDidReceiveMessage((message: FromWebview) => this.receive(message), undefined, this.subscriptions);
    panel.onDidChangeViewState(() => {
      if (panel.visible) this.scheduleRefresh();
    }, undefined, this.subscriptions);
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.lastMessage = '';
    }, undefined, this.subscriptions);
    this.panel = panel;
    this.lastMessage = '';
  }

  /** Asks the server for the diagram now and shows it; resolves with what is shown. */
  async refresh(): Promise<DiagramResult | undefined> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.panel) return undefined;
    const scope = this.scope;
    const client = this.ctx.languageClient;
    if (!client) return void this.post({ type: 'status', message: 'The Secure by Design language server is not running.', scope });
    if (scope === 'file' && !this.fileUri) return void this.post({ type: 'status', message: 'Open a compose file, manifest or architecture model to draw its project.', scope });
    const request = ++this.requests;
    const params: DiagramParams = { format: 'svg', uri: scope === 'file' ? this.fileUri : undefined };
    try {
      const result = await client.sendRequest(DiagramRequest, params);
      // A newer request is on its way: its answer wins.
      if (request !== this.requests || !this.panel) return this.result;
      this.result = result;
      this.files = new Set([...result.text.matchAll(/ data-file="([^"]*)"/g)].map((match) => unescapeAttribute(match[1])));
      const scopeLabel = scope === 'file' && this.fileUri ? vscode.workspace.asRelativePath(vscode.Uri.parse(this.fileUri)) : 'the workspace';
      this.post({ type: 'diagram', svg: result.text, counts: result.counts, notes: result.notes, scope, scopeLabel });
      return result;
    } catch (error) {
      this.ctx.output.warn(`diagram request failed: ${String(error)}`);
      this.post({ type: 'status', message: `The diagram could not be drawn: ${String(error)}`, scope });
      return this.result;
    }
  }

  private scheduleRefresh(): void {
    if (!this.panel?.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  /** Posts only what changed, so the webview keeps its scroll position while the user types. */
  private post(message: ToWebview): void {
    const key = JSON.stringify(message);
    if (!this.panel || key === this.lastMessage) return;
    this.lastMessage = key;
    void this.panel.webview.postMessage(message);
  }

  private receive(message: FromWebview): void {
    if (message?.type === 'ready') {
      // A (re)loaded page has nothing yet: send the drawing again.
      this.lastMessage = '';
      void this.refresh();
    } else if (message?.type === 'reveal') {
      const location = validLocation(message.location);
      if (location && this.files.has(location.uri)) void vscode.commands.executeCommand(COMMANDS.revealRange, location);
    } else if (message?.type === 'scope' && (message.scope === 'workspace' || message.scope === 'file')) {
      this.scope = message.scope;
      void this.refresh();
    }
  }

  private rememberEditor(editor: vscode.TextEditor | undefined): boolean {
    const document = editor?.document;
    if (!document || !['yaml', 'dockercompose'].includes(document.languageId)) return false;
    const uri = document.uri.toString();
    if (uri === this.fileUri) return false;
    this.fileUri = uri;
    return true;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** A fresh, unguessable nonce per page. */
function nonce(): string {
  return randomBytes(18).toString('hex');
}

/** A location the page sent, checked field by field: the page shows text from the workspace and is not trusted. */
function validLocation(value: unknown): ProtocolLocation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { uri, range } = value as { uri?: unknown; range?: { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } };
  const position = (point: { line?: unknown; character?: unknown } | undefined) =>
    point && Number.isInteger(point.line) && Number.isInteger(point.character) && (point.line as number) >= 0 && (point.character as number) >= 0 ? { line: point.line as number, character: point.character as number } : undefined;
  const start = position(range?.start);
  const end = position(range?.end);
  return typeof uri === 'string' && start && end ? { uri, range: { start, end } } : undefined;
}

function unescapeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#10;/g, '\n').replace(/&amp;/g, '&');
}
