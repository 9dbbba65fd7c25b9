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

/** Small inputs of every kind the analysis reads, to run its code once before a user's file does. */
const WARM_UP_FILES: ReadonlyArray<{ file: string; text: string }> = [
  { file: 'warm-up/compose.yaml', text: 'services:\n  web:\n    image: nginx:latest\n    privileged: true\n    ports:\n      - "8080:80"\n    environment:\n      API_TOKEN: ${API_TOKEN:-changeme}\n' },
  {
    file: 'warm-up/deployment.yaml',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          securityContext:\n            privileged: true\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n',
  },
  { file: 'warm-up/architecture.yaml', text: 'kind: Architecture\nname: shop\ncomponents:\n  - name: web\n    zone: public\n' },
];

/**
 * Runs the whole pipeline (parse, models, document and workspace rules, suppressions) once on
 * small inputs and drops the result: the first analysis of a user's file then runs on compiled
 * code instead of paying for V8's warm-up. Takes tens of milliseconds; call it off the request path.
 */
export function warmUp(options: AnalysisOptions = defaultOptions()): void {
  const analyzer = new Analyzer(ALL_RULES);
  analyzeFiles(WARM_UP_FILES, options, analyzer);
  // A keystroke: the incremental path (re-parsing one block) runs once too.
  const [compose] = WARM_UP_FILES;
  analyzer.analyzeFile(compose.file, compose.text.replace('nginx:latest', 'nginx:1.27'), options);
}
