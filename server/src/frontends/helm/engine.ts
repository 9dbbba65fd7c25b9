/**
 * Helm's template engine on top of the Go template engine: the function table (Go builtins,
 * Sprig, Helm's own `include`, `tpl`, `required`, `toYaml`, `fromYaml`, `lookup`…), the set of
 * parsed template files with Helm's precedence for named templates, and the execution of one
 * template file into traced output. Pure and synchronous; knows nothing of charts on disk.
 */
import type { ValueOrigin } from '../sourceMap';
import type { TemplateTree } from './template/ast';
import { goBuiltins } from './template/builtins';
import { TemplateError } from './template/errors';
import { DEFAULT_LIMITS, Executor, FunctionError, type ExecutionLimits, type FunctionTable, type TemplateFunction, type TemplateLookup } from './template/exec';
import { parseTemplate, type ParsedFile } from './template/parse';
import { deepCopy, sprigFunctions } from './template/sprig';
import { isGoMap, newMap, TracedString, type GoValue, type TraceSegment } from './template/values';
import { toJsonText, toTomlText, toYamlTraced } from './serialize';
import { parseValuesYaml } from './valuesFile';

/** Functions Helm removes from Sprig (they read the environment of the machine that renders). */
const REMOVED = ['env', 'expandenv'];

const fromYamlCache = new Map<string, ReturnType<typeof parseValuesYaml>>();

/** Parses YAML or JSON text into template values the way Helm's `fromYaml` does (errors become an `Error` key). */
function fromYaml(text: string, array: boolean): GoValue {
  let cached = fromYamlCache.get(text);
  if (!cached) {
    cached = parseValuesYaml(text, '(fromYaml)', '', 'any');
    if (fromYamlCache.size > 500) fromYamlCache.clear();
    fromYamlCache.set(text, cached);
  }
  // Templates may change what they parsed (`set`): each call gets its own copy.
  const parsed = { problems: cached.problems, value: deepCopy(cached.value) };
  const error = parsed.problems.find((p) => p.severity === 'error');
  if (array) {
    if (error) return [error.message];
    return Array.isArray(parsed.value) ? parsed.value : parsed.value === null ? [] : [`error unmarshaling JSON: json: cannot unmarshal object into Go value of type []interface {}`];
  }
  if (error) {
    const out = newMap();
    out.Error = error.message;
    return out;
  }
  if (parsed.value === null) return newMap();
  if (!isGoMap(parsed.value)) {
    const out = newMap();
    out.Error = 'error unmarshaling JSON: json: cannot unmarshal array into Go value of type map[string]interface {}';
    return out;
  }
  return parsed.value;
}

/**
 * Maps the output of a `tpl` text back to where that text came from: the pieces the tpl text
 * wrote literally get the text's own value origin (or the origin of the line of a traced text),
 * and lose their producer (the writer then attributes them to the `tpl` call site).
 */
function retrace(output: TracedString, virtualFile: string, input: GoValue, inputOrigin: ValueOrigin | undefined): TracedString {
  const inputTrace = input instanceof TracedString ? input.segments : [];
  const find = (offset: number): TraceSegment | undefined => {
    let lo = 0;
    let hi = inputTrace.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const seg = inputTrace[mid];
      if (seg.end <= offset) lo = mid + 1;
      else if (seg.start > offset) hi = mid - 1;
      else return seg;
    }
    return undefined;
  };
  const segments = output.segments.map((seg) => {
    if (seg.producer?.file !== virtualFile) return seg;
    const from = find(seg.producer.range.start);
    return { start: seg.start, end: seg.end, producer: from?.producer, value: seg.value ?? from?.value ?? inputOrigin };
  });
  return new TracedString(output.text, segments);
}

export interface EngineOptions {
  readonly limits?: Partial<ExecutionLimits>;
}

/**
 * A set of template files and the functions to run them. Files are added with their Helm template
 * names (`chart/templates/x.yaml`); named templates from later-sorted files win, as in Helm
 * (deeper paths first, so a parent chart's defines override a subchart's).
 */
export class HelmEngine implements TemplateLookup {
  readonly funcs: FunctionTable;
  readonly limits: ExecutionLimits;
  private readonly files = new Map<string, { file: string; source: string; parsed?: ParsedFile; error?: TemplateError }>();
  private defines: Map<string, TemplateTree> | undefined;
  private readonly tplCache = new Map<string, ParsedFile | TemplateError>();

  constructor(options: EngineOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const table = goBuiltins();
    for (const [name, fn] of sprigFunctions()) table.set(name, fn);
    for (const name of REMOVED) table.delete(name);
    for (const [name, fn] of this.helmFunctions()) table.set(name, fn);
    this.funcs = table;
  }

  /** Adds or replaces a template file; returns its parse error, if any (the file then defines nothing). */
  setFile(name: string, file: string, source: string): TemplateError | undefined {
    const existing = this.files.get(name);
    if (existing && existing.source === source && existing.file === file) return existing.error;
    this.defines = undefined;
    try {
      const parsed = parseTemplate(source, { file, name, isFunction: (f) => this.funcs.has(f) });
      this.files.set(name, { file, source, parsed });
      return undefined;
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      this.files.set(name, { file, source, error: e });
      return e;
    }
  }

  /** Names of the files in the set. */
  fileNames(): string[] {
    return [...this.files.keys()];
  }

  removeFile(name: string): void {
    if (this.files.delete(name)) this.defines = undefined;
  }

  /** The parse error of a file, if it has one. */
  parseError(name: string): TemplateError | undefined {
    return this.files.get(name)?.error;
  }

  /** Whether any file of the set failed to parse. */
  hasParseErrors(): boolean {
    for (const entry of this.files.values()) if (entry.error) return true;
    return false;
  }

  /** The named templates a file defines, by name, with their source text (for change detection). */
  definesOf(name: string): Map<string, string> {
    const out = new Map<string, string>();
    const parsed = this.files.get(name)?.parsed;
    for (const tree of parsed?.defines ?? []) out.set(tree.name, tree.source.slice(tree.root.pos, tree.root.end));
    return out;
  }

  /** Named templates to use when the set has none of that name (see `HelmChart`: dependencies that are not vendored). */
  fallback: ((name: string) => TemplateTree | undefined) | undefined;

  lookup(name: string): TemplateTree | undefined {
    if (!this.defines) this.defines = this.buildDefines();
    return this.defines.get(name) ?? this.fallback?.(name);
  }

  /** Parses a template text that is not a file of the set (a stand-in named template). */
  parseStandIn(name: string, text: string): TemplateTree {
    return parseTemplate(text, { file: `standin:${name}`, name, isFunction: (f) => this.funcs.has(f) }).main;
  }

  private buildDefines(): Map<string, TemplateTree> {
    // Helm parses templates sorted by path depth (deepest first), then by name descending; later ones win.
    const names = [...this.files.keys()].sort((a, b) => {
      const da = a.split('/').length;
      const db = b.split('/').length;
      if (da !== db) return db - da;
      return a < b ? 1 : a > b ? -1 : 0;
    });
    const out = new Map<string, TemplateTree>();
    for (const name of names) {
      const parsed = this.files.get(name)!.parsed;
      if (!parsed) continue;
      out.set(name, parsed.main);
      for (const tree of parsed.defines) {
        // An empty redefinition does not replace a template (Go's AddParseTree rule).
        if (tree.root.nodes.length === 0 && out.has(tree.name)) continue;
        out.set(tree.name, tree);
      }
    }
    return out;
  }

  /**
   * Executes the template file `name` with `data`; returns its traced output and the notes its
   * functions left. Throws `TemplateError` for a parse or execution error (`inner` holds the
   * innermost place when it failed inside an include).
   */
  execute(name: string, data: GoValue, valuePaths?: WeakMap<object, string>): { output: TracedString; notes: string[]; usedDefines: Set<string>; reads: Set<string> } {
    const entry = this.files.get(name);
    if (!entry) throw new Error(`no template file "${name}"`);
    if (entry.error) throw entry.error;
    const used = new Set<string>();
    const tracking: TemplateLookup = {
      lookup: (n) => {
        used.add(n);
        return this.lookup(n);
      },
    };
    const executor = new Executor(tracking, this.funcs, this.limits);
    executor.valuePaths = valuePaths;
    try {
      const output = executor.execute(entry.parsed!.main, data);
      return { output, notes: [...executor.notes], usedDefines: used, reads: executor.reads };
    } finally {
      // Templates share the values: what one template `set`s must not leak into the next.
      executor.rollback();
    }
  }

  private parseTpl(text: string, name: string): ParsedFile | TemplateError {
    const key = name + '\0' + text;
    let cached = this.tplCache.get(key);
    if (!cached) {
      try {
        cached = parseTemplate(text, { file: `tpl:${name}`, name, isFunction: (f) => this.funcs.has(f) });
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        cached = e;
      }
      if (this.tplCache.size > 2000) this.tplCache.clear();
      this.tplCache.set(key, cached);
    }
    return cached;
  }

  private helmFunctions(): Map<string, TemplateFunction> {
    const f = new Map<string, TemplateFunction>();
    f.set('include', {
      signature: 'sa',
      fn: ([name, data], ctx) => {
        const tree = ctx.executor.lookup.lookup(name as string);
        if (!tree) throw new FunctionError(`template: no template "${name as string}" associated with template "gotpl"`);
        return ctx.executor.executeNested(tree, data, ctx.origins[1]);
      },
    });
    f.set('tpl', {
      signature: 'aa',
      traced: true,
      fn: ([text, data], ctx) => {
        const source = text instanceof TracedString ? text.text : typeof text === 'string' ? text : null;
        if (source === null) throw new FunctionError(`wrong type for value; expected string; got ${typeof text}`);
        if (!isGoMap(data)) throw new FunctionError('wrong type for value; expected chartutil.Values');
        const template = isGoMap(data.Template) && typeof data.Template.Name === 'string' ? data.Template.Name : 'gotpl';
        const parsed = this.parseTpl(source, template);
        if (parsed instanceof TemplateError) throw new FunctionError(parsed.message);
        const local = new Map(parsed.defines.map((t) => [t.name, t] as const));
        const base = ctx.executor.lookup;
        const lookup: TemplateLookup = { lookup: (n) => local.get(n) ?? base.lookup(n) };
        const output = ctx.executor.withTemplates(lookup, () => ctx.executor.executeNested(parsed.main, data, ctx.origins[1]));
        return retrace(output, parsed.main.file, text, ctx.origins[0]);
      },
    });
    f.set('required', {
      signature: 'sa',
      origin: 'identity',
      fn: ([message, value]) => {
        if (value === null || (typeof value === 'string' && value === '')) throw new FunctionError(message as string);
        return value;
      },
    });
    f.set('fail', {
      signature: 's',
      fn: ([message]) => {
        throw new FunctionError(message as string);
      },
    });
    f.set('toYaml', { signature: 'a', fn: ([v]) => toYamlTraced(v) });
    f.set('mustToYaml', { signature: 'a', fn: ([v]) => toYamlTraced(v) });
    f.set('toYamlPretty', { signature: 'a', fn: ([v]) => toYamlTraced(v) });
    f.set('fromYaml', { signature: 's', fn: ([s]) => fromYaml(s as string, false) });
    f.set('mustFromYaml', { signature: 's', fn: ([s]) => fromYaml(s as string, false) });
    f.set('fromYamlArray', { signature: 's', fn: ([s]) => fromYaml(s as string, true) });
    f.set('mustFromYamlArray', { signature: 's', fn: ([s]) => fromYaml(s as string, true) });
    f.set('toJson', { signature: 'a', fn: ([v]) => toJsonText(v) });
    f.set('mustToJson', { signature: 'a', fn: ([v]) => toJsonText(v) });
    f.set('toPrettyJson', { signature: 'a', fn: ([v]) => toJsonText(v, false, '  ') });
    f.set('mustToPrettyJson', { signature: 'a', fn: ([v]) => toJsonText(v, false, '  ') });
    f.set('toRawJson', { signature: 'a', fn: ([v]) => toJsonText(v, true) });
    f.set('mustToRawJson', { signature: 'a', fn: ([v]) => toJsonText(v, true) });
    f.set('fromJson', { signature: 's', fn: ([s]) => fromYaml(s as string, false) });
    f.set('mustFromJson', { signature: 's', fn: ([s]) => fromYaml(s as string, false) });
    f.set('fromJsonArray', { signature: 's', fn: ([s]) => fromYaml(s as string, true) });
    f.set('mustFromJsonArray', { signature: 's', fn: ([s]) => fromYaml(s as string, true) });
    f.set('toToml', { signature: 'a', fn: ([v]) => toTomlText(v) });
    f.set('lookup', {
      signature: 'ssss',
      fn: (_args, ctx) => {
        ctx.executor.notes.add('lookup finds nothing when rendering offline (as with helm template)');
        return newMap();
      },
    });
    return f;
  }
}
