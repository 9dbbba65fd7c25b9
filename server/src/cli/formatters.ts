import * as path from 'node:path';
import type { FileResult } from '../analysis/engine';
import type { Finding, PatternId, Severity } from '../core/types';
import { ALL_RULES, RULES_BY_ID } from '../rules';
import { META_RULES } from '../rules/meta';
import { PATTERNS } from '../rules/patterns';
import { askedAspects, patternLabel, ruleDocPath, ruleMarkdown, metaRuleMarkdown } from '../rules/docs';
import { controlLabel, controlsOfRule } from '../rules/standards';
import { PATTERN_IDS } from '../views/score';
import { toPosix } from './files';
import type { ReportedFinding, ScanReport } from './report';
import { colors as makeColors, escapeForTerminal, type Colors } from './terminal';
import packageJson from '../../../package.json';

function location(result: FileResult, finding: Finding) {
  const start = result.analysis.lines.positionAt(finding.range.start);
  const end = result.analysis.lines.positionAt(finding.range.end);
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** Findings a report shows: with a baseline, only the new ones. */
export function shownFindings(findings: readonly ReportedFinding[]): ReportedFinding[] {
  return findings.filter((item) => !item.baselined);
}

export interface Totals {
  readonly findings: number;
  readonly bySeverity: Record<Severity, number>;
  readonly byPattern: Record<string, number>;
  readonly files: number;
  readonly filesWithFindings: number;
  readonly baselined: number;
}

export function totals(report: ScanReport): Totals {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byPattern: Record<string, number> = {};
  let findings = 0;
  let filesWithFindings = 0;
  for (const file of report.files) {
    const shown = shownFindings(file.findings);
    if (shown.length > 0) filesWithFindings++;
    for (const { finding } of shown) {
      findings++;
      bySeverity[finding.severity]++;
      const group = finding.pattern ?? 'SBD';
      byPattern[group] = (byPattern[group] ?? 0) + 1;
    }
  }
  return { findings, bySeverity, byPattern, files: report.files.length, filesWithFindings, baselined: report.baseline?.baselined ?? 0 };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Text for people: findings grouped by file (`  line:col  severity  RULE  message`), then a
 * summary by severity and pattern, and the score. Every file name and message is escaped for
 * the terminal; colour only when `color` says so.
 */
export function formatText(report: ScanReport, options: { color?: boolean } = {}): string {
  const c: Colors = makeColors(options.color === true);
  const severityColor: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];
  for (const file of report.files) {
    const shown = shownFindings(file.findings);
    if (shown.length === 0) continue;
    lines.push(c.underline(escapeForTerminal(file.file)));
    for (const { finding } of shown) {
      const at = location(file.result, finding);
      const place = `${at.startLine}:${at.startColumn}`.padEnd(8);
      lines.push(`  ${c.dim(place)}  ${severityColor[finding.severity](finding.severity.padEnd(7))}  ${c.bold(finding.ruleId.padEnd(6))}  ${escapeForTerminal(finding.message)}`);
      if (finding.origin) lines.push(`  ${' '.repeat(place.length)}  ${c.dim(escapeForTerminal(finding.origin))}`);
    }
    lines.push('');
  }
  const sum = totals(report);
  if (sum.findings === 0) lines.push(`No findings in ${plural(sum.files, 'file')}.`);
  else {
    const severities = (['error', 'warning', 'info'] as const).map((s) => severityColor[s](`${sum.bySeverity[s]} ${s}`)).join(', ');
    lines.push(`${c.bold(plural(sum.findings, 'finding'))} (${severities}) in ${sum.filesWithFindings} of ${plural(sum.files, 'file')}.`);
    const patterns = [...PATTERN_IDS, 'SBD'].filter((id) => sum.byPattern[id]).map((id) => `${id in PATTERNS ? PATTERNS[id as PatternId].name : 'analysis'} ${sum.byPattern[id]}`);
    lines.push(`By pattern: ${patterns.join(' · ')}.`);
  }
  if (report.unreadable.length > 0) lines.push(c.red(`${plural(report.unreadable.length, 'file')} could not be read, so ${report.unreadable.length === 1 ? 'it was' : 'they were'} not checked: ${report.unreadable.map(escapeForTerminal).join('; ')}.`));
  if (report.configurationOff) lines.push(c.yellow(`Not checked: ${escapeForTerminal(report.configurationOff)}.`));
  if (report.baseline) lines.push(`${plural(sum.baselined, 'finding')} recorded in the baseline ${escapeForTerminal(report.baseline.file)} ${sum.baselined === 1 ? 'is' : 'are'} not shown.`);
  const score = report.score;
  const scoreColor = score.overall >= 90 ? c.green : score.overall >= 70 ? c.yellow : c.red;
  lines.push(`Score: ${c.bold(scoreColor(`${score.overall}/100`))} (${PATTERN_IDS.map((id) => `${id} ${score.patterns[id]}`).join(' · ')})${report.profile ? `, profile ${report.profile}` : ''}.`);
  return lines.join('\n') + '\n';
}

/** JSON for scripts: per-file findings (new ones only, with a baseline), totals and the score with its deductions. */
export function formatJson(report: ScanReport): string {
  const files = report.files.map((file) => ({
    file: file.file,
    kinds: [...file.result.analysis.kinds],
    findings: shownFindings(file.findings).map(({ finding, fingerprint, deduction }) => ({
      ruleId: finding.ruleId,
      pattern: finding.pattern ?? null,
      severity: finding.severity,
      message: finding.message,
      ...location(file.result, finding),
      fixable: (finding.fixes?.length ?? 0) > 0,
      fingerprint,
      scoreDeduction: deduction,
      related: (finding.related ?? []).map((related) => ({ message: related.message, file: related.file ? toPosix(related.file) : file.file })),
      ...(finding.origin ? { origin: finding.origin } : {}),
    })),
  }));
  const sum = totals(report);
  return (
    JSON.stringify(
      {
        version: report.toolVersion,
        profile: report.profile ?? null,
        configurationOff: report.configurationOff ?? null,
        unreadable: report.unreadable,
        totals: { findings: sum.findings, error: sum.bySeverity.error, warning: sum.bySeverity.warning, info: sum.bySeverity.info, byPattern: sum.byPattern, files: sum.files, filesWithFindings: sum.filesWithFindings, baselined: report.baseline ? sum.baselined : null },
        score: { overall: report.score.overall, patterns: report.score.patterns },
        files,
      },
      null,
      2,
    ) + '\n'
  );
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/** Where a rule's documentation is read on the web: the repository's docs/rules page. */
export function ruleHelpUri(ruleId: string): string {
  return `${repositoryUrl()}/blob/main/${ruleDocPath(ruleId)}`;
}

/** The project's web address, from package.json's `repository`. */
function repositoryUrl(): string {
  return String((packageJson as { repository?: { url?: string } }).repository?.url ?? '')
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
}

const sarifName = (title: string) => title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));

/**
 * SARIF 2.1.0 for code scanning: rule descriptors with the hover's full text, `helpUri` and the
 * controls each rule serves; results with stable `partialFingerprints` (no lines, no absolute
 * paths) and, with a baseline, only the new findings marked `baselineState: "new"`; the score
 * in the run's properties.
 */
export function formatSarif(report: ScanReport, cwd: string): string {
  const ruleDescriptors = [
    ...ALL_RULES.map((rule) => ({
      id: rule.id,
      name: sarifName(rule.title),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.guidance.why },
      helpUri: ruleHelpUri(rule.id),
      help: { text: `${rule.guidance.fix}`, markdown: ruleMarkdown(rule, { heading: false }) },
      defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
      properties: {
        tags: ['security', PATTERNS[rule.pattern].name, ...(rule.alsoPattern ? [PATTERNS[rule.alsoPattern].name] : [])],
        'security-severity': SECURITY_SEVERITY[rule.severity],
        pattern: patternLabel(rule),
        documentation: ruleDocPath(rule.id),
        // `PSS Seccomp (restricted): no seccomp profile` where the control asks for part of the rule.
        controls: controlsOfRule(rule.id).map(({ standard, control }) => {
          const asked = askedAspects(rule, control);
          return `${controlLabel(standard, control)}${asked ? `: ${asked.join(', ')}` : ''}`;
        }),
      },
    })),
    ...META_RULES.map((meta) => ({
      id: meta.id,
      name: sarifName(meta.title),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.description },
      helpUri: ruleHelpUri(meta.id),
      help: { text: meta.description, markdown: metaRuleMarkdown(meta) },
      defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
      properties: { tags: ['sbd'] },
    })),
  ];
  const ruleIndex = new Map(ruleDescriptors.map((descriptor, index) => [descriptor.id, index]));
  const artifact = (file: string) => ({ uri: encodeURI(toPosix(path.isAbsolute(file) ? path.relative(cwd, file) : file)), uriBaseId: '%SRCROOT%' });
  const linesOf = new Map(report.files.map((file) => [file.result.analysis.file, file.result.analysis.lines]));
  const results = report.files.flatMap((file) =>
    shownFindings(file.findings).map(({ finding, fingerprint, deduction }) => {
      const result = file.result;
      const at = location(result, finding);
      return {
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
        level: SARIF_LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(result.analysis.file), region: at } }],
        ...(finding.related && finding.related.length > 0
          ? {
              relatedLocations: finding.related.map((related, id) => {
                // A chart's finding relates a values line to a template line: both files are in the report.
                const lines = related.file ? linesOf.get(related.file) : result.analysis.lines;
                const start = lines?.positionAt(related.range.start);
                return {
                  id,
                  message: { text: related.message },
                  physicalLocation: { artifactLocation: artifact(related.file ?? result.analysis.file), ...(start ? { region: { startLine: start.line + 1, startColumn: start.character + 1 } } : {}) },
                };
              }),
            }
          : {}),
        partialFingerprints: { 'sbdFinding/v2': fingerprint },
        ...(report.baseline ? { baselineState: 'new' } : {}),
        properties: { ...(RULES_BY_ID.get(finding.ruleId) ? { pattern: RULES_BY_ID.get(finding.ruleId)!.pattern } : {}), scoreDeduction: deduction },
      };
    }),
  );
  const sum = totals(report);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'sbd', fullName: 'Secure by Design', version: report.toolVersion, semanticVersion: report.toolVersion, informationUri: repositoryUrl(), rules: ruleDescriptors } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
        // Files that could not be read make the run incomplete (SARIF 2.1.0 §3.20.14 invocations).
        invocations: [{ executionSuccessful: report.unreadable.length === 0, toolExecutionNotifications: report.unreadable.map((line) => ({ level: 'error', message: { text: line } })) }],
        properties: {
          score: report.score.overall,
          patternScores: report.score.patterns,
          profile: report.profile ?? null,
          baselined: report.baseline ? sum.baselined : null,
          configurationOff: report.configurationOff ?? null,
        },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function pathToFileUri(directory: string): string {
  const posix = toPosix(directory);
  return `file://${posix.startsWith('/') ? '' : '/'}${encodeURI(posix)}/`;
}
