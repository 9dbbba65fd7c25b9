/**
 * A Helm chart rendered in-process, as `helm template` would, into one `GeneratedSource` per
 * template with a source map back to the template text and the values lines.
 *
 * A chart is a folder with `Chart.yaml`. Its `values.yaml` is merged with the values files the
 * caller names (in order, like `helm -f`), subcharts come from `charts/` folders (`.tgz` archives
 * are reported as not analysed), dependencies are enabled by `condition`/`tags`, `import-values`
 * copies a subchart's values up, library charts contribute named templates only, and
 * `values.schema.json` is not applied. Every template under `templates/` is rendered except
 * partials (`_*.tpl`/`_*`) and `NOTES.txt`; a template that fails gives one problem at the place it
 * failed, and the others still render.
 *
 * Incremental: the chart keeps the text of the files it read, the parsed templates and the last
 * results. After `invalidate(path)`, `render()` re-reads that file only and re-renders only what
 * depends on it (a template edit: that template, or the templates that use a named template whose
 * text moved; a values or Chart.yaml edit: the whole chart).
 */
import type { OffsetRange } from '../../core/types';
import { dirname, joinPath, normalizePath, type SourceFiles } from '../files';
import type { GeneratedSource, SourceSpan, ValueOrigin } from '../sourceMap';
import { HelmEngine } from './engine';
import { globToRegExp } from './glob';
import { TemplateError } from './template/errors';
import type { ExecutionLimits } from './template/exec';
import { base64Encode } from './template/crypto';
import { keyOrigin, setSelfOrigin } from './template/provenance';
import { deepCopy, strval } from './template/sprig';
import { GoStruct, hasKey, isGoMap, newMap, type GoMap, type GoValue, type TraceSegment } from './template/values';
import { toYamlTraced } from './serialize';
import { coalesceGlobals, coalesceValues, mergeUserValues, valueAt } from './values';
import { parseValuesYaml } from './valuesFile';

/** The Kubernetes version `.Capabilities.KubeVersion` reports unless configured. */
export const DEFAULT_KUBE_VERSION = 'v1.32.0';

/** The built-in API group versions `.Capabilities.APIVersions.Has` answers true for (Kubernetes 1.32). */
export const BUILTIN_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1alpha1',
  'apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1', 'authentication.k8s.io/v1alpha1',
  'authorization.k8s.io/v1',
  'autoscaling/v1', 'autoscaling/v2',
  'batch/v1',
  'certificates.k8s.io/v1', 'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1', 'coordination.k8s.io/v1alpha2',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1', 'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'resource.k8s.io/v1beta1', 'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1', 'storage.k8s.io/v1beta1', 'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1alpha1',
];

export interface HelmRenderOptions {
  /** Extra values files (host paths), merged over values.yaml in order, like `helm -f`. */
  readonly valuesFiles?: readonly string[];
  readonly release?: { readonly name?: string; readonly namespace?: string; readonly revision?: number; readonly isUpgrade?: boolean };
  /** `.Capabilities.KubeVersion`, e.g. `v1.30.2` (default `DEFAULT_KUBE_VERSION`). */
  readonly kubeVersion?: string;
  /** Extra entries for `.Capabilities.APIVersions` (like `helm template --api-versions`), e.g. `monitoring.coreos.com/v1`. */
  readonly apiVersions?: readonly string[];
  readonly limits?: Partial<ExecutionLimits>;
}

/** A span of generated text that holds one YAML document (`---` separated, empty ones left out). */
export interface DocumentSpan extends OffsetRange {}

/** One rendered template. `name` is Helm's template name; `owner` is the template file. */
export interface RenderedTemplate extends GeneratedSource {
  /** The chart the template belongs to, as a path of chart names (`redis`, `redis/charts/common`). */
  readonly chart: string;
  readonly documents: readonly DocumentSpan[];
  /** What the rendering could not know (placeholders for random values, empty `lookup`). */
  readonly notes: readonly string[];
}

export interface HelmProblem {
  readonly severity: 'error' | 'warning' | 'info';
  /** Where the problem is: the template line that failed, the values line, Chart.yaml. */
  readonly file: string;
  readonly range: OffsetRange;
  readonly message: string;
  /** The template (host path) whose rendering failed, when a render failed. */
  readonly template?: string;
  /** Other places: the call site in the rendered template when the failure was inside an include. */
  readonly related?: ReadonlyArray<SourceSpan & { readonly message: string }>;
}

export interface ChartRender {
  readonly chart: { readonly name: string; readonly version: string; readonly root: string };
  /** Rendered templates with output (templates that render only whitespace are left out), sorted by name. */
  readonly templates: readonly RenderedTemplate[];
  readonly problems: readonly HelmProblem[];
  /** How many templates rendered in the last `render()` call (the others came from the cache). */
  readonly rendered: number;
}

interface Dependency {
  readonly name: string;
  readonly alias?: string;
  readonly condition?: string;
  readonly tags: string[];
  readonly importValues: GoValue[];
}

interface ChartNode {
  readonly name: string;
  readonly dir: string;
  /** Template name prefix: `redis`, `redis/charts/common`. */
  readonly path: string;
  readonly metadata: GoMap;
  readonly defaults: GoMap;
  readonly library: boolean;
  readonly dependencies: Dependency[];
  readonly subcharts: ChartNode[];
  readonly templates: string[];
  readonly problems: HelmProblem[];
}

interface CachedResult {
  readonly template?: RenderedTemplate;
  readonly problem?: HelmProblem;
  readonly usedDefines: Set<string>;
  /** Value paths the render read; undefined when unknown (then any values change re-renders it). */
  readonly reads?: Set<string>;
}

const MAX_TEMPLATE_FILES = 5000;
const MAX_CHART_DEPTH = 10;

/** Recognises a chart: a folder that has a `Chart.yaml`. */
export function isChartRoot(files: SourceFiles, folder: string): boolean {
  return files.read(joinPath(folder, 'Chart.yaml')) !== undefined;
}

/** The chart folder a file belongs to (the nearest folder above it with `Chart.yaml`), if any. */
export function findChartRoot(files: SourceFiles, path: string): string | undefined {
  let folder = dirname(normalizePath(path));
  for (let i = 0; i < 64 && folder !== '' && folder !== '/'; i++) {
    if (isChartRoot(files, folder)) {
      // A subchart's templates belong to the outermost chart that vendors it.
      const parent = dirname(folder);
      if (parent.endsWith('/charts') && isChartRoot(files, dirname(parent))) return findChartRoot(files, parent);
      return folder;
    }
    folder = dirname(folder);
  }
  return undefined;
}

/** Whether a file of a chart is a template (under some chart's `templates/`), never to be parsed as plain YAML. */
export function isTemplatePath(path: string): boolean {
  return /(^|\/)templates\//.test(path);
}

export class HelmChart {
  private readonly texts = new Map<string, string | undefined>();
  private readonly listings = new Map<string, readonly string[] | undefined>();
  private engine: HelmEngine;
  private tree: ChartNode | undefined;
  private values: GoMap | undefined;
  private valueProblems: HelmProblem[] = [];
  private readonly results = new Map<string, CachedResult>();
  private dirtyAll = true;
  private readonly dirtyTemplates = new Set<string>();
  private readonly changedDefines = new Set<string>();
  private readonly root: string;

  constructor(
    private readonly files: SourceFiles,
    root: string,
    private readonly options: HelmRenderOptions = {},
  ) {
    this.root = normalizePath(root);
    this.engine = new HelmEngine({ limits: options.limits });
    this.engine.fallback = (name) => this.standIn(name);
  }

  /** Whether the chart reads `path` (its files, its subcharts' files, or a named values file). */
  dependsOn(path: string): boolean {
    const p = normalizePath(path);
    return p.startsWith(this.root + '/') || (this.options.valuesFiles ?? []).some((f) => normalizePath(f) === p);
  }

  /** Tells the chart that a file changed, appeared or disappeared; the next `render()` re-reads it. */
  invalidate(path: string): void {
    const p = normalizePath(path);
    // A workspace index reports every file it reads: one the chart never looked at, or the text it
    // already rendered with, changes nothing, and re-rendering a large chart costs a second.
    if (!this.hasSeen(p)) return;
    const before = this.texts.get(p);
    if (before !== undefined && this.files.read(p) === before) return;
    this.texts.delete(p);
    this.listings.delete(dirname(p));
    const relative = p.startsWith(this.root + '/') ? p.slice(this.root.length + 1) : '';
    const inTemplates = /(^|\/)templates\//.test(relative);
    if (inTemplates && this.tree && this.isKnownTemplate(p)) {
      this.dirtyTemplates.add(p);
      return;
    }
    const isValuesFile = /(^|\/)values\.ya?ml$/.test(relative) || (this.options.valuesFiles ?? []).some((f) => normalizePath(f) === p);
    this.tree = undefined;
    this.values = undefined;
    if (isValuesFile) {
      // Only the templates that read a changed value re-render (see render()).
      this.changedValuesFiles.add(p);
      return;
    }
    // Anything else (Chart.yaml, a new template file, a subchart): reload the chart.
    for (const key of [...this.listings.keys()]) if (key.startsWith(this.root)) this.listings.delete(key);
    this.dirtyAll = true;
  }

  /**
   * Whether rendering looked at `path`: read it (or tried to), or listed a folder above it inside
   * the chart (`templates/`, `charts/`, or any folder `.Files` walked), where its appearing counts.
   */
  private hasSeen(path: string): boolean {
    if (this.texts.has(path)) return true;
    for (let folder = dirname(path); folder === this.root || folder.startsWith(this.root + '/'); folder = dirname(folder)) {
      if (this.listings.has(folder)) return true;
    }
    return false;
  }

  private readonly changedValuesFiles = new Set<string>();
  private previousValues: GoMap | undefined;
  private changedValuePaths: Set<string> | undefined;

  /**
   * After a values edit, cached renders that did not need re-rendering still point at values
   * spans of the old text: move each to where the same value path is set now.
   */
  private remapValueOrigins(values: GoMap): void {
    const index = new Map<string, ValueOrigin>();
    const walk = (value: GoValue, depth: number) => {
      if (depth > 100 || value === null || typeof value !== 'object') return;
      const entries: Array<[string | number, GoValue]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : isGoMap(value) ? Object.entries(value) : [];
      for (const [key, child] of entries) {
        const origin = keyOrigin(value, key);
        if (origin) index.set(`${origin.file}\0${origin.path}`, origin);
        walk(child, depth + 1);
      }
    };
    walk(values, 0);
    for (const [path, cached] of this.results) {
      const template = cached.template;
      if (!template || !template.segments.some((s) => s.value && this.changedValuesFiles.has(s.value.file))) continue;
      const segments = template.segments.map((s) => {
        if (!s.value || !this.changedValuesFiles.has(s.value.file)) return s;
        const now = index.get(`${s.value.file}\0${s.value.path}`);
        return now ? { ...s, value: now } : { start: s.start, end: s.end, producer: s.producer };
      });
      this.results.set(path, { ...cached, template: { ...template, segments } });
    }
  }
  private valuePaths = new WeakMap<object, string>();

  private isKnownTemplate(path: string): boolean {
    const visit = (node: ChartNode): boolean => node.templates.includes(path) || node.subcharts.some(visit);
    return this.tree ? visit(this.tree) : false;
  }

  private readonly parsedYaml = new Map<string, { text: string; parsed: ReturnType<typeof parseValuesYaml> }>();

  /** Parses a chart's YAML file (Chart.yaml, values.yaml) once per text; callers must not change the result. */
  private parseYaml(path: string, text: string): ReturnType<typeof parseValuesYaml> {
    const cached = this.parsedYaml.get(path);
    if (cached && cached.text === text) return cached.parsed;
    const parsed = parseValuesYaml(text, path);
    this.parsedYaml.set(path, { text, parsed });
    return parsed;
  }

  private read(path: string): string | undefined {
    if (!this.texts.has(path)) this.texts.set(path, this.files.read(path));
    return this.texts.get(path);
  }

  private list(folder: string): readonly string[] | undefined {
    if (!this.listings.has(folder)) this.listings.set(folder, this.files.list(folder));
    return this.listings.get(folder);
  }

  /** Renders the chart (or, after `invalidate`, what depends on the changed files). Never throws for chart content. */
  render(): ChartRender {
    if (!this.tree) {
      this.tree = this.loadChart(this.root, undefined, 0);
      this.values = undefined;
    }
    const tree = this.tree;
    if (!this.values) {
      const previous = this.values === undefined ? this.previousValues : undefined;
      const disabledBefore = new Set([...this.disabled].map((n) => n.path));
      this.values = this.computeValues(tree);
      this.previousValues = this.values;
      this.valuePaths = indexValuePaths(this.values);
      const disabledAfter = new Set([...this.disabled].map((n) => n.path));
      const sameCharts = disabledBefore.size === disabledAfter.size && [...disabledBefore].every((p) => disabledAfter.has(p));
      if (previous && sameCharts && !this.dirtyAll && this.changedValuesFiles.size > 0) {
        this.changedValuePaths = diffValues(previous, this.values);
        this.remapValueOrigins(this.values);
      } else this.dirtyAll = true;
      this.changedValuesFiles.clear();
    }
    const enabled = this.enabledCharts(tree);
    const names = new Set(enabled.flatMap((node) => node.templates.map((path) => this.templateName(node, path))));
    for (const name of this.engine.fileNames()) {
      if (!names.has(name)) {
        for (const define of this.engine.definesOf(name).keys()) this.changedDefines.add(define);
        this.engine.removeFile(name);
      }
    }
    // Sync template files into the engine, noting which named templates changed.
    for (const node of enabled) {
      for (const path of node.templates) {
        const name = this.templateName(node, path);
        const text = this.read(path) ?? '';
        const before = this.engine.definesOf(name);
        const beforeError = this.engine.parseError(name);
        this.engine.setFile(name, path, text);
        const after = this.engine.definesOf(name);
        for (const [define, body] of before) if (after.get(define) !== body) this.changedDefines.add(define);
        for (const define of after.keys()) if (!before.has(define)) this.changedDefines.add(define);
        if (beforeError !== this.engine.parseError(name)) this.dirtyTemplates.add(path);
      }
    }
    const problems: HelmProblem[] = [...this.valueProblems];
    const collect = (node: ChartNode) => {
      problems.push(...node.problems);
      node.subcharts.forEach(collect);
    };
    collect(tree);
    let rendered = 0;
    const templates: RenderedTemplate[] = [];
    const parseErrors = this.engine.hasParseErrors();
    for (const node of enabled) {
      for (const path of node.templates) {
        const name = this.templateName(node, path);
        const parseError = this.engine.parseError(name);
        if (parseError) {
          problems.push(errorProblem(parseError, path));
          this.results.delete(path);
          continue;
        }
        if (!isRenderedTemplate(path) || node.library) continue;
        let cached = this.results.get(path);
        const stale =
          !cached ||
          this.dirtyAll ||
          this.dirtyTemplates.has(path) ||
          [...cached.usedDefines].some((d) => this.changedDefines.has(d)) ||
          (this.changedValuePaths !== undefined && readsChanged(cached.reads, this.changedValuePaths));
        if (stale) {
          cached = this.renderTemplate(node, path, name, parseErrors);
          this.results.set(path, cached);
          rendered++;
        }
        if (cached!.template) templates.push(cached!.template);
        if (cached!.problem) problems.push(cached!.problem);
      }
    }
    this.dirtyAll = false;
    this.dirtyTemplates.clear();
    this.changedDefines.clear();
    this.changedValuePaths = undefined;
    templates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const meta = tree.metadata;
    return {
      chart: { name: strval(meta.name ?? ''), version: strval(meta.version ?? ''), root: this.root },
      templates,
      problems: dedupeProblems(problems),
      rendered,
    };
  }

  private templateName(node: ChartNode, path: string): string {
    return `${node.path}/${path.slice(node.dir.length + 1)}`;
  }

  // ---- loading

  private loadChart(dir: string, parentPath: string | undefined, depth: number, alias?: string): ChartNode {
    const problems: HelmProblem[] = [];
    const chartFile = joinPath(dir, 'Chart.yaml');
    const chartText = this.read(chartFile) ?? '';
    const parsedChart = this.parseYaml(chartFile, chartText);
    for (const p of parsedChart.problems) problems.push({ severity: p.severity, file: p.file, range: p.range, message: `Chart.yaml: ${p.message}` });
    const metadata = parsedChart.values;
    const name = alias ?? (typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : dir.split('/').pop() ?? 'chart');
    const path = parentPath ? `${parentPath}/charts/${name}` : name;
    const valuesFile = joinPath(dir, 'values.yaml');
    const valuesText = this.read(valuesFile) ?? this.read(joinPath(dir, 'values.yml'));
    const parsedValues = this.parseYaml(valuesFile, valuesText ?? '');
    for (const p of parsedValues.problems) problems.push({ severity: p.severity, file: p.file, range: p.range, message: `values.yaml: ${p.message}` });
    const dependencies: Dependency[] = [];
    let deps = metadata.dependencies;
    if (!Array.isArray(deps)) {
      const requirements = this.read(joinPath(dir, 'requirements.yaml'));
      if (requirements) deps = parseValuesYaml(requirements, joinPath(dir, 'requirements.yaml')).values.dependencies;
    }
    for (const dep of Array.isArray(deps) ? deps : []) {
      if (!isGoMap(dep) || typeof dep.name !== 'string') continue;
      dependencies.push({
        name: dep.name,
        alias: typeof dep.alias === 'string' ? dep.alias : undefined,
        condition: typeof dep.condition === 'string' ? dep.condition : undefined,
        tags: Array.isArray(dep.tags) ? dep.tags.map(strval) : [],
        importValues: Array.isArray(dep['import-values']) ? dep['import-values'] : [],
      });
    }
    const templates: string[] = [];
    const walk = (folder: string, level: number) => {
      if (level > 20) return;
      for (const entry of this.list(folder) ?? []) {
        if (templates.length >= MAX_TEMPLATE_FILES) return;
        if (entry.endsWith('/')) walk(joinPath(folder, entry), level + 1);
        else templates.push(joinPath(folder, entry));
      }
    };
    walk(joinPath(dir, 'templates'), 0);
    templates.sort();
    const subcharts: ChartNode[] = [];
    const chartsDir = joinPath(dir, 'charts');
    const vendored = new Map<string, string>();
    for (const entry of this.list(chartsDir) ?? []) {
      if (entry.endsWith('/')) {
        const subDir = joinPath(chartsDir, entry);
        if (this.read(joinPath(subDir, 'Chart.yaml')) === undefined) continue;
        const subMeta = this.parseYaml(joinPath(subDir, 'Chart.yaml'), this.read(joinPath(subDir, 'Chart.yaml')) ?? '').values;
        vendored.set(typeof subMeta.name === 'string' ? subMeta.name : entry.slice(0, -1), subDir);
      } else if (/\.(tgz|tar\.gz)$/.test(entry)) {
        problems.push({
          severity: 'info',
          file: joinPath(chartsDir, entry),
          range: { start: 0, end: 0 },
          message: `subchart archive ${entry} is not analysed: unpack it under charts/ to have its templates rendered`,
        });
      }
    }
    if (depth < MAX_CHART_DEPTH) {
      const used = new Set<string>();
      for (const dep of dependencies) {
        const subDir = vendored.get(dep.name);
        if (!subDir) continue;
        used.add(dep.name);
        subcharts.push(this.loadChart(subDir, path, depth + 1, dep.alias));
      }
      for (const [subName, subDir] of vendored) if (!used.has(subName)) subcharts.push(this.loadChart(subDir, path, depth + 1));
    }
    return {
      name,
      dir,
      path,
      metadata,
      defaults: parsedValues.values,
      library: metadata.type === 'library',
      dependencies,
      subcharts,
      templates,
      problems,
    };
  }

  // ---- values

  private computeValues(tree: ChartNode): GoMap {
    this.valueProblems = [];
    this.missingDependencies.clear();
    const user = newMap();
    for (const file of this.options.valuesFiles ?? []) {
      const path = normalizePath(file);
      const text = this.read(path);
      if (text === undefined) {
        this.valueProblems.push({ severity: 'error', file: path, range: { start: 0, end: 0 }, message: `values file ${file} cannot be read` });
        continue;
      }
      const parsed = this.parseYaml(path, text);
      for (const p of parsed.problems) this.valueProblems.push({ severity: p.severity, file: p.file, range: p.range, message: p.message });
      mergeUserValues(user, deepCopy(parsed.values) as GoMap);
    }
    // First pass: conditions and tags are read from the values coalesced with all subcharts.
    const firstPass = this.coalesceTree(tree, deepCopy(user) as GoMap, true);
    this.applyConditions(tree, firstPass, '');
    const values = this.coalesceTree(tree, user, false);
    this.importValues(tree, values);
    return values;
  }

  private readonly disabled = new Set<ChartNode>();
  private readonly missingDependencies = new Set<string>();
  private readonly standIns = new Map<string, ReturnType<HelmEngine['parseStandIn']>>();

  /**
   * Stand-ins for the `name`/`fullname` templates of a dependency that is enabled but not
   * vendored, following the convention of `helm create` (release name, then chart name, 63 characters).
   */
  private standIn(name: string): ReturnType<HelmEngine['parseStandIn']> | undefined {
    const dot = name.lastIndexOf('.');
    const dep = name.slice(0, dot);
    const kind = name.slice(dot + 1);
    if (!this.missingDependencies.has(dep) || (kind !== 'name' && kind !== 'fullname')) return undefined;
    let tree = this.standIns.get(name);
    if (!tree) {
      const chart = JSON.stringify(dep);
      const text =
        kind === 'name'
          ? `{{- ${chart} | trunc 63 | trimSuffix "-" -}}`
          : `{{- $release := "release-name" -}}{{- if and (kindIs "map" .) (hasKey . "Release") -}}{{- $release = .Release.Name -}}{{- end -}}` +
            `{{- if contains ${chart} $release -}}{{- $release | trunc 63 | trimSuffix "-" -}}{{- else -}}{{- printf "%s-%s" $release ${chart} | trunc 63 | trimSuffix "-" -}}{{- end -}}`;
      tree = this.engine.parseStandIn(name, text);
      this.standIns.set(name, tree);
    }
    return tree;
  }

  private coalesceTree(node: ChartNode, values: GoMap, all: boolean): GoMap {
    coalesceValues(values, node.defaults);
    for (const sub of node.subcharts) {
      if (!all && this.disabled.has(sub)) continue;
      let subValues = values[sub.name];
      if (!isGoMap(subValues)) {
        subValues = newMap();
        values[sub.name] = subValues;
      }
      coalesceGlobals(subValues, values);
      this.coalesceTree(sub, subValues, all);
    }
    return values;
  }

  private applyConditions(node: ChartNode, values: GoMap, prefix: string): void {
    const tags = isGoMap(values.tags) ? values.tags : undefined;
    for (const sub of node.subcharts) {
      const dep = node.dependencies.find((d) => (d.alias ?? d.name) === sub.name);
      let enabled = true;
      if (dep) {
        if (dep.tags.length > 0 && tags) {
          const states = dep.tags.map((t) => (hasKey(tags, t) ? tags[t] : undefined));
          if (states.includes(true)) enabled = true;
          else if (states.includes(false)) enabled = false;
        }
        enabled = conditionEnabled(dep, values) ?? enabled;
      }
      if (!enabled) this.disabled.add(sub);
      else this.disabled.delete(sub);
      const subValues = values[sub.name];
      if (isGoMap(subValues)) this.applyConditions(sub, subValues, `${prefix}${sub.name}.`);
    }
    // Dependencies named in Chart.yaml but not vendored: say so when they are enabled.
    for (const dep of node.dependencies) {
      if (node.subcharts.some((s) => s.name === (dep.alias ?? dep.name))) continue;
      if (conditionEnabled(dep, values) ?? true) {
        this.missingDependencies.add(dep.alias ?? dep.name);
        this.valueProblems.push({
          severity: 'info',
          file: joinPath(node.dir, 'Chart.yaml'),
          range: { start: 0, end: 0 },
          message: `dependency "${dep.name}" is enabled but not vendored under charts/ (helm dependency build): its templates are not analysed, and its named templates "${dep.alias ?? dep.name}.name" and "${dep.alias ?? dep.name}.fullname" are taken to follow the usual naming convention`,
        });
      }
    }
  }

  private importValues(node: ChartNode, values: GoMap): void {
    for (const sub of node.subcharts) {
      if (this.disabled.has(sub)) continue;
      const subValues = isGoMap(values[sub.name]) ? (values[sub.name] as GoMap) : newMap();
      this.importValues(sub, subValues);
      const dep = node.dependencies.find((d) => (d.alias ?? d.name) === sub.name);
      for (const entry of dep?.importValues ?? []) {
        const childPath = typeof entry === 'string' ? `exports.${entry}` : isGoMap(entry) ? strval(entry.child ?? '') : '';
        const parentPath = typeof entry === 'string' ? '' : isGoMap(entry) ? strval(entry.parent ?? '') : '';
        const imported = valueAt(subValues, childPath);
        if (!isGoMap(imported as GoMap)) continue;
        let target = values;
        for (const part of parentPath.split('.').filter(Boolean)) {
          if (!isGoMap(target[part])) target[part] = newMap();
          target = target[part] as GoMap;
        }
        // The parent's own values win over imported ones.
        coalesceValues(target, imported as GoMap);
      }
    }
  }

  private enabledCharts(tree: ChartNode): ChartNode[] {
    const out: ChartNode[] = [];
    const visit = (node: ChartNode) => {
      out.push(node);
      for (const sub of node.subcharts) if (!this.disabled.has(sub)) visit(sub);
    };
    visit(tree);
    return out;
  }

  /** The values a chart node sees: the root values, or the subchart's part of them. */
  private valuesFor(root: GoMap, node: ChartNode): GoMap {
    const parts = node.path.split('/charts/').slice(1);
    let current = root;
    for (const part of parts) current = isGoMap(current[part]) ? (current[part] as GoMap) : newMap();
    return current;
  }

  // ---- rendering

  private renderTemplate(node: ChartNode, path: string, name: string, parseErrors: boolean): CachedResult {
    // Templates share the values; the engine undoes what a template changed in them (`set`, `merge`).
    const data = this.renderData(node, this.values!, name);
    try {
      const { output, notes, usedDefines, reads } = this.engine.execute(name, data, this.valuePaths);
      const documents = splitDocuments(output.text);
      if (documents.length === 0) return { usedDefines, reads };
      const template: RenderedTemplate = {
        name,
        owner: path,
        chart: node.path,
        text: output.text,
        segments: output.segments.filter((s): s is TraceSegment & { producer: SourceSpan } => s.producer !== undefined),
        documents,
        notes,
      };
      return { template, usedDefines, reads };
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      // A missing named template while some file does not parse is a consequence of that parse error.
      if (parseErrors && /no template "/.test(e.message)) return { usedDefines: new Set() };
      return { problem: errorProblem(e, path), usedDefines: new Set() };
    }
  }

  private renderData(node: ChartNode, rootValues: GoMap, name: string): GoMap {
    const data = newMap();
    data.Values = this.valuesFor(rootValues, node);
    setSelfOrigin(data.Values, undefined);
    const release = newMap();
    const r = this.options.release ?? {};
    release.Name = r.name ?? 'release-name';
    release.Namespace = r.namespace ?? 'default';
    release.Service = 'Helm';
    release.IsInstall = !(r.isUpgrade ?? false);
    release.IsUpgrade = r.isUpgrade ?? false;
    release.Revision = BigInt(r.revision ?? 1);
    data.Release = release;
    data.Chart = chartMetadata(node.metadata);
    data.Capabilities = this.capabilities();
    data.Files = this.filesObject(node);
    const template = newMap();
    template.Name = name;
    template.BasePath = `${node.path}/templates`;
    data.Template = template;
    const subcharts = newMap();
    for (const sub of node.subcharts) {
      if (this.disabled.has(sub)) continue;
      const subData = newMap();
      subData.Values = this.valuesFor(rootValues, sub);
      subData.Chart = chartMetadata(sub.metadata);
      subData.Release = release;
      subData.Capabilities = data.Capabilities;
      subcharts[sub.name] = subData;
    }
    data.Subcharts = subcharts;
    return data;
  }

  private capabilitiesCache: GoStruct | undefined;

  private capabilities(): GoStruct {
    if (this.capabilitiesCache) return this.capabilitiesCache;
    const version = this.options.kubeVersion ?? DEFAULT_KUBE_VERSION;
    const m = /^v?(\d+)\.(\d+)/.exec(version);
    const kube = new GoStruct('*chartutil.KubeVersion', { Version: version.startsWith('v') ? version : 'v' + version, Major: m?.[1] ?? '1', Minor: m?.[2] ?? '32', GitVersion: version }, {
      String: () => version,
    });
    const apiVersions = new Set([...BUILTIN_API_VERSIONS, ...(this.options.apiVersions ?? [])]);
    const apis = new GoStruct('chartutil.VersionSet', {}, { Has: ([v]) => apiVersions.has(String(v)) });
    const helm = new GoStruct('chartutil.HelmVersion', { Version: 'v3.17.0', GitCommit: '', GitTreeState: 'clean', GoVersion: 'go1.23' });
    this.capabilitiesCache = new GoStruct('*chartutil.Capabilities', { KubeVersion: kube, APIVersions: apis, HelmVersion: helm });
    return this.capabilitiesCache;
  }

  private filesObject(node: ChartNode): GoStruct {
    let all: Map<string, string> | undefined;
    const load = (): Map<string, string> => {
      if (all) return all;
      all = new Map();
      const walk = (folder: string, rel: string, level: number) => {
        if (level > 20 || all!.size > 2000) return;
        for (const entry of this.list(folder) ?? []) {
          const relPath = rel + entry;
          if (entry.endsWith('/')) {
            if (level === 0 && (entry === 'templates/' || entry === 'charts/')) continue;
            walk(joinPath(folder, entry), relPath, level + 1);
          } else if (!(level === 0 && (entry === 'Chart.yaml' || entry === 'values.yaml' || entry === 'values.schema.json'))) {
            all!.set(relPath, '');
          }
        }
      };
      walk(node.dir, '', 0);
      return all;
    };
    const text = (name: string) => (load().has(name) ? this.read(joinPath(node.dir, name)) ?? '' : '');
    const make = (names: () => string[]): GoStruct =>
      new GoStruct('chart.Files', {}, {
        Get: ([n]) => text(String(n)),
        GetBytes: ([n]) => text(String(n)),
        Lines: ([n]) => {
          const t = text(String(n));
          return t === '' ? [] : t.split('\n');
        },
        Glob: ([pattern]) => {
          const re = globToRegExp(String(pattern));
          return make(() => names().filter((n) => re.test(n)));
        },
        AsConfig: () => {
          const m = newMap();
          for (const n of names()) m[n.split('/').pop()!] = text(n);
          return toYamlTraced(m).text;
        },
        AsSecrets: () => {
          const m = newMap();
          for (const n of names()) m[n.split('/').pop()!] = base64Encode(text(n));
          return toYamlTraced(m).text;
        },
      }, () => names().length);
    return make(() => [...load().keys()].sort());
  }
}

/**
 * One problem per place and message: a failure inside a named template that several templates
 * include is reported once, with the other templates it stopped as related places.
 */
function dedupeProblems(problems: HelmProblem[]): HelmProblem[] {
  const byKey = new Map<string, HelmProblem>();
  for (const problem of problems) {
    const key = `${problem.file}\0${problem.range.start}\0${problem.range.end}\0${problem.message}`;
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, problem);
      continue;
    }
    const related = [...(existing.related ?? [])];
    if (problem.template && problem.template !== existing.template) {
      related.push({ file: problem.template, range: { start: 0, end: 0 }, message: 'also stops this template' });
    }
    for (const r of problem.related ?? []) related.push(r);
    byKey.set(key, { ...existing, related });
  }
  return [...byKey.values()];
}

/** A dependency's `condition`: the first of its comma-separated value paths that holds a boolean decides. */
function conditionEnabled(dep: Dependency, values: GoMap): boolean | undefined {
  for (const condition of (dep.condition ?? '').split(',').map((c) => c.trim()).filter(Boolean)) {
    const v = valueAt(values, condition);
    if (typeof v === 'boolean') return v;
  }
  return undefined;
}

/** Paths (`a.b`) of every map and list of the coalesced values, for recording what templates read. */
function indexValuePaths(values: GoMap): WeakMap<object, string> {
  const paths = new WeakMap<object, string>();
  const walk = (value: GoValue, path: string, depth: number) => {
    if (depth > 100 || value === null || typeof value !== 'object' || paths.has(value)) return;
    paths.set(value, path);
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1));
    else if (isGoMap(value)) for (const key of Object.keys(value)) walk(value[key], path === '' ? key : `${path}.${key}`, depth + 1);
  };
  walk(values, '', 0);
  return paths;
}

/** The value paths whose value differs between two coalesced value trees (added, removed or changed). */
function diffValues(before: GoValue, after: GoValue, path = '', out = new Set<string>(), depth = 0): Set<string> {
  if (before === after) return out;
  if (depth > 100) {
    out.add(path);
    return out;
  }
  if (isGoMap(before) && isGoMap(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const child = path === '' ? key : `${path}.${key}`;
      if (!hasKey(before, key) || !hasKey(after, key)) out.add(child);
      else diffValues(before[key], after[key], child, out, depth + 1);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((v, i) => diffValues(v, after[i], path, out, depth + 1));
    return out;
  }
  out.add(path);
  return out;
}

/** Whether a template that read `reads` is affected by changes at `changed` (one path a prefix of the other). */
function readsChanged(reads: Set<string> | undefined, changed: Set<string>): boolean {
  if (!reads) return changed.size > 0;
  for (const c of changed) {
    for (const r of reads) {
      if (r === c || c === '' || r === '' || r.startsWith(c + '.') || r.startsWith(c + '[') || c.startsWith(r + '.') || c.startsWith(r + '[')) return true;
    }
  }
  return false;
}

function isRenderedTemplate(path: string): boolean {
  const base = path.split('/').pop() ?? '';
  return !base.startsWith('_') && base !== 'NOTES.txt';
}

function errorProblem(error: TemplateError, templatePath: string): HelmProblem {
  const inner = error.inner ?? error;
  const related: Array<SourceSpan & { message: string }> = [];
  if (inner !== error && !error.file.startsWith('tpl:')) {
    related.push({ file: error.file, range: { start: error.pos, end: error.end }, message: `called from ${error.parseName}` });
  }
  const innerIsVirtual = inner.file.startsWith('tpl:');
  const place = innerIsVirtual ? error : inner;
  const kind = error.kind === 'parse' ? 'template parse error: ' : error.kind === 'limit' ? '' : 'render error: ';
  return {
    severity: 'error',
    file: place.file,
    range: { start: place.pos, end: Math.max(place.end, place.pos) },
    message: `${kind}${inner.reason}${innerIsVirtual ? ' (in a string rendered by tpl)' : ''}`,
    template: templatePath,
    related: related.length > 0 ? related : undefined,
  };
}

/** `.Chart`: Chart.yaml as Helm's `chart.Metadata` (capitalised fields, zero values for the missing ones). */
function chartMetadata(meta: GoMap): GoStruct {
  const s = (k: string) => (typeof meta[k] === 'string' ? meta[k] : meta[k] === null || meta[k] === undefined ? '' : strval(meta[k]));
  const fields: Record<string, GoValue> = {
    Name: s('name'),
    Home: s('home'),
    Sources: Array.isArray(meta.sources) ? meta.sources : null,
    Version: s('version'),
    Description: s('description'),
    Keywords: Array.isArray(meta.keywords) ? meta.keywords : null,
    Maintainers: Array.isArray(meta.maintainers) ? meta.maintainers : null,
    Icon: s('icon'),
    APIVersion: s('apiVersion'),
    Condition: s('condition'),
    Tags: s('tags'),
    AppVersion: s('appVersion'),
    Deprecated: meta.deprecated === true,
    Annotations: isGoMap(meta.annotations) ? meta.annotations : null,
    KubeVersion: s('kubeVersion'),
    Dependencies: Array.isArray(meta.dependencies) ? meta.dependencies : null,
    Type: s('type'),
  };
  return new GoStruct('*chart.Metadata', fields, { IsRoot: () => true });
}

/**
 * Splits rendered text into YAML documents at `---` lines, as Helm's manifest splitting does,
 * leaving out documents that hold only whitespace and comments.
 */
export function splitDocuments(text: string): DocumentSpan[] {
  const out: DocumentSpan[] = [];
  let start = 0;
  const push = (end: number) => {
    const body = text.slice(start, end);
    if (/^(\s*(#[^\n]*)?\n?)*\s*$/.test(body)) return;
    out.push({ start, end });
  };
  const re = /^---[ \t]*(?:#.*)?$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    push(m.index);
    start = m.index + m[0].length;
    if (text[start] === '\n') start++;
  }
  push(text.length);
  return out;
}
