import { severityLabel, type Rule } from './rule';
import type { Severity } from '../core/types';
import { PATTERNS } from './patterns';
import type { MetaRule } from './meta';
import { controlLabel, controlsOfRule, type Control } from './standards';

/** Path of a rule's generated documentation, relative to the package root (docs ship in the .vsix). */
export function ruleDocPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export function patternLabel(rule: Rule): string {
  const main = PATTERNS[rule.pattern].name;
  return rule.alsoPattern ? `${main} (also ${PATTERNS[rule.alsoPattern].name})` : main;
}

/**
 * The one text that docs, hovers and SARIF help are made of. `severity` is the severity of the
 * finding being shown (a hover), else the rule's severities are listed.
 */
export function ruleMarkdown(rule: Rule, options: { heading?: boolean; severity?: Severity } = {}): string {
  const pattern = PATTERNS[rule.pattern];
  const lines: string[] = [];
  if (options.heading !== false) lines.push(`# ${rule.id}: ${rule.title}`, '');
  lines.push(
    `**Pattern:** ${patternLabel(rule)} · **Severity:** ${options.severity ?? severityLabel(rule)} · **Applies to:** ${rule.kinds.map(kindLabel).join(', ')} · **Quick fix:** ${rule.hasFix ? 'yes' : 'no'}`,
    '',
    `> ${pattern.principle}`,
    '',
    '## Why it matters',
    '',
    rule.guidance.why,
    '',
    '## How to fix',
    '',
    rule.guidance.fix,
    '',
    ...parametersSection(rule),
    ...(rule.guidance.configuration ? ['With this `.sbd.yaml`:', '', '```yaml', rule.guidance.configuration, '```', ''] : []),
    '❌ Flagged:',
    '',
    '```yaml',
    rule.guidance.bad,
    '```',
    '',
    '✅ Clean:',
    '',
    '```yaml',
    rule.guidance.good,
    '```',
    '',
    ...standardsSection(rule),
  );
  if (rule.guidance.threagile) lines.push('## Compared with Threagile', '', rule.guidance.threagile, '');
  lines.push(
    '## Suppress',
    '',
    'When the risk is accepted, say why next to the line:',
    '',
    '```yaml',
    `# sbd-ignore ${rule.id} reason="why this is acceptable here" until=YYYY-MM-DD`,
    '```',
  );
  if (rule.kinds.includes('threagile')) {
    lines.push(
      '',
      "In a Threagile model, Threagile's own `risk_tracking` works too: a finding names its Threagile risk id, and an entry for it (wildcards `*` between `@`) with status `accepted`, `in-progress`, `mitigated` or `false-positive` and a `justification` suppresses it.",
    );
  }
  if (rule.peers && rule.peers.length > 0) lines.push('', '## Related checks in other tools', '', ...rule.peers.map((peer) => `- ${peer}`));
  return lines.join('\n') + '\n';
}

/** The rule's thresholds as a table (kube-linter documents a template's parameters the same way). */
function parametersSection(rule: Rule): string[] {
  if (!rule.parameters || rule.parameters.length === 0) return [];
  return [
    'Settings (`thresholds:` in `.sbd.yaml`, `secureByDesign.thresholds` in the editor):',
    '',
    '| Setting | Default | Allowed | Meaning |',
    '|---|---|---|---|',
    ...rule.parameters.map((parameter) => `| \`${parameter.name}\` | ${parameter.default} ${parameter.unit} | ${parameter.minimum}–${parameter.maximum} | ${parameter.description} |`),
    '',
  ];
}

export function metaRuleMarkdown(meta: MetaRule): string {
  return `# ${meta.id}: ${meta.title}\n\n**Severity:** ${meta.severity}\n\n${meta.description}\n`;
}

export function kindLabel(kind: Rule['kinds'][number]): string {
  return { compose: 'Docker Compose', kubernetes: 'Kubernetes', architecture: 'architecture model', threagile: 'Threagile model' }[kind];
}

/**
 * The titles of the aspects of `rule` that `control` asks for (`['no seccomp profile']`), or
 * undefined when the control asks for the whole rule.
 */
export function askedAspects(rule: Pick<Rule, 'id' | 'aspects'>, control: Control): string[] | undefined {
  return control.aspects?.[rule.id]?.map((id) => rule.aspects?.find((aspect) => aspect.id === id)?.title ?? id);
}

/**
 * The controls a rule serves (from rules/standards.ts), as a docs section; empty when none. Each
 * names the file kinds its standard is about (a profile checks only those) and, when it asks for
 * some of the rule's aspects, which (a profile reports only those).
 */
function standardsSection(rule: Rule): string[] {
  const served = controlsOfRule(rule.id);
  if (served.length === 0) return [];
  const line = ({ standard, control }: (typeof served)[number]) => {
    const asked = askedAspects(rule, control);
    const only = asked ? `; asks this rule only for ${asked.join(', ')}` : '';
    return `- **${controlLabel(standard, control)}** (${standard.kinds.map(kindLabel).join(', ')}): ${control.title}${only}${control.note ? ` (partly: ${control.note})` : ''}`;
  };
  return ['## Standards', '', ...served.map(line), ''];
}
