import { RULES_BY_ID } from '../rules';
import { META_RULES } from '../rules/meta';
import { metaRuleMarkdown, ruleMarkdown } from '../rules/docs';
import type { RuleDocumentationResult } from '../protocol';

/** `sbd/ruleDocumentation`: the same Markdown as docs/rules, from the rule's metadata. */
export function ruleDocumentation(ruleId: unknown): RuleDocumentationResult | undefined {
  if (typeof ruleId !== 'string' || ruleId.length > 20) return undefined;
  const id = ruleId.trim().toUpperCase();
  const rule = RULES_BY_ID.get(id);
  if (rule) return { ruleId: id, title: rule.title, markdown: ruleMarkdown(rule) };
  const meta = META_RULES.find((candidate) => candidate.id === id);
  return meta ? { ruleId: id, title: meta.title, markdown: metaRuleMarkdown(meta) } : undefined;
}
