import { LineIndex } from '../core/positions';
import { findSuppressions } from '../core/suppressions';
import type { AnalysisOptions } from '../core/options';
import type { Finding, Fix, OffsetRange, RelatedLocation, TextEdit } from '../core/types';
import { dirname, normalizePath, type SourceFiles } from '../frontends/files';
import { findChartRoot, HelmChart, isTemplatePath, type ChartRender, type HelmProblem } from '../frontends/helm';
import { isKustomizationFileName, KUSTOMIZATION_FILE_NAMES, KustomizeBuilder, kustomizeFileRoles, type FileRoles, type KustomizeBuild, type KustomizeProblem } from '../frontends/kustomize';
import { mapGeneratedRange, type GeneratedSource, type MappedSegment, type SourceSpan } from '../frontends/sourceMap';
import { META } from '../rules/meta';
import { Analyzer, metaFinding, runWorkspaceRules, type FileAnalysis } from './analyze';

/**
 * Helm charts and Kustomize overlays as the analysis sees them: the front ends render or build
 * them into ordinary Kubernetes YAML with a source map, the rules run on that text like on any
 * file, and every finding is moved through the source map to the file and line that produced it
 * (the template line, the values line that set the value, the patch line, the base line).
 *
 * Hosts name files by their own ids (paths in the CLI, URIs in the language server); the front ends
 * work on '/'-separated paths. `FrontEndHost` converts between the two.
 */
export interface FrontEndHost {
  /** Files the front ends read (values files, helpers, bases, patches), by path. */
  readonly files: SourceFiles;
  /** The '/'-separated path of a host id; undefined for ids that are not local files (`untitled:`). */
  toPath(id: string): string | undefined;
  /** The host id of a path. */
  toId(path: string): string;
}

/** How charts are rendered (`helm:` in `.sbd.yaml`, the editor setting, `sbd scan --values`). */
export interface FrontEndSettings {
  /** Host ids of values files, merged over values.yaml in order. One inside a chart applies to that chart only. */
  readonly valuesFiles: readonly string[];
  /** `.Capabilities.KubeVersion`, `v1.30.0`. */
  readonly kubeVersion?: string;
}

/**
 * What a file is to the front ends when it is read on its own:
 * - `template`: a chart template, never parsed as YAML (its findings come from the rendered chart);
 * - `input`: parsed (syntax errors are real), but not checked as a workload — a chart's values and
 *   Chart.yaml, a Kustomize patch, kustomization, component or base resource (the build checks those).
 */
export type StandaloneRole = 'template' | 'input';

/** One rendered template or one Kustomize build: text the rules read, and its map back to the sources. */
export interface GeneratedUnit {
  /** The id the analysis files the generated text under; never a real file. */
  readonly id: string;
  readonly source: GeneratedSource;
  readonly kind: 'helm' | 'kustomize';
  /** Folder of the chart or kustomization: messages name files relative to it. */
  readonly root: string;
  /** Cross-file rules run per scope: every chart with the plain files (`workspace`), each Kustomize build on its own. */
  readonly scope: string;
}

export const WORKSPACE_SCOPE = 'workspace';

/** Unit ids: a chart's template file or an overlay's folder with one of these; no real file ends so. */
const RENDERED_SUFFIX = '#rendered';
const BUILD_SUFFIX = '#kustomize-build';

/** What a unit id stands for: the rendered template of a Helm chart, or the build of a kustomization folder; undefined for file ids. */
export function generatedUnitOf(id: string): { readonly kind: 'helm' | 'kustomize'; readonly source: string } | undefined {
  if (id.endsWith(RENDERED_SUFFIX)) return { kind: 'helm', source: id.slice(0, -RENDERED_SUFFIX.length) };
  if (id.endsWith(BUILD_SUFFIX)) return { kind: 'kustomize', source: id.slice(0, -BUILD_SUFFIX.length) };
  return undefined;
}

/** A finding of a rendered chart or built overlay, in its generated text, and where it was moved to. */
export interface UnitFinding {
  /** Offsets into the generated text. */
  readonly finding: Finding;
  /** The source file (host id) and the finding as moved there, before settings and suppressions. */
  readonly file: string;
  readonly mapped: Finding;
}

export interface GeneratedRun {
  /** Findings per host id, moved to the sources. */
  readonly byFile: Map<string, Finding[]>;
  readonly units: readonly GeneratedUnit[];
  readonly analyses: readonly FileAnalysis[];
  /** Per unit id, its findings in generated text: what a view drawn from the generated objects shows on them. */
  readonly inUnits: ReadonlyMap<string, readonly UnitFinding[]>;
}

interface ChartEntry {
  readonly chart: HelmChart;
  render?: ChartRender;
  dirty: boolean;
}

/** Text past this many characters on a rendered line is cut in `origin` messages. */
const MAX_ORIGIN_SNIPPET = 80;

/**
 * The charts and kustomizations of a workspace, kept current as files change: a changed file
 * re-renders only the charts that read it (and in them only the templates it affects) and
 * rebuilds only the kustomizations that read it.
 */
export class FrontEnds {
  private readonly charts = new Map<string, ChartEntry>();
  private readonly kustomizations = new Set<string>();
  private readonly builds = new Map<string, KustomizeBuild>();
  private readonly dirtyBuilds = new Set<string>();
  private builder: KustomizeBuilder;
  private roles: FileRoles = new Map();
  private readonly chartRootOf = new Map<string, string | null>();
  private readonly probedFolders = new Set<string>();
  private units: GeneratedUnit[] = [];
  private problems = new Map<string, Finding[]>();
  private stale = true;

  /** The host's files, each read once until it changes (messages and mapping read values files per finding). */
  readonly host: FrontEndHost;
  private readonly texts = new Map<string, string | undefined>();
  private readonly listings = new Map<string, readonly string[] | undefined>();

  constructor(
    host: FrontEndHost,
    private settings: FrontEndSettings = { valuesFiles: [] },
  ) {
    const files: SourceFiles = {
      read: (path) => {
        if (!this.texts.has(path)) this.texts.set(path, host.files.read(path));
        return this.texts.get(path);
      },
      list: (folder) => {
        if (!this.listings.has(folder)) this.listings.set(folder, host.files.list(folder));
        return this.listings.get(folder);
      },
    };
    this.host = { ...host, files };
    this.builder = new KustomizeBuilder(files);
  }

  /** New settings re-render every chart (values files and the Kubernetes version change everything). */
  setSettings(settings: FrontEndSettings): void {
    if (JSON.stringify(settings) === JSON.stringify(this.settings)) return;
    this.settings = settings;
    const roots = [...this.charts.keys()];
    this.charts.clear();
    for (const root of roots) this.addChart(root);
    this.stale = true;
  }

  /** A file of the workspace appeared, changed or disappeared: re-read it where it is used. */
  fileChanged(id: string): void {
    const path = this.host.toPath(id);
    if (path === undefined) return;
    this.texts.delete(path);
    this.listings.delete(dirname(path));
    if (/(^|\/)Chart\.ya?ml$/.test(path) || path.endsWith('/charts') || path.includes('/charts/')) this.chartRootOf.clear();
    const root = this.chartRoot(path);
    if (root !== undefined && !this.charts.has(root)) this.addChart(root);
    for (const [chartRoot, entry] of this.charts) {
      if (!entry.chart.dependsOn(path)) continue;
      // Chart.yaml gone: the folder is no chart any more.
      if (path === `${chartRoot}/Chart.yaml` && this.host.files.read(path) === undefined) {
        this.charts.delete(chartRoot);
        this.stale = true;
        continue;
      }
      entry.chart.invalidate(path);
      entry.dirty = true;
      this.stale = true;
    }
    // A file opened before the workspace is indexed: a kustomization beside it is found at once,
    // so a patch is never shown as a workload of its own, even for a moment.
    const folder = dirname(path);
    if (!this.probedFolders.has(folder)) {
      this.probedFolders.add(folder);
      if (KUSTOMIZATION_FILE_NAMES.some((name) => this.host.files.read(`${folder}/${name}`) !== undefined) && !this.kustomizations.has(folder)) {
        this.kustomizations.add(folder);
        this.dirtyBuilds.add(folder);
        this.stale = true;
      }
    }
    if (isKustomizationFileName(path)) {
      if (this.host.files.read(path) !== undefined) this.kustomizations.add(folder);
      else {
        this.kustomizations.delete(folder);
        this.builds.delete(folder);
      }
      this.dirtyBuilds.add(folder);
      this.stale = true;
    }
    for (const folder of this.builder.dependentsOf(path)) {
      this.dirtyBuilds.add(folder);
      this.stale = true;
    }
  }

  /** The folder of the chart a path belongs to (outermost chart that vendors it), cached per folder. */
  private chartRoot(path: string): string | undefined {
    const folder = dirname(path);
    let root = this.chartRootOf.get(folder);
    if (root === undefined) {
      root = findChartRoot(this.host.files, path) ?? null;
      this.chartRootOf.set(folder, root);
    }
    return root ?? undefined;
  }

  private addChart(root: string): void {
    const valuesFiles = this.settings.valuesFiles
      .map((id) => this.host.toPath(id))
      .filter((path): path is string => path !== undefined)
      .filter((path) => {
        const owner = this.chartRoot(path);
        return owner === undefined || owner === root;
      });
    this.charts.set(root, { chart: new HelmChart(this.host.files, root, { valuesFiles, kubeVersion: this.settings.kubeVersion }), dirty: true });
    this.stale = true;
  }

  /** What a file is when read on its own (see `StandaloneRole`); undefined for a plain manifest. */
  role(id: string): StandaloneRole | undefined {
    const path = this.host.toPath(id);
    if (path === undefined) return undefined;
    const root = this.chartRoot(path);
    if (root !== undefined) return isTemplatePath(path.slice(root.length)) || path.endsWith('.tpl') ? 'template' : 'input';
    if (isKustomizationFileName(path)) return 'input';
    return this.roles.has(normalizePath(path)) ? 'input' : undefined;
  }

  /** Whether any chart or kustomization is known (hosts skip the work otherwise). */
  get empty(): boolean {
    return this.charts.size === 0 && this.kustomizations.size === 0;
  }

  /**
   * Renders the charts and builds the kustomizations that changed since the last call. Returns
   * every unit (unchanged ones as before, so their analysis is reused) and the problems of the
   * front ends as findings per host id.
   */
  generate(): { units: readonly GeneratedUnit[]; problems: ReadonlyMap<string, Finding[]> } {
    if (!this.stale) return { units: this.units, problems: this.problems };
    for (const entry of this.charts.values()) {
      if (!entry.dirty && entry.render) continue;
      entry.render = entry.chart.render();
      entry.dirty = false;
    }
    for (const folder of [...this.builds.keys()]) if (!this.kustomizations.has(folder)) this.builds.delete(folder);
    for (const folder of this.kustomizations) {
      if (this.builds.has(folder) && !this.dirtyBuilds.has(folder)) continue;
      if (this.builder.kindOf(folder) === 'Component') {
        this.builds.delete(folder);
        continue;
      }
      this.builds.set(folder, this.builder.build(folder));
    }
    this.dirtyBuilds.clear();
    this.roles = kustomizeFileRoles([...this.builds.values()]);
    const units: GeneratedUnit[] = [];
    const problems = new Map<string, Finding[]>();
    const add = (path: string, finding: Finding) => {
      const id = this.host.toId(path);
      const list = problems.get(id) ?? [];
      list.push(finding);
      problems.set(id, list);
    };
    for (const [root, entry] of this.charts) {
      for (const template of entry.render?.templates ?? []) {
        units.push({ id: `${this.host.toId(template.owner)}${RENDERED_SUFFIX}`, source: template, kind: 'helm', root, scope: WORKSPACE_SCOPE });
      }
      for (const problem of entry.render?.problems ?? []) add(problem.file, this.helmProblem(problem));
    }
    for (const [folder, build] of this.builds) {
      if (build.ok && build.source) units.push({ id: `${this.host.toId(folder)}${BUILD_SUFFIX}`, source: build.source, kind: 'kustomize', root: folder, scope: folder });
      for (const problem of build.problems) add(problem.file, this.kustomizeProblem(problem, folder));
    }
    // A problem of a base shows once, however many overlays build it.
    for (const [id, list] of problems) problems.set(id, dedupe(list));
    this.units = units;
    this.problems = problems;
    this.stale = false;
    return { units, problems };
  }

  private helmProblem(problem: HelmProblem): Finding {
    const archive = problem.severity === 'info';
    const meta = archive ? META.remoteNotAnalysed : META.renderFailed;
    const related = problem.related?.map((place) => ({ message: place.message, range: place.range, file: place.file === problem.file ? undefined : this.host.toId(place.file) }));
    const template = problem.template && problem.template !== problem.file ? ` (rendering ${relativeName(problem.template, dirname(problem.file))})` : '';
    const message = problem.severity === 'error' ? `Helm: ${problem.message}${template}; the rest of the chart is still analysed.` : `Helm: ${problem.message}.`;
    return { ...metaFinding(meta, message, problem.range, problem.severity), related: related && related.length > 0 ? related : undefined };
  }

  private kustomizeProblem(problem: KustomizeProblem, folder: string): Finding {
    if (problem.code === 'remote-not-analysed') return metaFinding(META.remoteNotAnalysed, `Kustomize: ${problem.message}.`, problem.range, 'info');
    const where = problem.severity === 'error' ? ` The build of ${relativeName(folder, dirname(problem.file)) || '.'} yields no objects until this is fixed.` : '';
    return metaFinding(META.renderFailed, `Kustomize: ${problem.message}.${where}`, problem.range, problem.severity);
  }

  /** The text of a host file as the front ends read it (for line numbers in messages). */
  text(id: string): string | undefined {
    const path = this.host.toPath(id);
    return path === undefined ? undefined : this.host.files.read(path);
  }
}

/**
 * The findings of one rendered chart or built overlay (`entries`: its `GeneratedRun.inUnits`) in
 * offsets of its generated text, as the user sees them on their sources: a finding settings or a
 * suppression hid there is left out, and the severity is the one shown there. `shown(file)` gives a
 * source file's findings after settings and suppressions (`finalizeFindings`).
 */
export function unitFindingsAsShown(entries: readonly UnitFinding[], shown: (file: string) => readonly Finding[]): Finding[] {
  const key = (finding: Finding) => `${finding.ruleId}@${finding.range.start}-${finding.range.end}`;
  const byFile = new Map<string, Map<string, Finding>>();
  const shownIn = (file: string) => {
    let byKey = byFile.get(file);
    if (!byKey) byFile.set(file, (byKey = new Map(shown(file).map((finding) => [key(finding), finding]))));
    return byKey;
  };
  return entries.flatMap((entry) => {
    const seen = shownIn(entry.file).get(key(entry.mapped));
    return seen ? [{ ...entry.finding, severity: seen.severity }] : [];
  });
}

/**
 * A place in the text of `unit` (a rendered template or an overlay's build) moved to the source
 * line behind it, as a host id and offsets into that file; undefined when no source produced it.
 */
export function mapUnitPlace(unit: GeneratedUnit, host: FrontEndHost, range: OffsetRange): { readonly file: string; readonly range: OffsetRange } | undefined {
  const mapped = mapGeneratedRange(unit.source, range);
  return mapped ? { file: host.toId(mapped.primary.file), range: mapped.primary.range } : undefined;
}

/** Related places a finding lists at most once merged with those of its duplicates. */
const MAX_MERGED_RELATED = 20;

/** `finding` with the related places of a duplicate it does not list yet (bounded); the same object when none are new. */
function withRelated(finding: Finding, more: readonly RelatedLocation[] | undefined): Finding {
  const have = finding.related ?? [];
  const key = (r: RelatedLocation) => `${r.file ?? ''}@${r.range.start}-${r.range.end}:${r.message}`;
  const known = new Set(have.map(key));
  const added = (more ?? []).filter((r) => !known.has(key(r))).slice(0, Math.max(0, MAX_MERGED_RELATED - have.length));
  return added.length === 0 ? finding : { ...finding, related: [...have, ...added] };
}

/** Later duplicates (same rule, place and message) dropped. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.ruleId}@${finding.range.start}-${finding.range.end}:${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `path` relative to `folder`, '/'-separated, with `../` where it lies outside. */
export function relativeName(path: string, folder: string): string {
  const from = normalizePath(folder).split('/').filter(Boolean);
  const to = normalizePath(path).split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

/** A file as the analysis keeps a template: its text, lines and suppressions, never parsed as YAML. */
export function sourceOnlyAnalysis(file: string, text: string): FileAnalysis {
  return { file, text, lines: new LineIndex(text), segments: [], kinds: new Set(), documentFindings: [], suppressions: text.includes('sbd-ignore') ? findSuppressions(text) : [], documents: [] };
}

/** An input file's analysis without its checks: syntax problems stay, workloads leave (the build checks them). */
export function asInput(analysis: FileAnalysis): FileAnalysis {
  return { ...analysis, documentFindings: analysis.documentFindings.filter((finding) => !finding.pattern), documents: [], kinds: new Set() };
}

/**
 * Analyses the generated units and runs the cross-file rules per scope (`plain` joins the
 * workspace scope), then maps every finding of generated text to the file and line that produced
 * it. Returns findings per host id, in that file's offsets, before settings and suppressions;
 * plain files' cross-file findings are included.
 */
export class GeneratedAnalysis {
  private readonly analyzer: Analyzer;
  private readonly analyses = new Map<string, { source: GeneratedSource; analysis: FileAnalysis }>();
  private generatedOptions: { from: AnalysisOptions; options: AnalysisOptions } | undefined;
  private readonly lines = new Map<string, { text: string; lines: LineIndex }>();
  private readonly mapped = new Map<string, { analysis: FileAnalysis; source: GeneratedSource; findings: Array<{ file: string; finding: Finding }> }>();

  constructor(
    private readonly frontEnds: FrontEnds,
    analyzer: Analyzer,
  ) {
    // Its own analyzer: rendered text has its own size limit and its cache must not be cleared by the host's files.
    this.analyzer = new Analyzer(analyzer.rules);
  }

  /** The analysis of each unit (cached while the unit's source is the same object). */
  analyze(units: readonly GeneratedUnit[], options: AnalysisOptions): FileAnalysis[] {
    if (this.generatedOptions?.from !== options) {
      // The front ends bound rendered output themselves (32 M characters); the per-file limit is for files users wrote.
      this.generatedOptions = { from: options, options: { ...options, maxFileBytes: Math.max(options.maxFileBytes, 32 * 1024 * 1024) } };
      this.analyses.clear();
    }
    const live = new Set(units.map((unit) => unit.id));
    for (const id of [...this.analyses.keys()]) {
      if (!live.has(id)) {
        this.analyses.delete(id);
        this.analyzer.forget(id);
      }
    }
    return units.map((unit) => {
      const cached = this.analyses.get(unit.id);
      if (cached && cached.source === unit.source) return cached.analysis;
      const analysis = this.analyzer.analyzeFile(unit.id, unit.source.text, this.generatedOptions!.options);
      this.analyses.set(unit.id, { source: unit.source, analysis });
      return analysis;
    });
  }

  /**
   * Findings per host id: cross-file findings of `plain` files, and every finding of the rendered
   * charts and built overlays mapped to its source, one per rule and place.
   */
  run(plain: readonly FileAnalysis[], options: AnalysisOptions): GeneratedRun {
    const { units, problems } = this.frontEnds.generate();
    const analyses = this.analyze(units, options);
    const unitById = new Map(units.map((unit) => [unit.id, unit]));
    const scopes = new Map<string, FileAnalysis[]>([[WORKSPACE_SCOPE, [...plain]]]);
    units.forEach((unit, index) => {
      const list = scopes.get(unit.scope) ?? [];
      list.push(analyses[index]);
      scopes.set(unit.scope, list);
    });
    const raw = new Map<string, Finding[]>();
    const push = (file: string, finding: Finding) => {
      const list = raw.get(file) ?? [];
      list.push(finding);
      raw.set(file, list);
    };
    for (const files of scopes.values()) {
      for (const [file, findings] of runWorkspaceRules(files, this.analyzer.rules, options)) for (const finding of findings) push(file, finding);
    }
    const byFile = new Map<string, Finding[]>();
    const seen = new Map<string, { list: Finding[]; index: number }>();
    const add = (file: string, finding: Finding) => {
      // One fact, one finding: a values line several templates use, or a base line reached through
      // several overlays, is reported once, with the other places it reached as related information.
      const key = `${file}\0${finding.ruleId}@${finding.range.start}-${finding.range.end}`;
      const at = seen.get(key);
      if (at) {
        at.list[at.index] = withRelated(at.list[at.index], finding.related);
        return;
      }
      const list = byFile.get(file) ?? [];
      seen.set(key, { list, index: list.length });
      list.push(finding);
      byFile.set(file, list);
    };
    // Document findings of a unit move with it; mapped once per rendered text. When several builds
    // report one rule at one source place (a base line seen through its own build and an overlay's),
    // the build of the folder that holds the file speaks for it: the base keeps its own finding.
    const elsewhere: Array<{ file: string; finding: Finding }> = [];
    const inUnits = new Map<string, UnitFinding[]>();
    units.forEach((unit, index) => {
      const analysis = analyses[index];
      let mapped = this.mapped.get(unit.id);
      if (!mapped || mapped.analysis !== analysis || mapped.source !== unit.source) {
        mapped = { analysis, source: unit.source, findings: analysis.documentFindings.map((finding) => this.mapFinding(finding, unit, unitById)) };
        this.mapped.set(unit.id, mapped);
      }
      inUnits.set(unit.id, analysis.documentFindings.map((finding, at) => ({ finding, file: mapped.findings[at].file, mapped: mapped.findings[at].finding })));
      const inside = `${unit.root.replace(/\/+$/, '')}/`;
      for (const entry of mapped.findings) {
        if (this.frontEnds.host.toPath(entry.file)?.startsWith(inside)) add(entry.file, entry.finding);
        else elsewhere.push(entry);
      }
    });
    for (const entry of elsewhere) add(entry.file, entry.finding);
    for (const id of [...this.mapped.keys()]) if (!unitById.has(id)) this.mapped.delete(id);
    for (const [file, findings] of raw) {
      const unit = unitById.get(file);
      for (const finding of findings) {
        if (!unit) {
          add(file, this.mapRelatedOnly(finding, unitById));
          continue;
        }
        const mapped = this.mapFinding(finding, unit, unitById);
        add(mapped.file, mapped.finding);
        inUnits.get(unit.id)?.push({ finding, file: mapped.file, mapped: mapped.finding });
      }
    }
    for (const [file, findings] of problems) for (const finding of findings) add(file, finding);
    return { byFile, units, analyses, inUnits };
  }

  /** A finding of a plain file whose related places may lie in generated text. */
  private mapRelatedOnly(finding: Finding, units: ReadonlyMap<string, GeneratedUnit>): Finding {
    if (!finding.related?.some((related) => related.file && units.has(related.file))) return finding;
    return { ...finding, related: finding.related.flatMap((related) => this.mapRelated(related, undefined, undefined, units)) };
  }

  private mapRelated(related: RelatedLocation, unit: GeneratedUnit | undefined, findingFile: string | undefined, units: ReadonlyMap<string, GeneratedUnit>): RelatedLocation[] {
    const inUnit = related.file ? units.get(related.file) : unit;
    if (!inUnit) return [related];
    const place = mapGeneratedRange(inUnit.source, related.range);
    if (!place) return [];
    const file = this.frontEnds.host.toId(place.primary.file);
    return [{ message: related.message, range: place.primary.range, file: file === findingFile ? undefined : file }];
  }

  /** Moves a finding of generated text to its source: the place, related places, fixes and the origin sentence. */
  mapFinding(finding: Finding, unit: GeneratedUnit, units: ReadonlyMap<string, GeneratedUnit>): { file: string; finding: Finding } {
    const host = this.frontEnds.host;
    let place = mapGeneratedRange(unit.source, finding.range);
    const at = segmentContaining(unit.source.segments, { start: finding.range.start, end: finding.range.start });
    if (at?.value && unit.kind === 'kustomize' && (/^(namePrefix|nameSuffix)$/.test(at.value.path) || this.sameText(at.value, at.producer))) {
      // A finding about an object or container names it; the prefix an overlay adds, or a patch
      // restating the name as its merge key, is not the cause: the base object is.
      place = { primary: at.producer, related: [] };
    }
    if (place && place.related.length === 0 && place.primary.file !== unit.source.owner) {
      // Text a named template produced (a name, an image from a library helper): the template line
      // that called it is where the chart's author reads and changes it; the helper is related.
      const caller = callerOnLine(unit.source, finding.range.start);
      if (caller) place = { primary: caller, related: [{ span: place.primary, role: 'produced-by' }] };
    }
    const primary: SourceSpan = place?.primary ?? { file: unit.source.owner, range: { start: 0, end: 0 } };
    const file = host.toId(primary.file);
    const related: RelatedLocation[] = [];
    const originParts: string[] = [];
    const snippet = renderedLine(unit.source.text, finding.range.start);
    if (place) {
      const where = this.lineLabel(primary, unit.root);
      if (place.related.length > 0) {
        originParts.push(`${place.related.some((other) => other.role === 'used-in') ? 'set in' : 'from'} ${where}`);
        for (const other of place.related) {
          const label = this.lineLabel(other.span, unit.root);
          const role = other.role === 'used-in' ? 'used in' : other.role === 'set-in' ? 'set in' : 'produced by';
          originParts.push(`${role} ${label}`);
          const otherFile = host.toId(other.span.file);
          related.push({ message: `${role} ${label}`, range: other.span.range, file: otherFile === file ? undefined : otherFile });
        }
      } else originParts.push(`from ${where}`);
    }
    for (const location of finding.related ?? []) related.push(...this.mapRelated(location, unit, file, units));
    const fixes = finding.fixes?.flatMap((fix) => {
      const mapped = mapFix(fix, unit.source, primary.file, (path) => this.frontEnds.host.files.read(path));
      return mapped ? [mapped] : [];
    });
    const build = unit.kind === 'kustomize' ? ` (in the build of ${relativeName(unit.root, dirname(primary.file)) || '.'})` : '';
    const origin = place ? `\`${snippet}\` — ${originParts.join(', ')}${build}` : `\`${snippet}\` — its source could not be traced${build}`;
    return {
      file,
      finding: {
        ...finding,
        range: primary.range,
        related: related.length > 0 ? related : undefined,
        fixes: fixes && fixes.length > 0 ? fixes : undefined,
        origin,
      },
    };
  }

  private sameText(a: SourceSpan, b: SourceSpan): boolean {
    const read = (span: SourceSpan) => this.frontEnds.host.files.read(span.file)?.slice(span.range.start, span.range.end);
    const text = read(a);
    return text !== undefined && text === read(b);
  }

  /** `values.yaml:12`, relative to the chart or kustomization folder. */
  private lineLabel(span: SourceSpan, root: string): string {
    const text = this.frontEnds.host.files.read(span.file);
    let line = 0;
    if (text !== undefined) {
      let cached = this.lines.get(span.file);
      if (!cached || cached.text !== text) {
        cached = { text, lines: new LineIndex(text) };
        this.lines.set(span.file, cached);
      }
      line = cached.lines.positionAt(span.range.start).line;
    }
    return `${relativeName(span.file, root)}:${line + 1}`;
  }
}

/** The last stretch of the generated line up to `offset` that the unit's own template wrote, if any. */
function callerOnLine(source: GeneratedSource, offset: number): SourceSpan | undefined {
  const lineStart = source.text.lastIndexOf('\n', offset - 1) + 1;
  const segments = source.segments;
  let low = 0;
  let high = segments.length - 1;
  let first = segments.length;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (segments[mid].end > lineStart) {
      first = mid;
      high = mid - 1;
    } else low = mid + 1;
  }
  let caller: SourceSpan | undefined;
  for (let i = first; i < segments.length && segments[i].start <= offset; i++) {
    if (segments[i].producer.file === source.owner && !segments[i].value) caller = segments[i].producer;
  }
  return caller;
}

/** The rendered line holding `offset`, trimmed and cut to a readable length. */
function renderedLine(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const line = text.slice(start, newline === -1 ? undefined : newline).trim().replace(/^- /, '');
  return line.length > MAX_ORIGIN_SNIPPET ? `${line.slice(0, MAX_ORIGIN_SNIPPET - 1)}…` : line;
}

/**
 * A fix computed on generated text, moved to the file the text came from — only when every edit
 * replaces text copied verbatim from that file (a value from values.yaml, a literal of the
 * template or the patch): then the edit means the same there. Anything else (an insertion whose
 * indentation a template computes, text a function built) is not mapped, and the fix is not offered.
 */
export function mapFix(fix: Fix, source: GeneratedSource, targetFile: string, read: (path: string) => string | undefined): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const edit of fix.edits) {
    if (edit.end <= edit.start) return undefined;
    const segment = segmentContaining(source.segments, edit);
    if (!segment) return undefined;
    const origin: SourceSpan = segment.value ?? segment.producer;
    if (origin.file !== targetFile) return undefined;
    const originText = read(origin.file)?.slice(origin.range.start, origin.range.end);
    if (originText === undefined || originText !== source.text.slice(segment.start, segment.end)) return undefined;
    const delta = origin.range.start - segment.start;
    edits.push({ start: edit.start + delta, end: edit.end + delta, newText: edit.newText });
  }
  return edits.length > 0 ? { ...fix, edits } : undefined;
}

function segmentContaining(segments: readonly MappedSegment[], range: OffsetRange): MappedSegment | undefined {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const segment = segments[mid];
    if (segment.end < range.end) low = mid + 1;
    else if (segment.start > range.start) high = mid - 1;
    else return segment;
  }
  return undefined;
}
