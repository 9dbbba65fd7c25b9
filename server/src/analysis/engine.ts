import { Analyzer, finalizeFindings, runWorkspaceRules, type FileAnalysis } from './analyze';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import type { Finding } from '../core/types';
import { ALL_RULES, KNOWN_RULE_IDS } from '../rules';

export interface FileResult {
  readonly analysis: FileAnalysis;
  readonly findings: readonly Finding[];
}

/**
 * Analyses a set of files together (document rules per file, then workspace rules across all
 * of them) and returns what the user sees for each file.
 */
export function analyzeFiles(
  files: ReadonlyArray<{ file: string; text: string }>,
  options: AnalysisOptions = defaultOptions(),
  analyzer = new Analyzer(ALL_RULES),
  /** Called after each file's document rules ran (the CLI's progress line). */
  onFileAnalysed?: (done: number, file: string) => void,
): FileResult[] {
  const analyses = files.map(({ file, text }, index) => {
    const analysis = analyzer.analyzeFile(file, text, options);
    onFileAnalysed?.(index + 1, file);
    return analysis;
  });
  const workspaceFindings = runWorkspaceRules(analyses, analyzer.rules, options);
  return analyses.map((analysis) => ({
    analysis,
    findings: finalizeFindings(analysis, [...analysis.documentFindings, ...(workspaceFindings.get(analysis.file) ?? [])], options, KNOWN_RULE_IDS),
  }));
}

/** Findings for one text on its own (workspace rules see only this file). */
export function analyzeText(text: string, options: AnalysisOptions = defaultOptions(), file = 'untitled.yaml'): Finding[] {
  return [...analyzeFiles([{ file, text }], options)[0].findings];
}
