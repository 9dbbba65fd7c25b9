import { MarkupKind, type Hover, type HoverParams, type Position } from 'vscode-languageserver';
import { describeId } from '../model/modelIds';
import { MODEL_SCHEMAS, describes, schemaAt } from './modelSchema';
import { idUnderCursor, occurrencesOf, rangeIn } from './modelScope';
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
      // Rendered (Helm) or built (Kustomize) text: say where the offending text came from.
      const origin = finding.origin ? `\n\n**Source:** ${finding.origin}` : '';
      if (rule) return `### ${rule.id}: ${rule.title}\n\n**Here:** ${escapeMarkdown(finding.message)}${origin}\n\n${ruleMarkdown(rule, { heading: false, severity: finding.severity })}\n${link}`;
      const meta = META_RULES.find((candidate) => candidate.id === finding.ruleId);
      return meta ? `**Here:** ${escapeMarkdown(finding.message)}\n\n${metaRuleMarkdown(meta)}` : escapeMarkdown(finding.message);
    });
    const first = here[0].range;
    return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: toRange(analysis.lines, first) };
  }
  const id = idHover(context, uri, params.position);
  if (id) return id;
  const target = keyAtOffset(analysis, offset);
  if (!target) return null;
  const value = target.interpolation ? interpolationDocumentation(target.interpolation) : (keyDocumentation(target.key, target.kind) ?? modelKeyDocumentation(target.kind, [...target.path, target.key]));
  return value ? { contents: { kind: MarkupKind.Markdown, value }, range: toRange(analysis.lines, target.range) } : null;
}

/** On a zone, component, data asset or runtime id: what it is (trust, type, zone, data ratings), from where it is defined. */
function idHover(context: ServerContext, uri: string, position: Position): Hover | null {
  const found = idUnderCursor(context, uri, position);
  if (!found) return null;
  const { scope, occurrence } = found;
  const definition = occurrencesOf(scope, occurrence.kind, occurrence.id).find((item) => item.role === 'definition');
  const model = scope.modelOf(definition?.tree ?? occurrence.tree);
  const value = model ? describeId(model, occurrence.kind, occurrence.id) : undefined;
  const where = scope.locate(occurrence.tree);
  return value && where ? { contents: { kind: MarkupKind.Markdown, value }, range: rangeIn(where, occurrence.range) } : null;
}

/** A key of an architecture or Threagile model, explained from the format's schema. */
function modelKeyDocumentation(kind: string | undefined, keys: readonly string[]): string | undefined {
  if (kind !== 'architecture' && kind !== 'threagile') return undefined;
  const description = describes(schemaAt(MODEL_SCHEMAS[kind], keys.map((key) => ({ key }))));
  return description ? `**${keys[keys.length - 1]}**: ${description}` : undefined;
}
