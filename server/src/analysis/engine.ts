import { Analyzer, finalizeFindings, runWorkspaceRules, type FileAnalysis, type ReadBuildFile } from './analyze';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import type { Finding } from '../core/types';
import { ALL_RULES, KNOWN_RULE_IDS } from '../rules';

export interface FileResult {
  readonly analysis: FileAnalysis;
  readonly findings: readonly Finding[];
}

/**
 * Analyses a set of files together (document rules per file, then workspace rules across all
 * of them) and returns what the user sees for each file. Files marked `context` are read for the
 * cross-file facts they hold (RoleBindings, NetworkPolicies, namespaces) but get no result of
 * their own: what the CLI reads from a scanned file's folder.
 */
export function analyzeFiles(
  files: ReadonlyArray<{ file: string; text: string; context?: boolean }>,
  options: AnalysisOptions = defaultOptions(),
  analyzer = new Analyzer(ALL_RULES),
): FileResult[] {
  // Context files need their models, not their own findings: no document rule runs on them, and
  // one analyzer kept for the process lets repeated scans of one folder parse it once.
  const analyses = files.map(({ file, text, context }) => (context ? CONTEXT_ANALYZER.analyzeFile(file, text, contextOptions(options)) : analyzer.analyzeFile(file, text, options)));
  const workspaceFindings = runWorkspaceRules(analyses, analyzer.rules, options);
  return analyses.flatMap((analysis, index) =>
    files[index].context ? [] : [{ analysis, findings: finalizeFindings(analysis, [...analysis.documentFindings, ...(workspaceFindings.get(analysis.file) ?? [])], options, KNOWN_RULE_IDS) }],
  );
}

const CONTEXT_ANALYZER = new Analyzer([]);
const CONTEXT_OPTIONS = new Map<number, AnalysisOptions>();

/** Without rules only the size limit matters: one options object per limit keeps the context analyzer's cache. */
function contextOptions(options: AnalysisOptions): AnalysisOptions {
  let shared = CONTEXT_OPTIONS.get(options.maxFileBytes);
  if (!shared) CONTEXT_OPTIONS.set(options.maxFileBytes, (shared = defaultOptions({ maxFileBytes: options.maxFileBytes })));
  return shared;
}

/** An analyzer that reads builds' Dockerfiles through `readBuildFile` (the host's file access). */
export function analyzerReading(readBuildFile: ReadBuildFile): Analyzer {
  return new Analyzer(ALL_RULES, readBuildFile);
}

/** Findings for one text on its own (workspace rules see only this file). */
export function analyzeText(text: string, options: AnalysisOptions = defaultOptions(), file = 'untitled.yaml'): Finding[] {
  return [...analyzeFiles([{ file, text }], options)[0].findings];
}
