import { Analyzer, finalizeFindings, runWorkspaceRules, type FileAnalysis, type ReadBuildFile } from './analyze';
import { WorkspaceRuleCache } from './workspaceRuleCache';
import type { AnalysisOptions } from '../core/options';
import type { Finding } from '../core/types';
import type { Rule } from '../rules/rule';
import { META } from '../rules/meta';
import { LineIndex, replacedStretch } from '../core/positions';
import type { AnalyzedDocument, Place } from '../model/documents';
import { asInput, GeneratedAnalysis, mapUnitPlace, sourceOnlyAnalysis, unitFindingsAsShown, type FrontEnds, type FrontEndSettings, type GeneratedUnit, type UnitFinding } from './frontEnds';

/**
 * The documents open in an editor. Their text has one owner, the host (the language server's
 * document manager, which applies the editor's incremental changes); the analysis reads it from
 * there when it needs it and is told only that a document changed.
 */
export interface OpenDocuments {
  /** The current text of an open document; undefined when it is not open. */
  text(file: string): string | undefined;
}

const NO_OPEN_DOCUMENTS: OpenDocuments = { text: () => undefined };

interface FileEntry {
  /** Text on disk, when the file belongs to the indexed workspace. */
  diskText?: string;
  /** Open in an editor: its text (read from `OpenDocuments`) wins over disk. */
  open: boolean;
  /** Analysis of the active text (open or disk); recomputed lazily when that text changes. */
  analysis?: FileAnalysis;
  /** The latest analysis without syntax errors: what a half-typed document falls back to. */
  lastClean?: FileAnalysis;
}

/**
 * Every YAML file the server knows — open buffers and indexed files — with its cached analysis,
 * and the cross-file findings computed from those cached models. Pure: the caller reads files
 * and talks the protocol; this class only turns texts into findings.
 */
export class WorkspaceAnalysis {
  private readonly analyzer: Analyzer;
  private readonly files = new Map<string, FileEntry>();
  private workspaceFindings = new Map<string, Finding[]>();
  private workspaceStale = true;
  /** Each workspace rule's last run: a rule that reads nothing an edit changed is not run again. */
  private readonly ruleRuns = new WorkspaceRuleCache();
  /** Per file, a number that changes whenever what the user sees for it may have changed. */
  private readonly revisions = new Map<string, number>();
  private revisionCounter = 0;

  private readonly generated: GeneratedAnalysis | undefined;
  private generatedUnits: ReadonlyMap<string, GeneratedUnit> = new Map();
  private generatedAnalyses: readonly FileAnalysis[] = [];
  private generatedFindingsByUnit: ReadonlyMap<string, readonly UnitFinding[]> = new Map();

  constructor(
    rules: readonly Rule[],
    private readonly knownRuleIds: ReadonlySet<string>,
    private currentOptions: AnalysisOptions,
    private readonly openDocuments: OpenDocuments = NO_OPEN_DOCUMENTS,
    /** Helm charts and Kustomize overlays: their templates, values, patches and bases get the mapped findings of what they render. */
    private readonly frontEnds?: FrontEnds,
    /** How analyses read a build's Dockerfile (the host's file access); without it builds are not read. */
    readBuildFile?: ReadBuildFile,
  ) {
    this.analyzer = new Analyzer(rules, readBuildFile);
    this.generated = frontEnds ? new GeneratedAnalysis(frontEnds, this.analyzer) : undefined;
  }

  /**
   * A file that analyses read (a build's Dockerfile) changed on disk: re-analyses the files whose
   * analysis saw another text, and returns them (they need republishing).
   */
  buildFilesChanged(): string[] {
    const changed: string[] = [];
    for (const [file, entry] of this.files) {
      const analysis = entry.analysis;
      if (!analysis || analysis.segments.every((segment) => this.analyzer.buildFilesCurrent(file, segment))) continue;
      this.invalidate(entry);
      entry.lastClean = undefined;
      changed.push(file);
    }
    return changed;
  }

  /** Values files and the Kubernetes version charts render with; a change re-renders every chart. */
  setFrontEndSettings(settings: FrontEndSettings): void {
    if (!this.frontEnds) return;
    this.frontEnds.setSettings(settings);
    this.workspaceStale = true;
  }

  /** Tells the charts and overlays that read a file that it changed (they re-render or rebuild on the next refresh). */
  private sourceChanged(file: string): void {
    if (!this.frontEnds) return;
    this.frontEnds.fileChanged(file);
    this.workspaceStale = true;
  }

  get options(): AnalysisOptions {
    return this.currentOptions;
  }

  /** New options invalidate every cached result (rules on/off and thresholds change findings). */
  setOptions(options: AnalysisOptions): void {
    if (options === this.currentOptions) return;
    this.currentOptions = options;
    for (const entry of this.files.values()) {
      entry.analysis = undefined;
      entry.lastClean = undefined;
    }
    this.workspaceStale = true;
  }

  /** A document was opened or edited in the editor: its text is now `OpenDocuments.text(file)`. */
  openDocumentChanged(file: string): void {
    const entry = this.entry(file);
    entry.open = true;
    if (entry.analysis?.text !== this.openDocuments.text(file)) {
      this.invalidate(entry);
      this.sourceChanged(file);
    }
  }

  /** Closing a buffer falls back to the disk text when the file is part of the workspace. */
  openDocumentClosed(file: string): void {
    const entry = this.files.get(file);
    if (!entry) return;
    entry.open = false;
    entry.lastClean = undefined;
    if (entry.diskText === undefined) this.remove(file);
    else if (entry.analysis?.text !== entry.diskText) this.invalidate(entry);
    this.sourceChanged(file);
  }

  setDiskText(file: string, text: string): void {
    const entry = this.entry(file);
    if (entry.diskText === text) return;
    entry.diskText = text;
    if (!entry.open) {
      this.invalidate(entry);
      this.sourceChanged(file);
    }
  }

  removeDiskText(file: string): void {
    const entry = this.files.get(file);
    if (!entry) return;
    entry.diskText = undefined;
    if (!entry.open) {
      this.remove(file);
      this.sourceChanged(file);
    }
  }

  isOpen(file: string): boolean {
    return this.files.get(file)?.open === true;
  }

  has(file: string): boolean {
    return this.activeText(file) !== undefined;
  }

  /** The text analysed for a file: the open document's, else the disk's. */
  activeText(file: string): string | undefined {
    const entry = this.files.get(file);
    if (!entry) return undefined;
    return (entry.open ? this.openDocuments.text(file) : undefined) ?? entry.diskText;
  }

  fileIds(): string[] {
    return [...this.files.keys()].filter((file) => this.has(file));
  }

  /** The analysis of the file's active text; re-analyses only the `---` documents that changed. */
  analysis(file: string): FileAnalysis | undefined {
    const entry = this.files.get(file);
    const text = this.activeText(file);
    if (!entry || text === undefined) return undefined;
    if (!entry.analysis || entry.analysis.text !== text) {
      // A chart template is not YAML until it is rendered: never parse it on its own.
      entry.analysis = this.frontEnds?.role(file) === 'template' ? sourceOnlyAnalysis(file, text) : this.analyzer.analyzeFile(file, text, this.currentOptions);
      if (!entry.analysis.skippedReason && !entry.analysis.documentFindings.some(isSyntaxError)) entry.lastClean = entry.analysis;
      this.workspaceStale = true;
      this.revisions.set(file, ++this.revisionCounter);
    }
    return entry.analysis;
  }

  /**
   * Changes whenever the file's findings may have changed (its own text, the options, or
   * cross-file findings): callers cache what they derive from findings under this key.
   */
  revision(file: string): number | undefined {
    if (!this.analysis(file)) return undefined;
    this.recomputeWorkspaceFindings();
    return this.revisions.get(file);
  }

  /**
   * Recomputes the cross-file findings from the cached models of every file and returns the
   * files whose cross-file findings changed (they need republishing).
   */
  refreshWorkspaceFindings(): Set<string> {
    this.recomputeWorkspaceFindings();
    const changed = new Set(this.unreported);
    this.unreported.clear();
    return changed;
  }

  /** Files whose cross-file findings changed since the caller last asked (a lookup may recompute them first). */
  private readonly unreported = new Set<string>();

  private recomputeWorkspaceFindings(): void {
    if (!this.workspaceStale) return;
    const changed = this.unreported;
    const analyses = this.fileIds().map((file) => this.analysis(file)).filter((a): a is FileAnalysis => a !== undefined);
    let next: Map<string, Finding[]>;
    if (this.generated && this.frontEnds && !this.frontEnds.empty) {
      // Building the overlays first tells which files are their patches and bases.
      this.frontEnds.generate();
      const plain = analyses.map((analysis) => (this.frontEnds!.role(analysis.file) === 'input' ? asInput(analysis) : analysis));
      const result = this.generated.run(plain, this.currentOptions);
      next = result.byFile;
      this.generatedUnits = new Map(result.units.map((unit) => [unit.id, unit]));
      this.generatedAnalyses = result.analyses;
      this.generatedFindingsByUnit = result.inUnits;
    } else {
      next = runWorkspaceRules(analyses, this.analyzer.rules, this.currentOptions, this.ruleRuns);
      this.generatedUnits = new Map();
      this.generatedAnalyses = [];
      this.generatedFindingsByUnit = new Map();
    }
    for (const file of new Set([...this.workspaceFindings.keys(), ...next.keys()])) {
      if (findingsKey(this.workspaceFindings.get(file)) !== findingsKey(next.get(file))) {
        changed.add(file);
        this.revisions.set(file, ++this.revisionCounter);
      }
    }
    this.workspaceFindings = next;
    this.workspaceStale = false;
  }

  /** What the user sees for a file: its own findings plus cross-file ones, after settings and suppressions. */
  findings(file: string): Finding[] {
    const analysis = this.analysis(file);
    if (!analysis) return [];
    this.recomputeWorkspaceFindings();
    const lastClean = this.files.get(file)?.lastClean;
    let own = lastClean && lastClean !== analysis ? keepWhileTyping(analysis, lastClean) : analysis.documentFindings;
    // A patch or a chart's values file is checked through the build, not as a workload of its own.
    if (this.frontEnds?.role(file) === 'input') own = own.filter((finding) => !finding.pattern);
    const raw = [...own, ...(this.workspaceFindings.get(file) ?? [])];
    return finalizeFindings(analysis, raw, this.currentOptions, this.knownRuleIds);
  }

  /**
   * Every analysed document: plain files' (patches and chart inputs left out) and the rendered
   * charts' and built overlays' (their places are in generated text: map them with `mapPlace`).
   */
  documents(isAnalysed: (file: string) => boolean = () => true): AnalyzedDocument[] {
    // Recompute, never consume: the files whose cross-file findings changed stay for the caller of
    // `refreshWorkspaceFindings` to republish (a view read between an edit and its republish must not swallow them).
    this.recomputeWorkspaceFindings();
    const plain = this.fileIds()
      .filter(isAnalysed)
      .flatMap((file) => (this.frontEnds?.role(file) === 'input' ? [] : (this.analysis(file)?.documents ?? [])));
    return [...plain, ...this.generatedAnalyses.flatMap((analysis) => analysis.documents)];
  }

  /**
   * The findings of a rendered chart or built overlay (`unit` is an id `documents()` files its
   * objects under) in offsets of its generated text: those the user sees on their sources, with the
   * severity shown there. A view drawn from the generated objects places them; `mapPlace` moves
   * them back. Undefined for any other id.
   */
  generatedFindings(unit: string): Finding[] | undefined {
    this.recomputeWorkspaceFindings();
    const entries = this.generatedFindingsByUnit.get(unit);
    return entries && unitFindingsAsShown(entries, (file) => this.findings(file));
  }

  /** A place in rendered or built text moved to its source; other places as they are. */
  mapPlace(place: Place): Place | undefined {
    const unit = this.generatedUnits.get(place.file);
    if (!unit) return place;
    return this.frontEnds && mapUnitPlace(unit, this.frontEnds.host, place.range);
  }

  /** Line index of a file the user may be shown: an analysed file, or a source a chart or overlay read. */
  linesOf(file: string): LineIndex | undefined {
    const analysis = this.analysis(file);
    if (analysis) return analysis.lines;
    const text = this.frontEnds?.text(file);
    if (text === undefined) return undefined;
    const cached = this.sourceLines.get(file);
    if (cached && cached.text === text) return cached.lines;
    const lines = new LineIndex(text);
    this.sourceLines.set(file, { text, lines });
    return lines;
  }

  private readonly sourceLines = new Map<string, { text: string; lines: LineIndex }>();

  private entry(file: string): FileEntry {
    let entry = this.files.get(file);
    if (!entry) {
      entry = { open: false };
      this.files.set(file, entry);
    }
    return entry;
  }

  private invalidate(entry: FileEntry): void {
    entry.analysis = undefined;
    if (!entry.open) entry.lastClean = undefined;
    this.workspaceStale = true;
  }

  private remove(file: string): void {
    this.files.delete(file);
    this.revisions.delete(file);
    this.analyzer.forget(file);
    this.workspaceStale = true;
  }
}

function findingsKey(findings: readonly Finding[] | undefined): string {
  if (!findings || findings.length === 0) return '';
  const related = (f: Finding) => (f.related ?? []).map((r) => `${r.file ?? ''}@${r.range.start}-${r.range.end}:${r.message}`).join(',');
  return findings.map((f) => `${f.ruleId}@${f.range.start}-${f.range.end}:${f.message}[${related(f)}]`).sort().join('\n');
}

function isSyntaxError(finding: Finding): boolean {
  return finding.ruleId === META.syntax.id;
}

/**
 * While a document does not parse, its pattern findings come from the last version that did,
 * moved by the edit: a half-typed quote or bracket must not make findings after it vanish (or
 * odd ones appear) until the user finishes typing. Documents that parse report as usual; findings
 * inside the edited text are dropped, and carried findings offer no fixes (their nodes are gone).
 */
export function keepWhileTyping(current: FileAnalysis, lastClean: FileAnalysis): Finding[] {
  const broken = current.segments.filter((segment) => segment.findings.some(isSyntaxError)).map((segment) => ({ start: segment.segment.start, end: segment.segment.start + segment.segment.text.length }));
  if (broken.length === 0) return [...current.documentFindings];
  const inBroken = (offset: number) => broken.some((range) => offset >= range.start && offset < range.end);
  const { start: prefix, end: editedEndBefore } = replacedStretch(lastClean.text, current.text);
  const delta = current.text.length - lastClean.text.length;
  const moved = (start: number, end: number): { start: number; end: number } | undefined => {
    if (end <= prefix) return { start, end };
    if (start >= editedEndBefore) return { start: start + delta, end: end + delta };
    return undefined;
  };
  const kept = current.documentFindings.filter((finding) => !finding.pattern || !inBroken(finding.range.start));
  for (const finding of lastClean.documentFindings) {
    if (!finding.pattern) continue;
    const range = moved(finding.range.start, finding.range.end);
    if (!range || !inBroken(range.start)) continue;
    const related = finding.related?.flatMap((location) => {
      if (location.file) return [location];
      const place = moved(location.range.start, location.range.end);
      return place ? [{ ...location, range: place }] : [];
    });
    kept.push({ ...finding, range, related: related && related.length > 0 ? related : undefined, fixes: undefined });
  }
  return kept;
}
