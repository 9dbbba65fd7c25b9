import { Analyzer, finalizeFindings, runWorkspaceRules, type FileAnalysis } from './analyze';
import { asInput, GeneratedAnalysis, sourceOnlyAnalysis, type FrontEnds } from './frontEnds';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import type { Finding } from '../core/types';
import { ALL_RULES, KNOWN_RULE_IDS } from '../rules';

export interface FileResult {
  readonly analysis: FileAnalysis;
  readonly findings: readonly Finding[];
}

/**
 * Analyses a set of files together (document rules per file, then workspace rules across all
 * of them) and returns what the user sees for each file. With `frontEnds`, the Helm charts and
 * Kustomize overlays the files belong to are rendered and built, templates are not read as YAML,
 * and findings of the rendered objects land on the template, values, patch and base lines that
 * produced them (files outside `files` that receive findings, such as `_helpers.tpl` or a base
 * outside the scanned folder, are added to the result).
 */
export function analyzeFiles(
  /** `bytes`: the size on disk of a file the host read only in part because it is over the limit. */
  files: ReadonlyArray<{ file: string; text: string; bytes?: number }>,
  options: AnalysisOptions = defaultOptions(),
  analyzer = new Analyzer(ALL_RULES),
  /** Called after each file's document rules ran (the CLI's progress line). */
  onFileAnalysed?: (done: number, file: string) => void,
  frontEnds?: FrontEnds,
): FileResult[] {
  for (const { file } of frontEnds ? files : []) frontEnds!.fileChanged(file);
  if (!frontEnds || frontEnds.empty) {
    const analyses = files.map(({ file, text, bytes }, index) => {
      const analysis = analyzer.analyzeFile(file, text, options, bytes);
      onFileAnalysed?.(index + 1, file);
      return analysis;
    });
    const workspaceFindings = runWorkspaceRules(analyses, analyzer.rules, options);
    return analyses.map((analysis) => ({
      analysis,
      findings: finalizeFindings(analysis, [...analysis.documentFindings, ...(workspaceFindings.get(analysis.file) ?? [])], options, KNOWN_RULE_IDS),
    }));
  }
  // Roles of base and patch files are known once the overlays are built.
  frontEnds.generate();
  const analyses = files.map(({ file, text, bytes }, index) => {
    const role = frontEnds.role(file);
    const analysis = role === 'template' ? sourceOnlyAnalysis(file, text) : analyzer.analyzeFile(file, text, options, bytes);
    onFileAnalysed?.(index + 1, file);
    return role === 'input' ? asInput(analysis) : analysis;
  });
  const { byFile } = new GeneratedAnalysis(frontEnds, analyzer).run(analyses, options);
  const known = new Set(analyses.map((analysis) => analysis.file));
  for (const file of [...byFile.keys()].sort()) {
    if (known.has(file)) continue;
    const text = frontEnds.text(file);
    if (text !== undefined) analyses.push(sourceOnlyAnalysis(file, text));
  }
  return analyses.map((analysis) => ({
    analysis,
    findings: finalizeFindings(analysis, [...analysis.documentFindings, ...(byFile.get(analysis.file) ?? [])], options, KNOWN_RULE_IDS),
  }));
}

/** Findings for one text on its own (workspace rules see only this file). */
export function analyzeText(text: string, options: AnalysisOptions = defaultOptions(), file = 'untitled.yaml'): Finding[] {
  return [...analyzeFiles([{ file, text }], options)[0].findings];
}
