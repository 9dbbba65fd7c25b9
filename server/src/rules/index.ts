import type { ConfigContext } from '../core/configuration';
import { ownValue, type AnalysisOptions, type RuleSetting } from '../core/options';
import type { Rule, RuleParameter } from './rule';
import { zeroTrustRules } from './zero-trust';
import { immutableRules } from './immutable';
import { boundaryRules } from './boundaries';
import { tcbRules } from './tcb';
import { failFastRules } from './fail-fast';
import { META_RULES } from './meta';
import { PROFILES, profileRuleSettings } from './standards';

/** Every pattern rule, in pattern order. Adding a rule: one file in its pattern folder + its index. */
export const ALL_RULES: readonly Rule[] = [...zeroTrustRules, ...immutableRules, ...boundaryRules, ...tcbRules, ...failFastRules];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

/** Ids a suppression or a setting may name: pattern rules and the analysis's own findings. */
export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set([...ALL_RULES.map((rule) => rule.id), ...META_RULES.map((rule) => rule.id)]);

/** Every parameter some rule declares, each once, in rule order. */
export const RULE_PARAMETERS: readonly RuleParameter[] = [...new Set(ALL_RULES.flatMap((rule) => rule.parameters ?? []))];

/** What the configuration schema needs from the rules: which ids, parameters and profiles exist. */
export const CONFIG_CONTEXT: ConfigContext = {
  ruleIds: KNOWN_RULE_IDS,
  parameters: RULE_PARAMETERS,
  profiles: PROFILES.map((profile) => ({ value: profile.id, description: profile.title })),
};

/**
 * `options` with a profile's selection of rules under their own rule settings, so an explicit
 * `IMM002: off` stays off and `ZT002: warning` sets the severity; a rule the profile selects keeps
 * the profile's file kinds and aspects under such a setting (the profile still decides what is
 * asked). Unchanged without a profile. Throws for an unknown profile id (the configuration reader
 * and the command line validate it first).
 */
export function withProfile(options: AnalysisOptions, profile: string | undefined): AnalysisOptions {
  if (!profile) return options;
  const selection = profileRuleSettings(profile, ALL_RULES);
  const own = Object.entries(options.rules).map(([id, setting]): [string, RuleSetting] => {
    const selected = ownValue(selection, id);
    return [id, selected?.enabled && setting.enabled ? { ...setting, ...(selected.kinds ? { kinds: selected.kinds } : {}), ...(selected.aspects ? { aspects: selected.aspects } : {}) } : setting];
  });
  return { ...options, rules: { ...selection, ...Object.fromEntries(own) } };
}

export function checkRegistry(rules: readonly Rule[]): void {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`duplicate rule id ${rule.id}`);
    seen.add(rule.id);
  }
  const parameters = new Map<string, RuleParameter>();
  for (const parameter of rules.flatMap((rule) => rule.parameters ?? [])) {
    if ((parameters.get(parameter.name) ?? parameter) !== parameter) throw new Error(`parameter ${parameter.name} is declared twice; rules that share it must list the same declaration`);
    parameters.set(parameter.name, parameter);
  }
}
checkRegistry(ALL_RULES);
