import type { Rule } from './rule';
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

export function checkRegistry(rules: readonly Rule[]): void {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`duplicate rule id ${rule.id}`);
    seen.add(rule.id);
  }
}
checkRegistry(ALL_RULES);
