import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Position, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis/analyze';
import type { Finding, TextEdit } from '../core/types';
import { RULES_BY_ID } from '../rules';
import { META } from '../rules/meta';
import type { ServerContext } from './context';
import { COMMANDS } from '../protocol';
import { isValidRange, isValidUri, toRange, touches } from './convert';
import { nonOverlapping, safeFixEdits } from '../core/fixes';

/** `source.fixAll.sbd`: every safe fix in the file, as editors' "fix all on save" expects. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.sbd`;

/**
 * Quick fixes for the findings under the cursor (the first one preferred), "fix all of this rule",
 * "suppress with a reason", "show documentation"; and the source action that applies all safe fixes.
 */
export function codeActions(context: ServerContext, params: CodeActionParams): CodeAction[] {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri) || !isValidRange(params.range)) return [];
  const analysis = context.analysis(uri);
  if (!analysis) return [];
  const findings = context.findings(uri);
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.length === 0 || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];

  if (wants(FIX_ALL_KIND)) {
    const { edits } = safeFixEdits(findings);
    if (edits.length > 0) actions.push({ title: 'Fix all safe Secure by Design findings', kind: FIX_ALL_KIND, edit: { changes: { [uri]: lspEdits(analysis, edits) } } });
  }
  if (!wants(CodeActionKind.QuickFix)) return actions;

  const selection = { start: analysis.lines.offsetAt(params.range.start), end: analysis.lines.offsetAt(params.range.end) };
  const here = findings.filter((finding) => touches(finding.range, selection));
  const rulesDone = new Set<string>();
  for (const finding of here) {
    finding.fixes?.forEach((fix, index) => {
      actions.push({
        title: `${fix.title} (${finding.ruleId})`,
        kind: CodeActionKind.QuickFix,
        // Editors apply a preferred fix on their own ("Auto Fix"): only one that cannot change what the service does.
        isPreferred: index === 0 && !fix.partial && fix.safe === true,
        diagnostics: matchingDiagnostics(params, finding, analysis),
        edit: { changes: { [uri]: lspEdits(analysis, fix.edits) } },
      });
    });
    if (rulesDone.has(finding.ruleId)) continue;
    rulesDone.add(finding.ruleId);
    const sameRule = findings.filter((other) => other.ruleId === finding.ruleId && other.fixes && other.fixes.length > 0);
    if (sameRule.length > 1) {
      const edits = nonOverlapping(sameRule.map((other) => other.fixes![0].edits));
      actions.push({ title: `Fix all ${finding.ruleId} problems in this file (${sameRule.length})`, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: lspEdits(analysis, edits) } } });
    }
    if (finding.ruleId === META.suppressionWithoutReason.id && !/reason\s*=/.test(analysis.text.slice(finding.range.start, finding.range.end))) {
      // The suppression exists but says nothing: the user writes the reason at its end.
      const at = analysis.lines.positionAt(finding.range.end);
      actions.push({ ...writeText(context, uri, at, ' reason="', '"'), title: 'Add a reason to this suppression', kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: matchingDiagnostics(params, finding, analysis) });
    }
    const isPatternRule = RULES_BY_ID.has(finding.ruleId);
    if (isPatternRule) {
      const { position, before, after } = suppressionText(analysis, finding);
      actions.push({ ...writeText(context, uri, position, before, after), title: `Suppress ${finding.ruleId} here with a reason`, kind: CodeActionKind.QuickFix, diagnostics: matchingDiagnostics(params, finding, analysis) });
    }
    const command: Command = { title: `Show documentation for ${finding.ruleId}`, command: context.ruleDocumentationCommand(), arguments: [finding.ruleId] };
    actions.push({ title: command.title, kind: CodeActionKind.QuickFix, command });
  }
  return actions;
}

/**
 * `# sbd-ignore RULE reason="` + the reason + `"` on its own line above the finding, indented like
 * that line: the text before and after the place where the user writes the reason.
 */
export function suppressionText(analysis: FileAnalysis, finding: Finding): { position: Position; before: string; after: string } {
  const line = analysis.lines.positionAt(finding.range.start).line;
  const lineStart = analysis.lines.lineStart(line);
  const indent = /^[ \t]*/.exec(analysis.text.slice(lineStart, analysis.lines.lineEnd(line)))?.[0] ?? '';
  const newline = analysis.text.includes('\r\n') ? '\r\n' : '\n';
  return { position: { line, character: 0 }, before: `${indent}# sbd-ignore ${finding.ruleId} reason="`, after: `"${newline}` };
}

/**
 * Writes `before` + the user's text + `after` at `position`: as a snippet with the cursor between
 * them where the client can insert snippets, else as a plain edit leaving the text empty (an empty
 * reason is reported as missing, so the user is told to write it). Never a placeholder that would
 * pass for a reason.
 */
function writeText(context: ServerContext, uri: string, position: Position, before: string, after: string): Pick<CodeAction, 'edit' | 'command'> {
  if (context.clientInsertsSnippets()) {
    const escape = (text: string) => text.replace(/[$}\\]/g, (char) => `\\${char}`);
    return { command: { title: 'Write the reason', command: COMMANDS.insertSnippet, arguments: [uri, position, `${escape(before)}$1${escape(after)}$0`] } };
  }
  return { edit: { changes: { [uri]: [{ range: { start: position, end: position }, newText: before + after }] } } };
}

function lspEdits(analysis: FileAnalysis, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((edit) => ({ range: toRange(analysis.lines, edit), newText: edit.newText }));
}

function matchingDiagnostics(params: CodeActionParams, finding: Finding, analysis: FileAnalysis) {
  const range = toRange(analysis.lines, finding.range);
  return (params.context?.diagnostics ?? []).filter(
    (diagnostic) => diagnostic.code === finding.ruleId && diagnostic.range.start.line === range.start.line && diagnostic.range.start.character === range.start.character,
  );
}
