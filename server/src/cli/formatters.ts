import type { FileResult } from '../analysis/engine';
import type { Finding, Severity } from '../core/types';
import { ALL_RULES, RULES_BY_ID } from '../rules';
import { META_RULES } from '../rules/meta';
import { PATTERNS } from '../rules/patterns';
import { patternLabel, ruleDocPath, ruleMarkdown, metaRuleMarkdown } from '../rules/docs';
import { toPosix } from './files';
import * as path from 'node:path';

export interface ScanReport {
  readonly results: readonly FileResult[];
  readonly toolVersion: string;
}

function location(result: FileResult, finding: Finding) {
  const start = result.analysis.lines.positionAt(finding.range.start);
  const end = result.analysis.lines.positionAt(finding.range.end);
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function formatText(report: ScanReport): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const perPattern = new Map<string, number>();
  let filesWithFindings = 0;
  for (const result of report.results) {
    if (result.findings.length > 0) filesWithFindings++;
    for (const finding of result.findings) {
      const at = location(result, finding);
      counts[finding.severity]++;
      const group = finding.pattern ?? 'SBD';
      perPattern.set(group, (perPattern.get(group) ?? 0) + 1);
      lines.push(`${toPosix(result.analysis.file)}:${at.startLine}:${at.startColumn}  ${finding.severity.padEnd(7)}  ${finding.ruleId.padEnd(6)}  ${finding.message}`);
    }
  }
  const total = counts.error + counts.warning + counts.info;
  const patterns = [...perPattern.entries()].map(([id, n]) => `${id} ${n}`).join(', ');
  lines.push(
    total === 0
      ? `No findings in ${report.results.length} file${report.results.length === 1 ? '' : 's'}.`
      : `${total} finding${total === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info) in ${filesWithFindings} of ${report.results.length} files; by pattern: ${patterns}.`,
  );
  return lines.join('\n') + '\n';
}

export function formatJson(report: ScanReport): string {
  const files = report.results.map((result) => ({
    file: toPosix(result.analysis.file),
    kinds: [...result.analysis.kinds],
    findings: result.findings.map((finding) => ({
      ruleId: finding.ruleId,
      pattern: finding.pattern ?? null,
      severity: finding.severity,
      message: finding.message,
      ...location(result, finding),
      fixable: (finding.fixes?.length ?? 0) > 0,
      related: (finding.related ?? []).map((related) => ({ message: related.message, file: related.file ? toPosix(related.file) : toPosix(result.analysis.file) })),
    })),
  }));
  return JSON.stringify({ version: report.toolVersion, files }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export function formatSarif(report: ScanReport): string {
  const ruleDescriptors = [
    ...ALL_RULES.map((rule) => ({
      id: rule.id,
      name: rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.guidance.why },
      help: { text: `${rule.guidance.fix}`, markdown: ruleMarkdown(rule, { heading: false }) },
      defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
      properties: { tags: ['security', PATTERNS[rule.pattern].name, ...(rule.alsoPattern ? [PATTERNS[rule.alsoPattern].name] : [])], 'security-severity': SECURITY_SEVERITY[rule.severity], pattern: patternLabel(rule), documentation: ruleDocPath(rule.id) },
    })),
    ...META_RULES.map((meta) => ({
      id: meta.id,
      name: meta.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.description },
      help: { text: meta.description, markdown: metaRuleMarkdown(meta) },
      defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
      properties: { tags: ['sbd'] },
    })),
  ];
  const ruleIndex = new Map(ruleDescriptors.map((descriptor, index) => [descriptor.id, index]));
  const artifact = (file: string) => ({ uri: encodeURI(toPosix(path.isAbsolute(file) ? path.relative(process.cwd(), file) : file)), uriBaseId: '%SRCROOT%' });
  const results = report.results.flatMap((result) =>
    result.findings.map((finding) => {
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
                const lines = related.file ? undefined : result.analysis.lines;
                const start = lines?.positionAt(related.range.start);
                return {
                  id,
                  message: { text: related.message },
                  physicalLocation: { artifactLocation: artifact(related.file ?? result.analysis.file), ...(start ? { region: { startLine: start.line + 1, startColumn: start.character + 1 } } : {}) },
                };
              }),
            }
          : {}),
        partialFingerprints: { 'sbdFinding/v1': `${finding.ruleId}:${toPosix(result.analysis.file)}:${at.startLine}` },
        ...(RULES_BY_ID.get(finding.ruleId)?.pattern ? { properties: { pattern: RULES_BY_ID.get(finding.ruleId)!.pattern } } : {}),
      };
    }),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'sbd', fullName: 'Secure by Design', version: report.toolVersion, semanticVersion: report.toolVersion, rules: ruleDescriptors } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(process.cwd()) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function pathToFileUri(directory: string): string {
  const posix = toPosix(directory);
  return `file://${posix.startsWith('/') ? '' : '/'}${encodeURI(posix)}/`;
}
