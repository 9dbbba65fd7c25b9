import type { Severity } from './types';

/** Per-rule overrides from `.sbd.yaml` or editor settings. */
export interface RuleSetting {
  readonly enabled: boolean;
  readonly severity?: Severity;
}

export type TrustLevel = 'untrusted' | 'semi-trusted' | 'trusted' | 'highly-trusted';
export const TRUST_LEVELS: readonly TrustLevel[] = ['untrusted', 'semi-trusted', 'trusted', 'highly-trusted'];

export interface AnalysisOptions {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Rule parameters set by the user, by name (`secretHolders`); a parameter not set here has its declared default. */
  readonly thresholds: Readonly<Record<string, number>>;
  /** Kubernetes namespace → trust level. */
  readonly namespaceZones: Readonly<Record<string, TrustLevel>>;
  /** Compose network → trust level. */
  readonly networkZones: Readonly<Record<string, TrustLevel>>;
  /** Files larger than this are not analysed (a clear message says so). */
  readonly maxFileBytes: number;
  /** "Today" for suppression expiry; injectable so tests are deterministic. */
  readonly today: string;
}

/** The CLI's limit; the editor's is smaller (see `maxFileBytes` in configuration.ts). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export function defaultOptions(overrides: Partial<AnalysisOptions> = {}): AnalysisOptions {
  return {
    rules: {},
    thresholds: {},
    namespaceZones: {},
    networkZones: {},
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    today: new Date().toISOString().slice(0, 10),
    ...overrides,
  };
}


/**
 * `record[key]` when `key` is the record's own: names from files and configuration (`__proto__`,
 * `toString`, `constructor`) must never reach the prototype chain.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
