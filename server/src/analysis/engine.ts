import { Analyzer, finalizeFindings, runWorkspaceRules, type FileAnalysis, type ReadBuildFile } from './analyze';
import { asInput, GeneratedAnalysis, mapUnitPlace, sourceOnlyAnalysis, unitFindingsAsShown, type FrontEnds, type GeneratedRun } from './frontEnds';
import type { AnalyzedDocument, Place } from '../model/documents';
import { defaultOptions, type AnalysisOptions } from '../core/options';
import type { Finding } from '../core/types';
import { ALL_RULES, KNOWN_RULE_IDS } from '../rules';
import { appendTo } from '../core/collections';

export interface FileResult {
  readonly analysis: FileAnalysis;
  readonly findings: readonly Finding[];
}

/**
 * Analyses a set of files together (document rules per file, then workspace rules across all
 * of them) and returns what the user sees for each file. Files marked `context` are read for the
 * cross-file facts they hold (RoleBindings, NetworkPolicies, namespaces) but get no result of
 * their own: what the CLI reads from a scanned file's folder. With `frontEnds`, the Helm charts and
 * Kustomize overlays the files belong to are rendered and built, templates are not read as YAML,
 * and findings of the rendered objects land on the template, values, patch and base lines that
 * produced them (files outside `files` that receive findings, such as `_helpers.tpl` or a base
 * outside the scanned folder, are added to the result).
 */
export function analyzeFiles(
  /** `bytes`: the size on disk of a file the host read only in part because it is over the limit. */
  files: ReadonlyArray<{ file: string; text: string; bytes?: number; context?: boolean }>,
  options: AnalysisOptions = defaultOptions(),
  analyzer = new Analyzer(ALL_RULES),
  /** Called after each file's document rules ran (the CLI's progress line); context files are not counted. */
  onFileAnalysed?: (done: number, file: string) => void,
  frontEnds?: FrontEnds,
): FileResult[] {
  return analyzeFilesForView(files, options, analyzer, onFileAnalysed, frontEnds).results;
}

/** What a trust-boundary view of analysed files draws from, besides each file's result. */
export interface AnalyzedForView {
  readonly results: FileResult[];
  /** Every analysed document of the files the user named, and the objects of the charts and overlays they belong to (filed under unit ids). */
  readonly documents: readonly AnalyzedDocument[];
  /** Findings of a file as `results` shows them; for a unit id, its findings in generated offsets, as shown on their sources. */
  findings(file: string): readonly Finding[];
  /** A place in a unit's generated text moved to its source line (undefined when nothing maps); other places as they are. */
  mapPlace(place: Place): Place | undefined;
  /** The text of a source a chart or overlay read (a template, values file, patch), for line numbers; undefined for others. */
  sourceText(file: string): string | undefined;
}

/**
 * `analyzeFiles`, and what the trust-boundary view and diagram of the same files need: the
 * documents of every named file and of the charts and overlays they belong to (as the editor's
 * workspace analysis gives them), their findings and a map back to the sources. Same arguments.
 */
export function analyzeFilesForView(
  files: ReadonlyArray<{ file: string; text: string; bytes?: number; context?: boolean }>,
  options: AnalysisOptions = defaultOptions(),
  analyzer = new Analyzer(ALL_RULES),
  onFileAnalysed?: (done: number, file: string) => void,
  frontEnds?: FrontEnds,
): AnalyzedForView {
  for (const { file } of frontEnds ? files : []) frontEnds!.fileChanged(file);
  let done = 0;
  // Context files need their models, not their own findings: no document rule runs on them, and
  // one analyzer kept for the process lets repeated scans of one folder parse it once.
  const analyse = (file: string, text: string, bytes: number | undefined, context: boolean | undefined): FileAnalysis => {
    if (context) return CONTEXT_ANALYZER.analyzeFile(file, text, contextOptions(options), bytes);
    const analysis = analyzer.analyzeFile(file, text, options, bytes);
    onFileAnalysed?.(++done, file);
    return analysis;
  };
  const context = new Set(files.filter((entry) => entry.context).map((entry) => entry.file));
  if (!frontEnds || frontEnds.empty) {
    const analyses = files.map(({ file, text, bytes, context: isContext }) => analyse(file, text, bytes, isContext));
    const workspaceFindings = rehomeContextFindings(runWorkspaceRules(analyses, analyzer.rules, options), context);
    const results = analyses.flatMap((analysis) =>
      context.has(analysis.file) ? [] : [{ analysis, findings: finalizeFindings(analysis, [...analysis.documentFindings, ...(workspaceFindings.get(analysis.file) ?? [])], options, KNOWN_RULE_IDS) }],
    );
    return forView(results);
  }
  // Roles of base and patch files are known once the overlays are built.
  frontEnds.generate();
  const analyses = files.map(({ file, text, bytes, context: isContext }) => {
    const role = frontEnds.role(file);
    const analysis = role === 'template' ? sourceOnlyAnalysis(file, text) : analyse(file, text, bytes, isContext);
    return role === 'input' ? asInput(analysis) : analysis;
  });
  const run = new GeneratedAnalysis(frontEnds, analyzer).run(analyses, options);
  const byFile = rehomeContextFindings(run.byFile, context);
  const known = new Set(analyses.map((analysis) => analysis.file));
  for (const file of [...byFile.keys()].sort()) {
    if (known.has(file)) continue;
    const text = frontEnds.text(file);
    if (text !== undefined) analyses.push(sourceOnlyAnalysis(file, text));
  }
  const results = analyses.flatMap((analysis) =>
    context.has(analysis.file) ? [] : [{ analysis, findings: finalizeFindings(analysis, [...analysis.documentFindings, ...(byFile.get(analysis.file) ?? [])], options, KNOWN_RULE_IDS) }],
  );
  return forView(results, { frontEnds, run });
}

/** The view's side of an analysis: named files' documents and findings, and with front ends, their rendered and built objects. */
function forView(results: FileResult[], generated?: { readonly frontEnds: FrontEnds; readonly run: GeneratedRun }): AnalyzedForView {
  const shown = new Map(results.map((result) => [result.analysis.file, result.findings]));
  const findingsOf = (file: string): readonly Finding[] => shown.get(file) ?? [];
  const units = new Map((generated?.run.units ?? []).map((unit) => [unit.id, unit]));
  const unitFindings = new Map<string, Finding[]>();
  return {
    results,
    documents: [...results.flatMap((result) => result.analysis.documents), ...(generated?.run.analyses.flatMap((analysis) => analysis.documents) ?? [])],
    findings(file) {
      const entries = generated?.run.inUnits.get(file);
      if (!entries) return findingsOf(file);
      let list = unitFindings.get(file);
      if (!list) unitFindings.set(file, (list = unitFindingsAsShown(entries, findingsOf)));
      return list;
    },
    mapPlace(place) {
      const unit = units.get(place.file);
      return unit ? mapUnitPlace(unit, generated!.frontEnds.host, place.range) : place;
    },
    sourceText: (file) => (shown.has(file) ? undefined : generated?.frontEnds.text(file)),
  };
}

/**
 * A cross-file finding reported once per fact (one per namespace, per secret) sits on its first
 * holder, which may be a file read only for context. Such a finding moves to its first related
 * place in a file the user named, the context place becoming related information; a finding with
 * no such place stays where it is (and is not shown). Fixes are dropped from a moved finding:
 * their edits belong to the other file.
 */
function rehomeContextFindings(byFile: ReadonlyMap<string, readonly Finding[]>, context: ReadonlySet<string>): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>([...byFile].map(([file, findings]) => [file, [...findings]]));
  if (context.size === 0) return out;
  for (const [file, findings] of byFile) {
    if (!context.has(file)) continue;
    for (const finding of findings) {
      const index = finding.related?.findIndex((related) => related.file !== undefined && !context.has(related.file)) ?? -1;
      if (index < 0) continue;
      const target = finding.related![index];
      const targetFile = target.file!;
      const others = finding.related!.filter((_, i) => i !== index).map((related) => {
        const inFile = related.file ?? file;
        return inFile === targetFile ? { message: related.message, range: related.range } : { ...related, file: inFile };
      });
      const moved: Finding = {
        ...finding,
        range: target.range,
        fixes: undefined,
        origin: undefined,
        related: [{ message: `first place of this finding, in ${file} (read for context)`, range: finding.range, file }, ...others],
      };
      appendTo(out, targetFile, moved);
    }
  }
  return out;
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
