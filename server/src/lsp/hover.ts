import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { RULES_BY_ID } from '../rules';
import { META_RULES } from '../rules/meta';
import { metaRuleMarkdown, ruleMarkdown } from '../rules/docs';
import { interpolationDocumentation, keyDocumentation } from '../views/keyDocumentation';
import { keyAtOffset } from '../views/keyAtOffset';
import { escapeMarkdown } from '../views/markdown';
import type { ServerContext } from './context';
import { isValidPosition, isValidUri, ruleDocUri, toRange } from './convert';

const MAX_FINDINGS_IN_HOVER = 3;

/**
 * On a finding: this instance's message, then the rule's guidance (the same text as its docs).
 * Elsewhere: a short explanation of a security-relevant key or a `${…}` interpolation.
 */
export function hover(context: ServerContext, params: HoverParams): Hover | null {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri) || !isValidPosition(params.position)) return null;
  const analysis = context.analysis(uri);
  if (!analysis) return null;
  const offset = analysis.lines.offsetAt(params.position);
  const here = context.findings(uri).filter((finding) => finding.range.start <= offset && offset <= finding.range.end);
  if (here.length > 0) {
    const sections = here.slice(0, MAX_FINDINGS_IN_HOVER).map((finding) => {
      const rule = RULES_BY_ID.get(finding.ruleId);
      const link = `[Documentation](${ruleDocUri(finding.ruleId)})`;
      if (rule) return `### ${rule.id}: ${rule.title}\n\n**Here:** ${escapeMarkdown(finding.message)}\n\n${ruleMarkdown(rule, { heading: false })}\n${link}`;
      const meta = META_RULES.find((candidate) => candidate.id === finding.ruleId);
      return meta ? `**Here:** ${escapeMarkdown(finding.message)}\n\n${metaRuleMarkdown(meta)}` : escapeMarkdown(finding.message);
    });
    const first = here[0].range;
    return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: toRange(analysis.lines, first) };
  }
  const target = keyAtOffset(analysis, offset);
  if (!target) return null;
  const value = target.interpolation ? interpolationDocumentation(target.interpolation) : keyDocumentation(target.key, target.kind);
  return value ? { contents: { kind: MarkupKind.Markdown, value }, range: toRange(analysis.lines, target.range) } : null;
}
