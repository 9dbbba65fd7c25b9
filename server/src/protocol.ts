/**
 * The custom protocol between the language server and its clients, declared once and imported
 * by both sides (and usable from any LSP editor: it is plain JSON over the standard transport).
 * Only types and string constants: the client bundles this file without pulling in the server.
 */

export type TrustLevelName = 'untrusted' | 'semi-trusted' | 'trusted' | 'highly-trusted';

/** An LSP-style location: URI plus 0-based range. */
export interface ProtocolLocation {
  readonly uri: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number }; readonly end: { readonly line: number; readonly character: number } };
}

/** `sbd/trustBoundaries`: zones ordered by trust → components → flows, and who holds which secret. */
export const TRUST_BOUNDARIES_REQUEST = 'sbd/trustBoundaries';

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
  readonly trust?: TrustLevelName;
  readonly location?: ProtocolLocation;
  readonly components: readonly TrustComponentInfo[];
  readonly findings: number;
}

export interface SecretHoldersInfo {
  readonly secret: string;
  readonly holders: ReadonlyArray<{ readonly component: string; readonly location?: ProtocolLocation }>;
  /** More holders than the configured threshold (TCB budget). */
  readonly overBudget: boolean;
}

export interface TrustBoundariesResult {
  /** Ordered from least to most trusted; zones without a level come first. */
  readonly zones: readonly TrustZoneInfo[];
  readonly secrets: readonly SecretHoldersInfo[];
}

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

/** `sbd/ruleDocumentation`: the rule's documentation as Markdown (the same text as docs/rules). */
export const RULE_DOCUMENTATION_REQUEST = 'sbd/ruleDocumentation';
export interface RuleDocumentationParams {
  readonly ruleId: string;
}
export interface RuleDocumentationResult {
  readonly ruleId: string;
  readonly title: string;
  readonly markdown: string;
}

/** `sbd/scanWorkspace`: re-index the workspace from disk; answers with counts. */
export const SCAN_WORKSPACE_REQUEST = 'sbd/scanWorkspace';
export interface ScanWorkspaceResult {
  readonly files: number;
  readonly findings: number;
}

/** `sbd/status` notification from server to client: state and finding count for the status bar. */
export const STATUS_NOTIFICATION = 'sbd/status';
export interface StatusParams {
  readonly state: 'indexing' | 'ready' | 'configError';
  readonly findings: number;
  readonly files: number;
  readonly message?: string;
  /** The workspace's overall score, 0–100 (docs/scoring.md). */
  readonly score?: number;
}

/** `sbd/score`: the score of one file and of the workspace (docs/scoring.md), for status displays. */
export const SCORE_REQUEST = 'sbd/score';
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
} as const;

/** Settings under `secureByDesign.*`, as the server receives them through workspace/configuration. */
export interface ClientSettings {
  readonly enable: boolean;
  /** Rule id → off | error | warning | info. */
  readonly rules: Readonly<Record<string, string>>;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly zones: { readonly namespaces: Readonly<Record<string, string>>; readonly networks: Readonly<Record<string, string>> };
  readonly ignore: readonly string[];
  readonly maxFileBytes: number;
  /** Milliseconds of quiet typing before analysis. */
  readonly debounceMs: number;
  /** How findings recorded in the workspace's `.sbd-baseline.json` are shown: as hints, or not at all. */
  readonly baselinedFindings: 'hint' | 'hide';
}

export const SETTINGS_SECTION = 'secureByDesign';
