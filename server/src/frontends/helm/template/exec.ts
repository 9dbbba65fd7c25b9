/**
 * Executor of parsed Go templates, after Go's `text/template/exec.go`: the data model is the one
 * of `values.ts`; output is a `TracedString` whose segments say which template text or action
 * produced each span and, when a value produced it, where that value was set.
 *
 * Bounded: every node, function call and loop iteration costs a step; include/template nesting,
 * steps and output characters have limits, so a hostile template stops with one clear error.
 */
import type { SourceSpan, ValueOrigin } from '../../sourceMap';
import type { ArgNode, CommandNode, ListNode, Node, PipeNode, TemplateTree, TextNode } from './ast';
import { lineColumn, TemplateError } from './errors';
import { keyOrigin, selfOrigin, setKeyOrigin } from './provenance';
import {
  formatValue,
  GoStruct,
  hasKey,
  isGoMap,
  kindOf,
  plain,
  sortedKeys,
  TracedString,
  truth,
  typeName,
  type GoMap,
  type GoValue,
  type TraceSegment,
} from './values';

/** An error a template function raises; the executor reports it as `error calling NAME: message`. */
export class FunctionError extends Error {}

/** Parameter types of a function: a for any, s string, i int, f float64, b bool, l slice, m map; a trailing `*` repeats the last. */
export type Signature = string;

/** What a function sees besides its arguments. */
export interface CallContext {
  readonly name: string;
  /** Origins of the arguments, in order (the piped value last). */
  readonly origins: ReadonlyArray<ValueOrigin | undefined>;
  /** Set by a function that knows where its result came from (`index`, `get`, `dig`). */
  resultOrigin?: ValueOrigin;
  readonly executor: Executor;
}

export interface TemplateFunction {
  readonly fn: (args: GoValue[], ctx: CallContext) => GoValue;
  readonly signature?: Signature;
  /** Receives `TracedString` arguments as they are (indent, nindent, trim…) instead of plain strings. */
  readonly traced?: boolean;
  /**
   * Which argument origin the result inherits when it is a scalar: `single` (the argument it is
   * identical to, else the only argument that has an origin), `identity` (only an identical one),
   * `none` (predicates: eq, empty, hasKey…).
   */
  readonly origin?: 'single' | 'identity' | 'none';
}

export type FunctionTable = ReadonlyMap<string, TemplateFunction>;

export interface ExecutionLimits {
  /** Steps (nodes, calls, loop iterations) per top-level execution. */
  readonly maxSteps: number;
  /** Nesting of `template`, `include` and `tpl`. */
  readonly maxDepth: number;
  /** Characters of output produced per top-level execution (all nested outputs together). */
  readonly maxOutput: number;
}

export const DEFAULT_LIMITS: ExecutionLimits = { maxSteps: 5_000_000, maxDepth: 100, maxOutput: 20_000_000 };

/** Where templates come from: the executor asks for named templates at run time. */
export interface TemplateLookup {
  lookup(name: string): TemplateTree | undefined;
}

interface Val {
  readonly v: GoValue;
  readonly o?: ValueOrigin;
}

interface Variable {
  readonly name: string;
  value: Val;
}

const NIL: Val = { v: null };

const LITERALS: ReadonlySet<string> = new Set(['string', 'number', 'bool', 'nil']);

/** Sentinel for "no value piped into this command". */
const MISSING: Val = Object.freeze({ v: null });

type Flow = undefined | 'break' | 'continue';

/** Accumulates output text and its segments. */
export class Writer {
  private readonly chunks: string[] = [];
  private readonly segs: TraceSegment[] = [];
  length = 0;

  constructor(private readonly budget: { output: number; maxOutput: number; fail: () => never }) {}

  write(text: string, producer: SourceSpan | undefined, value?: ValueOrigin): void {
    if (text.length === 0) return;
    this.charge(text.length);
    this.chunks.push(text);
    this.segs.push({ start: this.length, end: this.length + text.length, producer, value });
    this.length += text.length;
  }

  /** Writes a traced string; pieces without a producer get `producer`, pieces without a value get `value`. */
  writeTraced(traced: TracedString, producer: SourceSpan | undefined, value?: ValueOrigin): void {
    const text = traced.text;
    if (text.length === 0) return;
    this.charge(text.length);
    this.chunks.push(text);
    let at = 0;
    for (const seg of traced.segments) {
      if (seg.start > at) this.segs.push({ start: this.length + at, end: this.length + seg.start, producer, value });
      if (seg.end > seg.start) {
        this.segs.push({ start: this.length + seg.start, end: this.length + seg.end, producer: seg.producer ?? producer, value: seg.value ?? value });
      }
      at = Math.max(at, seg.end);
    }
    if (at < text.length) this.segs.push({ start: this.length + at, end: this.length + text.length, producer, value });
    this.length += text.length;
  }

  private charge(n: number): void {
    this.budget.output += n;
    if (this.budget.output > this.budget.maxOutput) this.budget.fail();
  }

  result(): TracedString {
    return new TracedString(this.chunks.join(''), this.segs);
  }
}

interface Frame {
  readonly tree: TemplateTree;
  vars: Variable[];
  depth: number;
}

/**
 * One top-level execution (one rendered file): shares the step and output budgets across
 * the nested `template`/`include`/`tpl` calls it makes.
 */
export class Executor {
  private steps = 0;
  private readonly budget: { output: number; maxOutput: number; fail: () => never };
  private frame!: Frame;
  /** The node being evaluated, for errors raised from functions. */
  private current: { pos: number; end: number } = { pos: 0, end: 0 };
  /** Free-form notes functions leave (placeholders for random or time-dependent values). */
  readonly notes = new Set<string>();
  /** Changes functions made to maps (`set`, `unset`, `merge`…), so the caller can undo them after the run. */
  readonly journal: Array<{ map: GoMap; key: string; had: boolean; old: GoValue; origin?: ValueOrigin }> = [];

  /** Records the current state of `map[key]` before a function changes it. */
  beforeMutation(map: GoMap, key: string): void {
    const had = hasKey(map, key);
    this.journal.push({ map, key, had, old: had ? map[key] : null, origin: keyOrigin(map, key) });
  }

  /** Undoes the recorded map changes, newest first: shared values look as before the run. */
  rollback(): void {
    for (let i = this.journal.length - 1; i >= 0; i--) {
      const { map, key, had, old, origin } = this.journal[i];
      if (had) map[key] = old;
      else delete map[key];
      setKeyOrigin(map, key, origin);
    }
    this.journal.length = 0;
  }

  constructor(
    private templates: TemplateLookup,
    readonly funcs: FunctionTable,
    readonly limits: ExecutionLimits = DEFAULT_LIMITS,
  ) {
    this.budget = {
      output: 0,
      maxOutput: limits.maxOutput,
      fail: () => this.limitError(`output larger than ${limits.maxOutput} characters`),
    };
  }

  /** Executes a template with `data` as dot and `$`; returns its output with segments. */
  execute(tree: TemplateTree, data: GoValue, dataOrigin?: ValueOrigin): TracedString {
    return this.run(tree, { v: data, o: dataOrigin }, 0);
  }

  /** The current nesting depth (0 at the top-level template). */
  get depth(): number {
    return this.frame?.depth ?? 0;
  }

  /** The template currently executing. */
  get currentTree(): TemplateTree | undefined {
    return this.frame?.tree;
  }

  /**
   * Executes a named template for `include` (and Helm's `tpl`), nested in the current one.
   * Throws `TemplateError` when the name is unknown or the nesting limit is reached.
   */
  executeNested(tree: TemplateTree, data: GoValue, dataOrigin: ValueOrigin | undefined): TracedString {
    const depth = this.depth + 1;
    if (depth > this.limits.maxDepth) {
      this.limitError(`template nesting deeper than ${this.limits.maxDepth} (a template that includes itself?) at "${tree.name}"`);
    }
    return this.run(tree, { v: data, o: dataOrigin }, depth);
  }

  /** Runs `fn` with `lookup` as the template set (Helm's `tpl` adds the defines of its text). */
  withTemplates<T>(lookup: TemplateLookup, fn: () => T): T {
    const saved = this.templates;
    this.templates = lookup;
    try {
      return fn();
    } finally {
      this.templates = saved;
    }
  }

  /** The template set executions look names up in. */
  get lookup(): TemplateLookup {
    return this.templates;
  }

  private run(tree: TemplateTree, dot: Val, depth: number): TracedString {
    const saved = this.frame;
    const savedCurrent = this.current;
    this.frame = { tree, vars: [{ name: '$', value: dot }], depth };
    const writer = new Writer(this.budget);
    try {
      this.walkList(tree.root, dot, writer);
    } finally {
      this.frame = saved;
      this.current = savedCurrent;
    }
    return writer.result();
  }

  // ---- errors

  private error(node: { pos: number; end: number }, reason: string, kind: TemplateError['kind'] = 'exec'): never {
    const tree = this.frame.tree;
    const { line, column } = lineColumn(tree.source, node.pos);
    const text = tree.source.slice(node.pos, node.end).replace(/\s+/g, ' ');
    const context = text.length > 60 ? text.slice(0, 57) + '...' : text;
    const message = `template: ${tree.parseName}:${line}:${column}: executing "${tree.name}" at <${context}>: ${reason}`;
    throw new TemplateError(kind, tree.file, tree.parseName, node.pos, node.end, reason, message);
  }

  private limitError(reason: string): never {
    this.error(this.current, `rendering stopped: ${reason}`, 'limit');
  }

  private step(node: { pos: number; end: number }): void {
    if (++this.steps > this.limits.maxSteps) {
      this.current = node;
      this.limitError(`more than ${this.limits.maxSteps} steps (a loop or recursion too large to render)`);
    }
  }

  // ---- walking

  private walkList(list: ListNode, dot: Val, out: Writer): Flow {
    for (const node of list.nodes) {
      const flow = this.walk(node, dot, out);
      if (flow) return flow;
    }
    return undefined;
  }

  private walk(node: Node, dot: Val, out: Writer): Flow {
    this.step(node);
    switch (node.kind) {
      case 'text':
        this.writeText(node, out);
        return undefined;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.print(value, node, out);
        return undefined;
      }
      case 'if':
      case 'with': {
        const mark = this.frame.vars.length;
        const value = this.evalPipeline(dot, node.pipe);
        let flow: Flow;
        if (truth(value.v)) flow = this.walkList(node.list, node.kind === 'with' ? value : dot, out);
        else if (node.elseList) flow = this.walkList(node.elseList, dot, out);
        this.frame.vars.length = mark;
        return flow;
      }
      case 'range':
        return this.walkRange(node, dot, out);
      case 'template': {
        const tree = this.templates.lookup(node.name);
        if (!tree) this.error(node, `template: no template "${node.name}" associated with template "${this.frame.tree.name}"`);
        const data = node.pipe ? this.evalPipeline(dot, node.pipe) : NIL;
        const depth = this.frame.depth + 1;
        if (depth > this.limits.maxDepth) this.error(node, `template nesting deeper than ${this.limits.maxDepth} (a template that calls itself?) at "${node.name}"`, 'limit');
        const nested = this.runNested(tree, data, depth, node);
        out.writeTraced(nested, undefined);
        return undefined;
      }
      case 'break':
        return 'break';
      case 'continue':
        return 'continue';
    }
  }

  private runNested(tree: TemplateTree, data: Val, depth: number, _node: Node): TracedString {
    return this.run(tree, data, depth);
  }

  private writeText(node: TextNode, out: Writer): void {
    // One segment per line, so a finding maps to its template line.
    const file = this.frame.tree.file;
    const text = node.text;
    let start = 0;
    while (start < text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline + 1;
      out.write(text.slice(start, end), { file, range: { start: node.pos + start, end: node.pos + end } });
      start = end;
    }
  }

  private print(value: Val, node: Node, out: Writer): void {
    const producer: SourceSpan = { file: this.frame.tree.file, range: { start: node.pos, end: node.end } };
    const v = value.v;
    if (v instanceof TracedString) {
      out.writeTraced(v, producer, value.o);
      return;
    }
    // Go prints "<no value>" for nil, which Helm removes from the output.
    if (v === null) return;
    if (v instanceof GoStruct && v.methods.String) {
      out.write(formatValue(v.methods.String([])), producer, value.o);
      return;
    }
    out.write(formatValue(v), producer, value.o ?? selfOrigin(v));
  }

  private walkRange(node: Extract<Node, { kind: 'range' }>, dot: Val, out: Writer): Flow {
    const mark = this.frame.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    // evalPipeline declared the range variables already; iterations overwrite them.
    const decl = node.pipe.decl;
    const vars = this.frame.vars;
    // `range $i, $v := …` declared the variables just now; `range $i, $v = …` assigns existing ones.
    const slot = (name: string): number => {
      for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === name) return i;
      return -1;
    };
    const keyVar = decl.length === 2 ? (node.pipe.isAssign ? slot(decl[0].ident[0]) : vars.length - 2) : -1;
    const elemVar = decl.length >= 1 ? (node.pipe.isAssign ? slot(decl[decl.length - 1].ident[0]) : vars.length - 1) : -1;
    const iterate = (key: Val, elem: Val): Flow => {
      this.step(node);
      if (elemVar >= 0) {
        if (decl.length === 2) vars[keyVar].value = key;
        vars[elemVar].value = elem;
      }
      const inner = vars.length;
      const flow = this.walkList(node.list, elem, out);
      vars.length = inner;
      return flow;
    };
    const v = plain(value.v);
    let ran = false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        ran = true;
        if (iterate({ v: BigInt(i) }, { v: v[i], o: keyOrigin(v, i) ?? selfOrigin(v[i]) }) === 'break') break;
      }
    } else if (isGoMap(v)) {
      for (const key of sortedKeys(v)) {
        ran = true;
        if (iterate({ v: key }, { v: v[key], o: keyOrigin(v, key) ?? selfOrigin(v[key]) }) === 'break') break;
      }
    } else if (typeof v === 'bigint') {
      if (decl.length === 2) this.error(node, `can't use ${v} to iterate over more than one variable`);
      for (let i = 0n; i < v; i++) {
        ran = true;
        if (iterate({ v: i }, { v: i }) === 'break') break;
      }
    } else if (v !== null) {
      this.error(node, `range can't iterate over ${formatValue(v)}`);
    }
    if (!ran && node.elseList) {
      this.frame.vars.length = mark;
      const flow = this.walkList(node.elseList, dot, out);
      this.frame.vars.length = mark;
      return flow === 'break' || flow === 'continue' ? flow : undefined;
    }
    this.frame.vars.length = mark;
    return undefined;
  }

  // ---- pipelines and commands

  private evalPipeline(dot: Val, pipe: PipeNode): Val {
    let value: Val = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
    }
    for (const variable of pipe.decl) {
      const name = variable.ident[0];
      if (pipe.isAssign) this.setVar(variable, name, value);
      else this.frame.vars.push({ name, value });
    }
    return value;
  }

  private setVar(node: ArgNode, name: string, value: Val): void {
    const vars = this.frame.vars;
    for (let i = vars.length - 1; i >= 0; i--) {
      if (vars[i].name === name) {
        vars[i].value = value;
        return;
      }
    }
    this.error(node, `undefined variable: ${name}`);
  }

  private varValue(node: ArgNode, name: string): Val {
    const vars = this.frame.vars;
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === name) return vars[i].value;
    this.error(node, `undefined variable: ${name}`);
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Val): Val {
    const first = cmd.args[0];
    this.current = cmd;
    switch (first.kind) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain': {
        const receiver = this.evalArg(dot, first.node);
        return this.evalFieldChain(dot, receiver, first, first.field, cmd.args, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first.name, cmd, cmd.args, final);
      case 'variable': {
        const value = this.varValue(first, first.ident[0]);
        if (first.ident.length === 1) {
          this.notAFunction(cmd.args, final, first);
          return value;
        }
        return this.evalFieldChain(dot, value, first, first.ident.slice(1), cmd.args, final);
      }
      case 'pipe':
        this.notAFunction(cmd.args, final, first);
        return this.evalPipeline(dot, first);
    }
    this.notAFunction(cmd.args, final, first);
    switch (first.kind) {
      case 'bool':
        return { v: first.value };
      case 'dot':
        return dot;
      case 'nil':
        this.error(first, 'nil is not a command');
      // falls through: error() never returns
      case 'number':
        return { v: first.value };
      case 'string':
        return { v: first.value };
    }
  }

  private notAFunction(args: ArgNode[], final: Val, node: ArgNode): void {
    if (args.length > 1 || final !== MISSING) this.error(node, `can't give argument to non-function ${this.frame.tree.source.slice(node.pos, node.end)}`);
  }

  private evalArg(dot: Val, node: ArgNode): Val {
    this.step(node);
    switch (node.kind) {
      case 'dot':
        return dot;
      case 'nil':
        return NIL;
      case 'bool':
        return { v: node.value };
      case 'number':
        return { v: node.value };
      case 'string':
        return { v: node.value };
      case 'field':
        return this.evalFieldChain(dot, dot, node, node.ident, [node], MISSING);
      case 'variable': {
        const value = this.varValue(node, node.ident[0]);
        if (node.ident.length === 1) return value;
        return this.evalFieldChain(dot, value, node, node.ident.slice(1), [node], MISSING);
      }
      case 'chain': {
        const receiver = this.evalArg(dot, node.node);
        return this.evalFieldChain(dot, receiver, node, node.field, [node], MISSING);
      }
      case 'pipe':
        return this.evalPipeline(dot, node);
      case 'identifier':
        return this.evalFunction(dot, node.name, node, [node], MISSING);
    }
  }

  private evalFieldChain(dot: Val, receiver: Val, node: ArgNode, ident: string[], args: ArgNode[], final: Val): Val {
    let current = receiver;
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) current = this.evalField(dot, ident[i], node, [], MISSING, current);
    const result = this.evalField(dot, ident[n - 1], node, args, final, current);
    if (this.valuePaths) this.recordRead(current.v, ident[n - 1], result.v);
    return result;
  }

  /** Paths of the value maps (`a.b` for `.Values.a.b`), for recording which values a template reads. */
  valuePaths: WeakMap<object, string> | undefined;
  /** Value paths this execution read (the end of each field chain; a map read whole counts as its path). */
  readonly reads = new Set<string>();

  private recordRead(container: GoValue, key: string, value: GoValue): void {
    const paths = this.valuePaths!;
    if (value !== null && typeof value === 'object') {
      const own = paths.get(value);
      if (own !== undefined) this.reads.add(own);
    }
    if (container !== null && typeof container === 'object') {
      const base = paths.get(container);
      if (base !== undefined) this.reads.add(base === '' ? key : `${base}.${key}`);
    }
  }

  private evalField(dot: Val, name: string, node: ArgNode, args: ArgNode[], final: Val, receiver: Val): Val {
    const r = receiver.v;
    const hasArgs = args.length > 1 || final !== MISSING;
    if (r instanceof GoStruct) {
      const method = r.methods[name];
      if (method) {
        const values = args.slice(1).map((a) => plain(this.evalArg(dot, a).v));
        if (final !== MISSING) values.push(plain(final.v));
        try {
          return { v: method(values) };
        } catch (e) {
          if (e instanceof FunctionError) this.error(node, `error calling ${name}: ${e.message}`);
          throw e;
        }
      }
      if (Object.prototype.hasOwnProperty.call(r.fields, name)) {
        if (hasArgs) this.error(node, `${name} has arguments but cannot be invoked as function`);
        return { v: r.fields[name] };
      }
      this.error(node, `can't evaluate field ${name} in type ${r.typeName}`);
    }
    if (isGoMap(r)) {
      if (hasArgs) this.error(node, `${name} is not a method but has arguments`);
      if (!hasKey(r, name)) return NIL;
      const v = r[name];
      return { v, o: keyOrigin(r, name) ?? selfOrigin(v) };
    }
    if (r === null) this.error(node, `nil pointer evaluating interface {}.${name}`);
    this.error(node, `can't evaluate field ${name} in type ${typeName(plain(r))}`);
  }

  // ---- functions

  private evalFunction(dot: Val, name: string, node: CommandNode | ArgNode, args: ArgNode[], final: Val): Val {
    const spec = this.funcs.get(name);
    if (!spec) this.error(node, `function "${name}" not defined`);
    this.step(node);
    const argNodes = args.slice(1);
    // and/or short-circuit (Go 1.18+): stop at the first argument that decides the result.
    if (name === 'and' || name === 'or') {
      if (argNodes.length === 0 && final === MISSING) this.error(node, `wrong number of args for ${name}: want at least 1 got 0`);
      let v: Val = NIL;
      for (const arg of argNodes) {
        v = this.evalArg(dot, arg);
        if (truth(v.v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const values: GoValue[] = [];
    const origins: Array<ValueOrigin | undefined> = [];
    for (const arg of argNodes) {
      const value = this.evalArg(dot, arg);
      values.push(value.v);
      origins.push(value.o);
    }
    if (final !== MISSING) {
      values.push(final.v);
      origins.push(final.o);
    }
    this.checkArgs(name, spec, values, node, argNodes);
    const ctx: CallContext = { name, origins, executor: this };
    let result: GoValue;
    const savedCurrent = this.current;
    this.current = node;
    try {
      result = spec.fn(values, ctx);
    } catch (e) {
      if (e instanceof FunctionError) this.error(node, `error calling ${name}: ${e.message}`, name === 'fail' || name === 'required' ? 'fail' : 'exec');
      if (e instanceof TemplateError) {
        if (e.kind === 'limit') throw e;
        const wrapped = this.errorObject(node, `error calling ${name}: ${e.message}`, e.kind === 'fail' ? 'fail' : 'exec');
        throw new TemplateError(wrapped.kind, wrapped.file, wrapped.parseName, wrapped.pos, wrapped.end, wrapped.reason, wrapped.message, e.inner ?? e);
      }
      if (e instanceof RangeError) this.limitError(`${e.message} in ${name}`);
      throw e;
    } finally {
      this.current = savedCurrent;
    }
    // Arguments written as literals in the template (`"%s-x"`, `4`) cannot be where a result came from.
    const computed = argNodes.filter((a) => !LITERALS.has(a.kind)).length + (final !== MISSING ? 1 : 0);
    return { v: result, o: this.resultOrigin(spec, ctx, values, result, computed) };
  }

  private errorObject(node: { pos: number; end: number }, reason: string, kind: TemplateError['kind']): TemplateError {
    try {
      this.error(node, reason, kind);
    } catch (e) {
      return e as TemplateError;
    }
  }

  /**
   * A scalar result inherits the origin of the argument it is identical to, or (mode `single`)
   * of the one computed argument when all others are literals: `quote .Values.x`, `printf "%s:%d" .Values.host 80`.
   */
  private resultOrigin(spec: TemplateFunction, ctx: CallContext, values: GoValue[], result: GoValue, computed: number): ValueOrigin | undefined {
    if (ctx.resultOrigin) return ctx.resultOrigin;
    if (result instanceof TracedString) return undefined;
    if (result !== null && typeof result === 'object') return selfOrigin(result);
    const mode = spec.origin ?? 'single';
    if (mode === 'none') return undefined;
    let single: ValueOrigin | undefined;
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      const o = ctx.origins[i];
      if (!o) continue;
      if (plain(values[i]) === result) return o;
      if (single !== o) {
        single = o;
        count++;
      }
    }
    return mode === 'single' && count === 1 && computed === 1 ? single : undefined;
  }

  private checkArgs(name: string, spec: TemplateFunction, values: GoValue[], node: CommandNode | ArgNode, argNodes: ArgNode[]): void {
    const signature = spec.signature;
    if (signature === undefined) {
      if (!spec.traced) for (let i = 0; i < values.length; i++) values[i] = plain(values[i]);
      return;
    }
    const variadic = signature.endsWith('*');
    const types = variadic ? signature.slice(0, -1) : signature;
    const fixed = variadic ? types.length - 1 : types.length;
    if (variadic ? values.length < fixed : values.length !== fixed) {
      this.error(node, `wrong number of args for ${name}: want ${variadic ? 'at least ' : ''}${fixed} got ${values.length}`);
    }
    for (let i = 0; i < values.length; i++) {
      const type = types[Math.min(i, types.length - 1)];
      const argNode = argNodes[i] ?? node;
      values[i] = this.coerce(spec.traced ? values[i] : plain(values[i]), type, argNode);
    }
  }

  private coerce(value: GoValue, type: string, node: CommandNode | ArgNode): GoValue {
    const v = plain(value);
    switch (type) {
      case 'a':
        return value;
      case 's':
        if (typeof v === 'string') return value;
        break;
      case 'i':
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number' && node.kind === 'number' && Number.isInteger(v)) return BigInt(v);
        break;
      case 'f':
        if (typeof v === 'number') return v;
        if (typeof v === 'bigint' && node.kind === 'number') return Number(v);
        break;
      case 'b':
        if (typeof v === 'boolean') return v;
        break;
      case 'l':
        if (v === null || Array.isArray(v)) return v;
        break;
      case 'm':
        if (v === null || isGoMap(v)) return v;
        break;
    }
    const expected = { s: 'string', i: 'int', f: 'float64', b: 'bool', l: '[]interface {}', m: 'map[string]interface {}' }[type] ?? type;
    if (v === null) this.error(node, `invalid value; expected ${expected}`);
    this.error(node, `wrong type for value; expected ${expected}; got ${typeName(v)}`);
  }
}

/** `kindOf` re-exported for functions that report kinds. */
export { kindOf };
