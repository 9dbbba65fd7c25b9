import type { Severity } from './types';

/** Per-rule overrides from `.sbd.yaml` or editor settings. */
export interface RuleSetting {
  readonly enabled: boolean;
  readonly severity?: Severity;
}

export interface Thresholds {
  /** A secret held by more services/workloads than this is reported (TCB). */
  readonly secretHolders: number;
  /** A datastore reachable from more components than this is reported (BND). */
  readonly datastoreReach: number;
  /** Number of components in the trusted computing base beyond which the model is reported. */
  readonly tcbSize: number;
}

export type TrustLevel = 'untrusted' | 'semi-trusted' | 'trusted' | 'highly-trusted';
export const TRUST_LEVELS: readonly TrustLevel[] = ['untrusted', 'semi-trusted', 'trusted', 'highly-trusted'];

export interface AnalysisOptions {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly thresholds: Thresholds;
  /** Kubernetes namespace → trust level. */
  readonly namespaceZones: Readonly<Record<string, TrustLevel>>;
  /** Compose network → trust level. */
  readonly networkZones: Readonly<Record<string, TrustLevel>>;
  /** Files larger than this are not analysed (a clear message says so). */
  readonly maxFileBytes: number;
  /** "Today" for suppression expiry; injectable so tests are deterministic. */
  readonly today: string;
}

export const DEFAULT_THRESHOLDS: Thresholds = { secretHolders: 3, datastoreReach: 3, tcbSize: 5 };
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export function defaultOptions(overrides: Partial<AnalysisOptions> = {}): AnalysisOptions {
  return {
    rules: {},
    thresholds: DEFAULT_THRESHOLDS,
    namespaceZones: {},
    networkZones: {},
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    today: new Date().toISOString().slice(0, 10),
    ...overrides,
  };
}

export const SEVERITIES_AND_OFF = ['error', 'warning', 'info'] as const;
