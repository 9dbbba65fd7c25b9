import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  COMMANDS,
  TrustBoundariesRequest,
  type ProtocolLocation,
  type SecretHoldersInfo,
  type TrustBoundariesParams,
  type TrustBoundariesResult,
  type TrustComponentInfo,
  type TrustFlowInfo,
  type TrustZoneInfo,
} from '../../server/src/protocol';
import type { Ctx } from './ctx';

/** One row of the tree; `kind` says which part of the server's answer it shows. */
export type TrustNode =
  /** Zones of the same name and level from several files (a model and its fixed copy): one row, a child per file. */
  | { readonly kind: 'zoneGroup'; readonly zones: readonly TrustZoneInfo[] }
  /** `inGroup`: shown under its group, labelled by the file it comes from. */
  | { readonly kind: 'zone'; readonly zone: TrustZoneInfo; readonly inGroup?: boolean }
  | { readonly kind: 'component'; readonly component: TrustComponentInfo }
  | { readonly kind: 'flows'; readonly direction: 'inbound' | 'outbound'; readonly component: TrustComponentInfo }
  | { readonly kind: 'flow'; readonly direction: 'inbound' | 'outbound'; readonly flow: TrustFlowInfo }
  | { readonly kind: 'secrets'; readonly secrets: readonly SecretHoldersInfo[] }
  | { readonly kind: 'secret'; readonly secret: SecretHoldersInfo }
  | { readonly kind: 'holder'; readonly component: string; readonly location?: ProtocolLocation };

const EMPTY: TrustBoundariesResult = { zones: [], secrets: [] };
/** Quiet time after the last change before the tree asks the server again. */
const REFRESH_DELAY_MS = 400;

const TRUST_ICONS: Record<string, string> = { untrusted: 'globe', 'semi-trusted': 'unlock', trusted: 'lock', 'highly-trusted': 'shield' };
const COMPONENT_ICONS: Record<string, string> = { datastore: 'database', gateway: 'cloud', vault: 'key', queue: 'inbox', external: 'globe', client: 'device-desktop', user: 'person' };

/**
 * The trust-boundary view: zones ordered by trust (the server orders them) → components →
 * inbound/outbound flows, and a "Secrets" node listing who holds which secret. The data comes
 * from `sbd/trustBoundaries`; this class only turns it into tree items.
 */
export class TrustBoundaryTreeProvider implements vscode.TreeDataProvider<TrustNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TrustNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: TrustBoundariesResult = EMPTY;
  private dataKey = '';
  /** Component id → label: flows and secret holders refer to components by id. */
  private labels = new Map<string, string>();
  private loaded: Promise<TrustBoundariesResult> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Hidden views do not ask the server on every change; they catch up when shown. */
  private visible = false;
  private stale = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    const soon = () => this.scheduleRefresh();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(soon),
      watcher.onDidChange(soon),
      watcher.onDidDelete(soon),
      // The server says when the view changed (edits in open buffers, files on disk, settings).
      ctx.onDidChangeBoundaries(soon),
      ctx.onDidChangeStatus((status) => {
        if (status.state === 'ready' || status.state === 'stopped') soon();
      }),
    );
  }

  /** Fetches the zones again now; resolves when the tree has the new data. */
  refresh(): Promise<TrustBoundariesResult> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stale = false;
    this.loaded = this.fetch().then((result) => {
      // Diagnostics change far more often than zones do: redraw only when the answer changed,
      // so expanded nodes do not flicker while the user types.
      const key = JSON.stringify(result);
      if (key === this.dataKey) return this.data;
      this.dataKey = key;
      this.data = result;
      this.labels = new Map(result.zones.flatMap((zone) => zone.components.map((component) => [component.id, component.label] as const)));
      this.changed.fire(undefined);
      return result;
    });
    return this.loaded;
  }

  /** Called by the view: while it is hidden, changes only mark the data stale. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.stale) void this.refresh();
  }

  private scheduleRefresh(): void {
    if (!this.visible) {
      this.stale = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private async fetch(): Promise<TrustBoundariesResult> {
    const client = this.ctx.languageClient;
    if (!client) return EMPTY;
    try {
      const params: TrustBoundariesParams = {};
      return (await client.sendRequest(TrustBoundariesRequest, params)) ?? EMPTY;
    } catch (error) {
      this.ctx.output.warn(`trust boundaries request failed: ${String(error)}`);
      return this.data;
    }
  }

  /** The answer the tree shows (after the first load). */
  get current(): TrustBoundariesResult {
    return this.data;
  }

  async getChildren(node?: TrustNode): Promise<TrustNode[]> {
    if (!node) {
      const data = await (this.loaded ?? this.refresh());
      const roots: TrustNode[] = groupZones(data.zones).map((zones) => (zones.length === 1 ? { kind: 'zone', zone: zones[0] } : { kind: 'zoneGroup', zones }));
      if (data.secrets.length > 0) roots.push({ kind: 'secrets', secrets: data.secrets });
      return roots;
    }
    switch (node.kind) {
      case 'zoneGroup':
        return node.zones.map((zone) => ({ kind: 'zone', zone, inGroup: true }));
      case 'zone':
        return node.zone.components.map((component) => ({ kind: 'component', component }));
      case 'component': {
        const groups: TrustNode[] = [];
        if (node.component.inbound.length > 0) groups.push({ kind: 'flows', direction: 'inbound', component: node.component });
        if (node.component.outbound.length > 0) groups.push({ kind: 'flows', direction: 'outbound', component: node.component });
        return groups;
      }
      case 'flows':
        return node.component[node.direction].map((flow) => ({ kind: 'flow', direction: node.direction, flow }));
      case 'secrets':
        return node.secrets.map((secret) => ({ kind: 'secret', secret }));
      case 'secret':
        return node.secret.holders.map((holder) => ({ kind: 'holder', component: holder.component, location: holder.location }));
      default:
        return [];
    }
  }

  getTreeItem(node: TrustNode): vscode.TreeItem {
    switch (node.kind) {
      case 'zoneGroup':
        return zoneGroupItem(node.zones);
      case 'zone':
        return zoneItem(node.zone, node.inGroup);
      case 'component':
        return componentItem(node.component);
      case 'flows': {
        const flows = node.component[node.direction];
        const crossing = flows.filter((flow) => flow.crossesBoundary).length;
        const item = new vscode.TreeItem(node.direction === 'inbound' ? 'Inbound' : 'Outbound', vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${flows.length}${crossing > 0 ? ` · ${crossing} crossing a boundary` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.direction === 'inbound' ? 'arrow-left' : 'arrow-right');
        item.contextValue = 'flows';
        return item;
      }
      case 'flow':
        return flowItem(node.flow, node.direction, (id) => this.labels.get(id) ?? id);
      case 'secrets': {
        const item = new vscode.TreeItem('Secrets', vscode.TreeItemCollapsibleState.Collapsed);
        const over = node.secrets.filter((secret) => secret.overBudget).length;
        item.description = `${node.secrets.length}${over > 0 ? ` · ${over} held too widely` : ''}`;
        item.iconPath = new vscode.ThemeIcon('key', over > 0 ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
        item.tooltip = 'Who holds which secret. Every holder is part of the trusted computing base: keep the list short.';
        item.contextValue = 'secrets';
        return item;
      }
      case 'secret': {
        const item = new vscode.TreeItem(node.secret.secret, vscode.TreeItemCollapsibleState.Collapsed);
        const holders = node.secret.holders.length;
        item.description = `${holders} holder${holders === 1 ? '' : 's'}${node.secret.overBudget ? ' · over the TCB budget' : ''}`;
        item.iconPath = node.secret.overBudget ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('key');
        if (node.secret.overBudget) item.tooltip = `${node.secret.secret} is over the TCB budget (TCB Minimization), as TCB010 or TCB101 reports: too many components hold it, or, in an architecture model, too many hold secrets outside a vault. Move it behind one small vault.`;
        item.contextValue = 'secret';
        return item;
      }
      case 'holder': {
        const item = new vscode.TreeItem(this.labels.get(node.component) ?? node.component, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        revealOnClick(item, node.location);
        return item;
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function findingsText(count: number): string {
  return count === 0 ? '' : ` · ${count} finding${count === 1 ? '' : 's'}`;
}

/**
 * The server's zones (least trusted first, no level last) with same-named zones of one source and
 * level from several systems put together, at the place of the first; each keeps its own file.
 */
export function groupZones(zones: readonly TrustZoneInfo[]): TrustZoneInfo[][] {
  const groups = new Map<string, TrustZoneInfo[]>();
  for (const zone of zones) {
    const key = `${zone.source}\u0000${zone.trust ?? ''}\u0000${zone.label}`;
    groups.set(key, [...(groups.get(key) ?? []), zone]);
  }
  return [...groups.values()];
}

/** Where a zone comes from, for its row under a group: the system's file (or folder), relative to the workspace. */
function systemLabel(zone: TrustZoneInfo): string {
  if (!zone.system.uri) return zone.system.id;
  const uri = vscode.Uri.parse(zone.system.uri);
  return zone.system.folder ? folderOf(uri) : vscode.workspace.asRelativePath(uri);
}

function zoneGroupItem(zones: readonly TrustZoneInfo[]): vscode.TreeItem {
  const [first] = zones;
  const item = new vscode.TreeItem(first.label, vscode.TreeItemCollapsibleState.Expanded);
  const findings = zones.reduce((sum, zone) => sum + zone.findings, 0);
  item.description = `${zones.length} files · ${first.trust ?? 'no trust level'}${findingsText(findings)}`;
  item.iconPath = first.trust ? new vscode.ThemeIcon(TRUST_ICONS[first.trust] ?? 'circle-outline') : new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.tooltip = `"${first.label}" is a zone of ${zones.length} files; each file's components are listed under it, never merged by name.`;
  item.contextValue = 'zoneGroup';
  return item;
}

function zoneItem(zone: TrustZoneInfo, inGroup = false): vscode.TreeItem {
  const item = new vscode.TreeItem(inGroup ? systemLabel(zone) : zone.label, zone.components.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  const source = zone.source === 'compose-network' ? 'compose network' : zone.source === 'kubernetes-namespace' ? 'namespace' : 'architecture zone';
  // Several compose projects often name their networks alike (app, default): say whose it is.
  const folder = zone.location && zone.source === 'compose-network' ? folderOf(vscode.Uri.parse(zone.location.uri)) : '';
  const kind = zone.source === 'compose-network' ? `network${folder ? ` in ${folder}` : ''}` : zone.source === 'kubernetes-namespace' ? 'namespace' : 'zone';
  item.description = `${kind} · ${zone.trust ?? 'no trust level'}${findingsText(zone.findings)}`;
  item.iconPath = zone.trust ? new vscode.ThemeIcon(TRUST_ICONS[zone.trust] ?? 'circle-outline') : new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.tooltip = new vscode.MarkdownString(
    `**${zone.label}** (${source})\n\nTrust level: ${zone.trust ?? '_none stated: say how much this zone is trusted (zones in `.sbd.yaml` or the architecture model)_'}\n\n${zone.components.length} component(s), ${zone.findings} finding(s)`,
  );
  item.contextValue = 'zone';
  revealOnClick(item, zone.location);
  return item;
}

/** The file's folder relative to its workspace folder, e.g. `deploy/` or `./`. */
function folderOf(file: vscode.Uri): string {
  const directory = path.posix.dirname(file.path);
  const root = vscode.workspace.getWorkspaceFolder(file);
  if (!root) return directory;
  const relative = path.posix.relative(root.uri.path, directory);
  return relative === '' ? './' : `${relative}/`;
}

function componentItem(component: TrustComponentInfo): vscode.TreeItem {
  const hasFlows = component.inbound.length + component.outbound.length > 0;
  const item = new vscode.TreeItem(component.label, hasFlows ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  const secrets = component.secrets.length > 0 ? ` · holds ${component.secrets.length} secret${component.secrets.length === 1 ? '' : 's'}` : '';
  item.description = `${component.type}${secrets}${findingsText(component.findings)}`;
  const icon = COMPONENT_ICONS[component.type] ?? 'server-process';
  item.iconPath = new vscode.ThemeIcon(icon, component.findings > 0 ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
  const lines = [`**${component.label}** (${component.type})`, `${component.inbound.length} inbound, ${component.outbound.length} outbound flow(s)`];
  if (component.secrets.length > 0) lines.push(`Secrets: ${component.secrets.join(', ')}`);
  if (component.findings > 0) lines.push(`${component.findings} finding(s) on its definition`);
  item.tooltip = new vscode.MarkdownString(lines.join('\n\n'));
  item.contextValue = 'component';
  revealOnClick(item, component.location);
  return item;
}

function flowItem(flow: TrustFlowInfo, direction: 'inbound' | 'outbound', labelOf: (componentId: string) => string): vscode.TreeItem {
  const item = new vscode.TreeItem(direction === 'inbound' ? `from ${labelOf(flow.from)}` : `to ${labelOf(flow.to)}`, vscode.TreeItemCollapsibleState.None);
  const missing = flow.missingControls.length > 0;
  const parts = [flow.label, flow.crossesBoundary ? 'crosses a boundary' : '', missing ? `missing: ${flow.missingControls.join(', ')}` : ''].filter(Boolean);
  item.description = parts.join(' · ');
  item.iconPath = missing
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : new vscode.ThemeIcon(flow.crossesBoundary ? 'arrow-swap' : direction === 'inbound' ? 'arrow-small-left' : 'arrow-small-right');
  item.tooltip = new vscode.MarkdownString(
    `${labelOf(flow.from)} → ${labelOf(flow.to)}${flow.label ? ` (${flow.label})` : ''}\n\n` +
      (flow.crossesBoundary ? 'Crosses a trust boundary: authenticate, authorize, validate and log here.' : 'Stays inside its zone.') +
      (missing ? `\n\n**Missing controls:** ${flow.missingControls.join(', ')}` : ''),
  );
  item.contextValue = missing ? 'flowMissingControls' : flow.crossesBoundary ? 'flowCrossing' : 'flow';
  revealOnClick(item, flow.location);
  return item;
}

function revealOnClick(item: vscode.TreeItem, location: ProtocolLocation | undefined): void {
  if (!location) return;
  item.command = { command: COMMANDS.revealRange, title: 'Reveal in Editor', arguments: [location] };
}
