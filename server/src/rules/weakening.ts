import type { ConfigOverlay } from '../core/configuration';
import { ownValue, type AnalysisOptions, type RuleSetting } from '../core/options';
import type { Severity } from '../core/types';
import { ALL_RULES, RULE_PARAMETERS, withProfile } from './index';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/**
 * What a repository's configuration turns off or weakens compared with the defaults: rules off
 * (also by a profile), rules reported at a milder severity, rules a profile narrows to its
 * standard's file kinds or to the parts its controls ask for, ignore globs, thresholds raised (every
 * rule parameter is a budget: more is laxer). Shown wherever results are shown, so that a clean
 * result always says what it did not check.
 */
export interface Weakening {
  readonly rulesOff: readonly string[];
  readonly rulesMilder: readonly string[];
  /** Rules a profile keeps on for some file kinds or some of their aspects only (`RuleSetting.kinds`, `.aspects`). */
  readonly rulesNarrowed: readonly string[];
  readonly ignore: readonly string[];
  readonly thresholdsRaised: readonly string[];
}

/** What `overlay` (with its profile) turns off relative to `base`'s rules and the rules' defaults. */
export function weakeningOf(overlay: ConfigOverlay, base: AnalysisOptions, profile = overlay.profile): Weakening {
  const rules = { ...base.rules, ...(overlay.rules ?? {}) };
  const effective = withProfile({ ...base, rules }, profile).rules;
  const rulesOff: string[] = [];
  const rulesMilder: string[] = [];
  const rulesNarrowed: string[] = [];
  const narrowed = (setting: RuleSetting | undefined) => setting?.enabled !== false && (setting?.kinds !== undefined || setting?.aspects !== undefined);
  for (const rule of ALL_RULES) {
    const before = ownValue(base.rules, rule.id);
    const after = ownValue(effective, rule.id);
    if (after?.enabled === false && before?.enabled !== false) rulesOff.push(rule.id);
    else if (after?.severity && SEVERITY_RANK[after.severity] < SEVERITY_RANK[before?.severity ?? rule.severity]) rulesMilder.push(rule.id);
    if (narrowed(after) && !narrowed(before)) rulesNarrowed.push(rule.id);
  }
  const thresholdsRaised = RULE_PARAMETERS.filter((parameter) => {
    const value = overlay.thresholds ? ownValue(overlay.thresholds, parameter.name) : undefined;
    return value !== undefined && value > (ownValue(base.thresholds, parameter.name) ?? parameter.default);
  }).map((parameter) => parameter.name);
  return { rulesOff, rulesMilder, rulesNarrowed, ignore: overlay.ignore ?? [], thresholdsRaised };
}

/** "12 rules off, 1 ignore glob by .sbd.yaml", or undefined when nothing is weakened. */
export function describeWeakening(weakening: Weakening, source: string): string | undefined {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    weakening.rulesOff.length > 0 ? `${count(weakening.rulesOff.length, 'rule', 'rules')} off` : undefined,
    weakening.rulesMilder.length > 0 ? `${count(weakening.rulesMilder.length, 'rule', 'rules')} milder` : undefined,
    weakening.rulesNarrowed.length > 0 ? `${count(weakening.rulesNarrowed.length, 'rule', 'rules')} narrowed to the profile's files or parts` : undefined,
    weakening.ignore.length > 0 ? count(weakening.ignore.length, 'ignore glob', 'ignore globs') : undefined,
    weakening.thresholdsRaised.length > 0 ? `${count(weakening.thresholdsRaised.length, 'threshold', 'thresholds')} raised` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? `${parts.join(', ')} by ${source}` : undefined;
}

/**
 * The part of a repository's configuration that may apply in a workspace the user has not
 * trusted: what makes analysis stricter or only describes the system (zones, architecture paths).
 * Dropped: rules off or milder, ignore globs, raised thresholds, `maxFileBytes` and the profile
 * (a profile turns rules off). Fail closed: an unknown repository must not silence its own findings.
 */
export function untrustedOverlay(overlay: ConfigOverlay): ConfigOverlay {
  const rules = Object.fromEntries(
    Object.entries(overlay.rules ?? {}).filter(([id, setting]) => {
      const rule = ALL_RULES.find((candidate) => candidate.id === id);
      return rule !== undefined && setting.enabled && (!setting.severity || SEVERITY_RANK[setting.severity] >= SEVERITY_RANK[rule.severity]);
    }),
  );
  const thresholds = Object.fromEntries(
    Object.entries(overlay.thresholds ?? {}).filter(([name, value]) => {
      const parameter = RULE_PARAMETERS.find((candidate) => candidate.name === name);
      return parameter !== undefined && value <= parameter.default;
    }),
  );
  return { ...overlay, rules, thresholds, ignore: undefined, maxFileBytes: undefined, profile: undefined };
}
