import type { Severity } from '../core/types';

/**
 * Findings about the analysis itself rather than about a pattern: syntax errors, suppressions
 * that need attention, files that could not be analysed, a rule that failed.
 */
export interface MetaRule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly description: string;
}

export const META = {
  syntax: { id: 'SBD001', severity: 'error', title: 'YAML syntax error', description: 'The YAML does not parse here. Documents of the file that do parse are still analysed.' },
  suppressionWithoutReason: {
    id: 'SBD002',
    severity: 'warning',
    title: 'Suppression without a reason',
    description: 'A suppression must say why: `# sbd-ignore RULE-ID reason="…"`. Without a reason, or with a placeholder such as `TODO…` where the reason belongs, it suppresses nothing.',
  },
  suppressionExpired: {
    id: 'SBD003',
    severity: 'warning',
    title: 'Suppression expired',
    description: 'The suppression’s `until=` date has passed, so the finding is reported again. Fix the finding or renew the suppression with a new reason.',
  },
  suppressionUnknownRule: {
    id: 'SBD004',
    severity: 'warning',
    title: 'Suppression names an unknown rule',
    description: 'The suppression names no rule that exists, so it suppresses nothing. Check the rule id (`sbd rules` lists them).',
  },
  ruleFailed: {
    id: 'SBD005',
    severity: 'error',
    title: 'A rule failed on this document',
    description: 'A rule threw an error on this input. The other rules still ran; please report the input that caused it.',
  },
  notAnalysed: {
    id: 'SBD006',
    severity: 'warning',
    title: 'File not analysed',
    description: 'The file is binary or larger than the configured limit (`maxFileBytes` in `.sbd.yaml`), so it was not analysed.',
  },
  duplicateKey: {
    id: 'SBD007',
    severity: 'error',
    title: 'Duplicate key',
    description: 'A key appears twice in one map. Tools keep the last value, so a later `privileged: true` silently overrides an earlier `false`; remove the duplicate.',
  },
  renderFailed: {
    id: 'SBD008',
    severity: 'error',
    title: 'Chart or overlay not rendered',
    description:
      'A Helm template failed to render (a `required` value is missing, a function is not supported, the template does not parse) or a Kustomize build failed. The diagnostic names the function or value at the place it failed; the other templates of the chart are still analysed, a failed Kustomize build yields no objects.',
  },
  remoteNotAnalysed: {
    id: 'SBD009',
    severity: 'info',
    title: 'Remote resource not analysed',
    description: 'A Kustomize resource or a Helm dependency that lives elsewhere (a URL, a git address, a chart archive) is never fetched or unpacked, so the objects it adds are not checked. Vendor it into the repository to have it analysed.',
  },
  suppressionMalformed: {
    id: 'SBD010',
    severity: 'error',
    title: 'Malformed suppression',
    description: 'The suppression has an unknown or repeated attribute, stray text or an impossible `until=` date, so it suppresses nothing: write `# sbd-ignore RULE-ID reason="…" until=YYYY-MM-DD`.',
  },
  mergeTooDeep: {
    id: 'SBD011',
    severity: 'warning',
    title: 'Merge keys nested too deep',
    description: 'A chain of `<<` merge keys is deeper than the analysis follows, so keys beyond it are not checked. Flatten the anchors.',
  },
} as const satisfies Record<string, MetaRule>;

export const META_RULES: readonly MetaRule[] = Object.values(META);
