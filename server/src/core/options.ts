import type { FileKind, Severity } from './types';

/**
 * Per-rule overrides from `.sbd.yaml` or editor settings, and a profile's selection
 * (rules/standards.ts `profileRuleSettings`), which may also narrow what a rule reports.
 */
export interface RuleSetting {
  readonly enabled: boolean;
  readonly severity?: Severity;
  /**
   * Only these aspects of the rule are reported (ids the rule declares in `Rule.aspects`), each
   * with the labels of what asks for it (`PSS Seccomp (restricted)`); every aspect when absent.
   * A finding about another aspect is left out, not reported at its own severity.
   */
  readonly aspects?: Readonly<Record<string, readonly string[]>>;
  /** The file kinds the rule checks (a standard about Pods does not judge compose services); every kind when absent. */
  readonly kinds?: readonly FileKind[];
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
  /**
   * Registries (and registry paths) images may come from, as written under `trustedRegistries:`
   * (`registry.example.com`, `ghcr.io/example-org`, `docker.io/library`); unset: no allow-list.
   */
  readonly trustedRegistries?: readonly string[];
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
    trustedRegistries: [],
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
