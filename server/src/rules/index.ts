import type { ConfigContext } from '../core/configuration';
import type { Rule, RuleParameter } from './rule';
import { zeroTrustRules } from './zero-trust';
import { immutableRules } from './immutable';
import { boundaryRules } from './boundaries';
import { tcbRules } from './tcb';
import { failFastRules } from './fail-fast';
import { META_RULES } from './meta';

/** Every pattern rule, in pattern order. Adding a rule: one file in its pattern folder + its index. */
export const ALL_RULES: readonly Rule[] = [...zeroTrustRules, ...immutableRules, ...boundaryRules, ...tcbRules, ...failFastRules];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

/** Ids a suppression or a setting may name: pattern rules and the analysis's own findings. */
export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set([...ALL_RULES.map((rule) => rule.id), ...META_RULES.map((rule) => rule.id)]);

/** Every parameter some rule declares, each once, in rule order. */
export const RULE_PARAMETERS: readonly RuleParameter[] = [...new Set(ALL_RULES.flatMap((rule) => rule.parameters ?? []))];

/** What the configuration schema needs from the rules: which ids and parameters exist. */
export const CONFIG_CONTEXT: ConfigContext = { ruleIds: KNOWN_RULE_IDS, parameters: RULE_PARAMETERS };

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
