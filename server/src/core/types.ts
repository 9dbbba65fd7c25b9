/** Data shared by every layer. Offsets are UTF-16 code-unit offsets into the analysed text. */

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export type PatternId = 'ZT' | 'IMM' | 'BND' | 'TCB' | 'FF';

/**
 * How a rule id looks: two to four letters and three digits (`ZT001`, `IMM002`, `SBD001`). The
 * server's rule registry, the client's rule picker and the settings schema all use this one.
 */
export const RULE_ID_PATTERN = '^[A-Za-z]{2,4}\\d{3}$';
const RULE_ID = new RegExp(RULE_ID_PATTERN);

export function isRuleId(text: string): boolean {
  return RULE_ID.test(text);
}
export type FileKind = 'compose' | 'kubernetes' | 'architecture' | 'threagile';

/** Half-open [start, end) offset range. */
export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /**
   * Safe fixes cannot change what the service does (adding `no-new-privileges`, pinning the digest
   * the user chose), so "fix all" may apply them in bulk, on save too. Fixes that can change
   * behaviour (`privileged: false`, `${VAR:?}`, a memory limit) are applied one by one.
   */
  readonly safe: boolean;
  /**
   * Fixes one part of a finding that lists several (one missing setting of a hardening baseline):
   * the finding stays, naming the rest, until the last part is fixed.
   */
  readonly partial?: boolean;
}

export interface RelatedLocation {
  readonly message: string;
  readonly range: OffsetRange;
  /** Absent when the location is in the same file as the finding. */
  readonly file?: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: OffsetRange;
  readonly pattern?: PatternId;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly Fix[];
  /**
   * For findings about rendered or built text (a Helm chart, a Kustomize overlay): where the
   * offending text came from, as users read it: "`hostPID: true` set in values.yaml:12, used in
   * templates/daemonset.yaml:40". Absent for findings on plain files.
   */
  readonly origin?: string;
}

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 column. */
  readonly character: number;
}
