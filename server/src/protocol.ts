/**
 * The custom protocol between the language server and its clients, declared once and imported
 * by both sides (and usable from any LSP editor: it is plain JSON over the standard transport).
 * Each message is a typed `RequestType`/`NotificationType` constant, as rust-analyzer's
 * `lsp_ext.ts` declares them: `sendRequest` and `onRequest` take the constant, so a handler or a
 * caller with the wrong parameter or result type fails to compile. Only types and constants: the
 * client bundles this file without pulling in the server.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

export { isRuleId } from './core/types';

export type TrustLevelName = 'untrusted' | 'semi-trusted' | 'trusted' | 'highly-trusted';

/** An LSP-style location: URI plus 0-based range. */
export interface ProtocolLocation {
  readonly uri: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number }; readonly end: { readonly line: number; readonly character: number } };
}


export interface TrustBoundariesParams {
  /** Limit the answer to what one document contributes; omit for the whole workspace. */
  readonly uri?: string;
}

export interface TrustFlowInfo {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** The flow goes from one zone into another. */
  readonly crossesBoundary: boolean;
  /** Controls a boundary crossing lacks (authenticate, authorize, validate, log, …). */
  readonly missingControls: readonly string[];
  /**
   * Controls the model declares on this flow that the deployed mesh in front of its target does not
   * enforce (`mtls: Deployment "orders" accepts plain-text callers`); architecture flows only.
   */
  readonly deploymentDrift?: readonly string[];
  readonly location?: ProtocolLocation;
}

export interface TrustComponentInfo {
  readonly id: string;
  readonly label: string;
  /** service, workload, datastore, gateway, vault, … */
  readonly type: string;
  readonly location?: ProtocolLocation;
  readonly inbound: readonly TrustFlowInfo[];
  readonly outbound: readonly TrustFlowInfo[];
  readonly secrets: readonly string[];
  /** Number of findings located on this component's definition. */
  readonly findings: number;
}

export interface TrustZoneInfo {
  readonly id: string;
  readonly label: string;
  readonly source: 'compose-network' | 'kubernetes-namespace' | 'architecture';
  /**
   * The compose file, manifest folder or model file the zone belongs to: components are identified
   * per system, never merged by name across them. `uri` is its (first) file; `folder` when the
   * system is every manifest of the folder holding that file.
   */
  readonly system: { readonly id: string; readonly uri: string; readonly folder: boolean };
  readonly trust?: TrustLevelName;
  readonly location?: ProtocolLocation;
  readonly components: readonly TrustComponentInfo[];
  readonly findings: number;
}

export interface SecretHoldersInfo {
  readonly secret: string;
  readonly holders: ReadonlyArray<{ readonly component: string; readonly location?: ProtocolLocation }>;
  /** Over the TCB budget: the verdict TCB010 (compose, Kubernetes) and TCB101 (architecture models) report on. */
  readonly overBudget: boolean;
}

export interface TrustBoundariesResult {
  /** Ordered from least to most trusted; zones without a level come last. */
  readonly zones: readonly TrustZoneInfo[];
  readonly secrets: readonly SecretHoldersInfo[];
}

/**
 * Client → server, `sbd/trustBoundaries`: zones ordered by trust → components → flows, and who
 * holds which secret. The trust-boundary tree asks after every change it hears of; any editor can.
 */
export const TrustBoundariesRequest = new RequestType<TrustBoundariesParams | undefined, TrustBoundariesResult, void>('sbd/trustBoundaries');

/**
 * The trust-boundary diagram's text formats. The picture: zones as nested boxes ordered by trust,
 * components inside them, flows and network reachability as arrows coloured by their worst finding.
 */
export type DiagramFormat = 'svg' | 'mermaid' | 'dot';
export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ['svg', 'mermaid', 'dot'];

export interface DiagramParams {
  /** Only the systems this document belongs to (its compose project, manifest folder or model); omit for the whole workspace. */
  readonly uri?: string;
  /** Default `svg`. */
  readonly format?: DiagramFormat;
}

export interface DiagramResult {
  readonly format: DiagramFormat;
  /**
   * A self-contained SVG document (presentation attributes only, so a strict Content-Security-Policy
   * allows it inline; `data-file`/`data-line`/`data-character`/`data-end-line`/`data-end-character`
   * on every element that came from a line), or Mermaid or Graphviz DOT source.
   */
  readonly text: string;
  readonly counts: { readonly systems: number; readonly zones: number; readonly components: number; readonly arrows: number; readonly findings: number };
  /** What is not drawn and why (a system too large to lay out, a layout that failed). */
  readonly notes: readonly string[];
}

/**
 * Client → server, `sbd/diagram`: the trust-boundary diagram, drawn by the server (layout in a worker
 * thread) so that every editor and the CLI show the same picture. The diagram panel asks when it
 * opens and after every change it hears of; any editor can.
 */
export const DiagramRequest = new RequestType<DiagramParams | undefined, DiagramResult, void>('sbd/diagram');

/** The `data` of every diagnostic the server publishes (editors hand it back in code-action requests). */
export interface SbdDiagnosticData {
  /** Rule id, also the diagnostic's `code`. */
  readonly ruleId: string;
  /** Pattern id (ZT, IMM, BND, TCB, FF); absent for findings about the analysis itself (SBD00x). */
  readonly pattern?: string;
  readonly patternName?: string;
  /** The finding comes with at least one quick fix. */
  readonly fixable: boolean;
  /** The workspace's `.sbd-baseline.json` records this finding: it is shown as a hint. */
  readonly baselined?: boolean;
}

export interface RuleDocumentationParams {
  readonly ruleId: string;
}
export interface RuleDocumentationResult {
  readonly ruleId: string;
  readonly title: string;
  readonly markdown: string;
}

/**
 * Client → server, `sbd/ruleDocumentation`: the rule's documentation as Markdown (the same text as
 * docs/rules), for the client's "Show Rule Documentation" command. An unknown id is an InvalidParams error.
 */
export const RuleDocumentationRequest = new RequestType<RuleDocumentationParams, RuleDocumentationResult, void>('sbd/ruleDocumentation');

export interface ScanWorkspaceResult {
  readonly files: number;
  readonly findings: number;
}

/** Client → server, `sbd/scanWorkspace`: re-index the workspace from disk (the "Scan Workspace" command); answers with counts. */
export const ScanWorkspaceRequest = new RequestType0<ScanWorkspaceResult, void>('sbd/scanWorkspace');

export interface StatusParams {
  readonly state: 'indexing' | 'ready' | 'configError';
  readonly findings: number;
  readonly files: number;
  readonly message?: string;
  /** The workspace's overall score, 0–100 (docs/scoring.md). */
  readonly score?: number;
  /** What the repository's configuration turns off and is in force ("12 rules off by .sbd.yaml"). */
  readonly configurationOff?: string;
  /** What the repository's configuration would turn off but does not, because the workspace is not trusted. */
  readonly notApplied?: string;
}

/** Server → client, `sbd/status`: state and finding count for the status bar, sent when either changes. */
export const StatusNotification = new NotificationType<StatusParams>('sbd/status');

export interface BoundariesChangedParams {
  /** Counts up from 1 for the server's lifetime: a client that saw this revision already may skip it. */
  readonly revision: number;
}

/**
 * Server → client, `sbd/boundariesChanged`: the trust-boundary view (zones, components, flows,
 * secret holders, where they are and the findings on them) changed after an analysis round.
 * The tree view and the diagram ask again (`sbd/trustBoundaries`, `sbd/diagram`) when they hear it.
 * Sent only to a client that has asked for the view at least once, and not per keystroke: the
 * view is compared a short quiet time (300 ms) after the last analysis round of a burst of edits.
 */
export const BoundariesChangedNotification = new NotificationType<BoundariesChangedParams>('sbd/boundariesChanged');

export interface ScoreParams {
  /** The file whose score is wanted; omit for the workspace's only. */
  readonly uri?: string;
}
export interface ScoreSummary {
  /** 0–100. */
  readonly overall: number;
  /** Pattern id (ZT, IMM, BND, TCB, FF) → 0–100. */
  readonly patterns: Readonly<Record<string, number>>;
  readonly findings: number;
}
export interface ScoreResult {
  readonly workspace: ScoreSummary;
  readonly file?: ScoreSummary;
}

/**
 * Client → server, `sbd/score`: the score of one file and of the workspace (docs/scoring.md), from
 * the findings behind its diagnostics, for status displays. The status item asks when the
 * active editor or the findings change.
 */
export const ScoreRequest = new RequestType<ScoreParams | undefined, ScoreResult, void>('sbd/score');

/**
 * A command the server runs (workspace/executeCommand) for editors other than VS Code: opens the
 * rule's documentation with window/showDocument. Arguments: [ruleId].
 */
export const SERVER_COMMANDS = { showRuleDocumentation: 'sbd.showRuleDocumentation' } as const;

/** Commands the server's code actions refer to; the VS Code client registers them. */
export const COMMANDS = {
  showRuleDocumentation: 'secureByDesign.showRuleDocumentation',
  scanWorkspace: 'secureByDesign.scanWorkspace',
  refreshTrustBoundaries: 'secureByDesign.refreshTrustBoundaries',
  openConfiguration: 'secureByDesign.openConfiguration',
  restartServer: 'secureByDesign.restartServer',
  revealRange: 'secureByDesign.revealRange',
  showDiagram: 'secureByDesign.showDiagram',
  /** Server → client (a code action's command): insert a snippet, `insertSnippet(uri, {line, character}, snippet)`; used when the client names it in `SbdInitializationOptions.clientCommands`. */
  insertSnippet: 'secureByDesign.insertSnippet',
} as const;

/**
 * The `initializationOptions` of `initialize`, as our VS Code client sends them; other editors may
 * send none, and the server checks each field before using it.
 */
export interface SbdInitializationOptions {
  /** The `secureByDesign` settings section, validated like a workspace/configuration answer. */
  readonly settings?: Record<string, unknown>;
  /** Commands the client runs itself (COMMANDS.showRuleDocumentation, COMMANDS.insertSnippet): code actions name these instead of the server's, or use them at all. */
  readonly clientCommands?: readonly string[];
  /**
   * The editor's workspace trust (VS Code's `workspace.isTrusted`). `false`: configuration from the
   * repository that weakens analysis is not applied. Absent: trusted (editors without a notion of trust).
   */
  readonly workspaceTrusted?: boolean;
}

export interface WorkspaceTrustParams {
  readonly trusted: boolean;
}

/** Client → server, `sbd/workspaceTrust`: the workspace's trust changed (VS Code grants trust without a restart). */
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrustParams>('sbd/workspaceTrust');

/** The section of the editor settings the server reads (validated against server/src/core/configuration.ts). */
export const SETTINGS_SECTION = 'secureByDesign';
