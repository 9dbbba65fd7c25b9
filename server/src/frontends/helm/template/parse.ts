/**
 * Parser of Go `text/template` source, after Go's `text/template/parse/parse.go`: the same
 * grammar, the same checks at parse time (unknown functions, undefined variables, `break` outside
 * `range`, stray `else`/`end`) and Go's messages. Parsing stops at the first error, so a half-typed
 * `{{` gives one error, not one per following line.
 */
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateTree,
  VariableNode,
} from './ast';
import { parseError, TemplateError } from './errors';
import { lex, type Token } from './lexer';

export interface ParseOptions {
  /** Host file identifier of the source (for spans). */
  readonly file: string;
  /** Template name of the file (for messages and as the name of the file's own tree). */
  readonly name: string;
  /** Whether a function name is defined; Go refuses unknown functions at parse time. */
  readonly isFunction: (name: string) => boolean;
}

/** The file's own tree plus the templates it defines (`define`, `block`), in source order. */
export interface ParsedFile {
  readonly main: TemplateTree;
  readonly defines: TemplateTree[];
}

/** Parses one template file; throws `TemplateError` (kind `parse`) at the first error. */
export function parseTemplate(source: string, options: ParseOptions): ParsedFile {
  return new Parser(source, options).parseFile();
}

const CONTROL_END: ReadonlySet<string> = new Set(['end', 'else']);

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly defines: TemplateTree[] = [];

  constructor(
    private readonly source: string,
    private readonly options: ParseOptions,
  ) {
    this.tokens = lex(source);
  }

  parseFile(): ParsedFile {
    const root = this.list(true);
    const main: TemplateTree = { name: this.options.name, parseName: this.options.name, file: this.options.file, source: this.source, root };
    return { main, defines: this.defines };
  }

  // ---- token helpers

  private error(token: { pos: number; end: number }, message: string): never {
    throw parseError(this.options.file, this.options.name, this.source, token.pos, token.end, message);
  }

  private peekRaw(): Token {
    const token = this.tokens[this.index];
    if (token.type === 'error') this.error(token, token.value);
    return token;
  }

  private nextRaw(): Token {
    const token = this.peekRaw();
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private nextNonSpace(): Token {
    let token = this.nextRaw();
    while (token.type === 'space') token = this.nextRaw();
    return token;
  }

  private peekNonSpace(): Token {
    const saved = this.index;
    const token = this.nextNonSpace();
    this.index = saved;
    return token;
  }

  private expect(type: Token['type'], context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Token, context: string): never {
    if (token.type === 'eof') this.error(token, `unexpected EOF in ${context}`);
    if (token.type === 'error') this.error(token, token.value);
    this.error(token, `unexpected ${describe(token)} in ${context}`);
  }

  // ---- lists and actions

  /**
   * Parses nodes up to EOF (top level) or up to an `{{end}}`/`{{else …}}`, which is left for
   * the caller: `stop` receives its keyword.
   */
  private list(topLevel: boolean, stop?: { keyword?: string; token?: Token }): ListNode {
    const nodes: Node[] = [];
    const start = this.peekRaw().pos;
    while (true) {
      const token = this.peekRaw();
      if (token.type === 'eof') {
        if (!topLevel) this.error(token, 'unexpected EOF');
        break;
      }
      if (token.type === 'text') {
        this.nextRaw();
        nodes.push({ kind: 'text', text: token.value, pos: token.pos, end: token.end });
        continue;
      }
      if (token.type === 'comment') {
        this.nextRaw();
        continue;
      }
      // leftDelim
      const left = this.nextRaw();
      const keyword = this.peekNonSpace();
      if (keyword.type === 'keyword' && CONTROL_END.has(keyword.value)) {
        if (topLevel) this.error(keyword, `unexpected {{${keyword.value}}}`);
        this.nextNonSpace();
        if (stop) {
          stop.keyword = keyword.value;
          stop.token = left;
        }
        break;
      }
      if (keyword.type === 'keyword' && keyword.value === 'define') {
        if (!topLevel) this.error(keyword, 'unexpected <define> in command');
        this.nextNonSpace();
        this.parseDefine(left);
        continue;
      }
      const node = this.action(left);
      if (node) nodes.push(node);
    }
    const end = nodes.length > 0 ? nodes[nodes.length - 1].end : start;
    return { nodes, pos: start, end };
  }

  private parseDefine(left: Token): void {
    const nameToken = this.nextNonSpace();
    if (nameToken.type !== 'string' && nameToken.type !== 'rawString') this.error(nameToken, 'define: name must be a string constant');
    const name = this.unquote(nameToken);
    this.expect('rightDelim', 'define clause');
    const savedVars = this.vars;
    this.vars = ['$'];
    const stop: { keyword?: string; token?: Token } = {};
    const body = this.list(false, stop);
    if (stop.keyword !== 'end') this.error(stop.token ?? left, 'unexpected {{else}} in define');
    this.expect('rightDelim', 'end');
    this.vars = savedVars;
    this.defines.push({ name, parseName: this.options.name, file: this.options.file, source: this.source, root: body });
  }

  /** After `{{`: a control structure, a template call, or a pipeline action. */
  private action(left: Token): Node | undefined {
    const token = this.peekNonSpace();
    if (token.type === 'keyword') {
      this.nextNonSpace();
      switch (token.value) {
        case 'if':
        case 'with':
        case 'range':
          return this.control(token.value, left);
        case 'template':
          return this.templateCall(left, 'template');
        case 'block':
          return this.blockControl(left);
        case 'break':
        case 'continue': {
          if (this.rangeDepth === 0) this.error(token, `{{${token.value}}} outside {{range}}`);
          const right = this.expect('rightDelim', token.value);
          return { kind: token.value, pos: left.pos, end: right.end };
        }
      }
    }
    const pipe = this.pipeline('command', 'rightDelim');
    return { kind: 'action', pipe, pos: left.pos, end: this.tokens[this.index - 1].end };
  }

  private control(keyword: 'if' | 'with' | 'range', left: Token): Node {
    const savedVars = this.vars.length;
    if (keyword === 'range') this.rangeDepth++;
    const pipe = this.pipeline(keyword, 'rightDelim');
    if (keyword !== 'range' && pipe.decl.length > 1) this.error(pipe, `too many declarations in ${keyword}`);
    const stop: { keyword?: string; token?: Token } = {};
    const list = this.list(false, stop);
    if (keyword === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    let end = 0;
    if (stop.keyword === 'else') {
      // `{{else if …}}` / `{{else with …}}` is `{{else}}{{if …}}…{{end}}{{end}}` sharing one `{{end}}`.
      const chained = this.peekNonSpace();
      if (chained.type === 'keyword' && ((keyword === 'if' && chained.value === 'if') || (keyword === 'with' && chained.value === 'with'))) {
        this.nextNonSpace();
        const inner = this.control(chained.value, stop.token!);
        elseList = { nodes: [inner], pos: inner.pos, end: inner.end };
        end = inner.end;
      } else {
        this.expect('rightDelim', 'else');
        const elseStop: { keyword?: string; token?: Token } = {};
        elseList = this.list(false, elseStop);
        if (elseStop.keyword !== 'end') this.error(elseStop.token!, `expected end; found {{else}}`);
        end = this.expect('rightDelim', 'end').end;
      }
    } else {
      end = this.expect('rightDelim', 'end').end;
    }
    this.vars.length = savedVars;
    const node: BranchNode = { pipe, list, elseList, pos: left.pos, end };
    return { kind: keyword, ...node } as Node;
  }

  private templateCall(left: Token, context: string): Node {
    const nameToken = this.nextNonSpace();
    if (nameToken.type !== 'string' && nameToken.type !== 'rawString') this.unexpected(nameToken, `${context} clause`);
    const name = this.unquote(nameToken);
    let pipe: PipeNode | undefined;
    if (this.peekNonSpace().type !== 'rightDelim') pipe = this.pipeline(context, 'rightDelim');
    else this.nextNonSpace();
    return { kind: 'template', name, pipe, pos: left.pos, end: this.tokens[this.index - 1].end };
  }

  private blockControl(left: Token): Node {
    const call = this.templateCall(left, 'block') as Extract<Node, { kind: 'template' }>;
    const savedVars = this.vars;
    this.vars = ['$'];
    const stop: { keyword?: string; token?: Token } = {};
    const body = this.list(false, stop);
    if (stop.keyword !== 'end') this.error(stop.token!, 'unexpected {{else}} in block clause');
    const end = this.expect('rightDelim', 'end').end;
    this.vars = savedVars;
    this.defines.push({ name: call.name, parseName: this.options.name, file: this.options.file, source: this.source, root: body });
    return { ...call, end };
  }

  // ---- pipelines

  private pipeline(context: string, endType: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const decl: VariableNode[] = [];
    let isAssign = false;
    // Declarations: `$x :=`, `$x =`, and in range `$i, $v :=`.
    if (first.type === 'variable') {
      const saved = this.index;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'declare' || after.type === 'assign') {
        this.nextNonSpace();
        isAssign = after.type === 'assign';
        decl.push({ kind: 'variable', ident: [first.value], pos: first.pos, end: first.end });
        if (isAssign) this.useVar(first);
        else this.vars.push(first.value);
      } else if (after.type === 'comma' && context === 'range') {
        this.nextNonSpace();
        const second = this.nextNonSpace();
        if (second.type !== 'variable') this.error(second, `range can only initialize variables`);
        const op = this.nextNonSpace();
        if (op.type !== 'declare' && op.type !== 'assign') this.error(op, 'expected := or = in range declaration');
        isAssign = op.type === 'assign';
        decl.push({ kind: 'variable', ident: [first.value], pos: first.pos, end: first.end });
        decl.push({ kind: 'variable', ident: [second.value], pos: second.pos, end: second.end });
        if (isAssign) {
          this.useVar(first);
          this.useVar(second);
        } else this.vars.push(first.value, second.value);
      } else {
        this.index = saved;
      }
    }
    const cmds: CommandNode[] = [];
    const start = first.pos;
    while (true) {
      const token = this.peekNonSpace();
      if (token.type === endType) {
        this.nextNonSpace();
        if (cmds.length === 0) this.error(token, `missing value for ${context}`);
        break;
      }
      if (token.type === 'eof' || token.type === 'rightDelim' || token.type === 'rightParen') this.unexpected(token, context);
      cmds.push(this.command(endType));
    }
    for (let i = 1; i < cmds.length; i++) {
      const head = cmds[i].args[0];
      if (head && ['bool', 'dot', 'nil', 'number', 'string'].includes(head.kind)) {
        this.error(head, `non executable command in pipeline stage ${i + 1}`);
      }
    }
    const end = cmds[cmds.length - 1].end;
    return { kind: 'pipe', isAssign, decl, cmds, pos: start, end };
  }

  private command(endType: 'rightDelim' | 'rightParen'): CommandNode {
    const args: ArgNode[] = [];
    while (true) {
      this.skipSpace();
      const operand = this.operand();
      if (operand) args.push(operand);
      const token = this.peekRaw();
      if (token.type === 'space') {
        this.nextRaw();
        const after = this.peekRaw();
        if (after.type === 'pipe' || after.type === endType || after.type === 'rightDelim' || after.type === 'rightParen') {
          if (after.type === 'pipe') this.nextRaw();
          break;
        }
        continue;
      }
      if (token.type === endType || token.type === 'rightDelim' || token.type === 'rightParen') break;
      if (token.type === 'pipe') {
        this.nextRaw();
        break;
      }
      if (!operand) this.unexpected(token, 'operand');
      this.error(token, `unexpected ${describe(token)} in operand`);
    }
    if (args.length === 0) this.error(this.peekRaw(), 'empty command');
    return { kind: 'command', args, pos: args[0].pos, end: args[args.length - 1].end };
  }

  private skipSpace(): void {
    while (this.peekRaw().type === 'space') this.nextRaw();
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peekRaw().type !== 'field') return node;
    const fields: string[] = [];
    let end = node.end;
    while (this.peekRaw().type === 'field') {
      const field = this.nextRaw();
      fields.push(field.value.slice(1));
      end = field.end;
    }
    switch (node.kind) {
      case 'field':
        return { kind: 'field', ident: [...node.ident, ...fields], pos: node.pos, end };
      case 'variable':
        return { kind: 'variable', ident: [...node.ident, ...fields], pos: node.pos, end };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.error(node, `unexpected . after term "${this.source.slice(node.pos, node.end)}"`);
      // falls through: error() never returns
      default:
        return { kind: 'chain', node, field: fields, pos: node.pos, end };
    }
  }

  private term(): ArgNode | undefined {
    const token = this.peekRaw();
    switch (token.type) {
      case 'identifier':
        this.nextRaw();
        if (!this.options.isFunction(token.value)) this.error(token, `function "${token.value}" not defined`);
        return { kind: 'identifier', name: token.value, pos: token.pos, end: token.end };
      case 'dot':
        this.nextRaw();
        return { kind: 'dot', pos: token.pos, end: token.end };
      case 'nil':
        this.nextRaw();
        return { kind: 'nil', pos: token.pos, end: token.end };
      case 'variable':
        this.nextRaw();
        this.useVar(token);
        return { kind: 'variable', ident: [token.value], pos: token.pos, end: token.end };
      case 'field':
        this.nextRaw();
        return { kind: 'field', ident: [token.value.slice(1)], pos: token.pos, end: token.end };
      case 'bool':
        this.nextRaw();
        return { kind: 'bool', value: token.value === 'true', pos: token.pos, end: token.end };
      case 'char':
      case 'number':
        this.nextRaw();
        return this.number(token);
      case 'leftParen': {
        this.nextRaw();
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        return { ...pipe, pos: token.pos, end: this.tokens[this.index - 1].end };
      }
      case 'string':
      case 'rawString':
        this.nextRaw();
        return { kind: 'string', value: this.unquote(token), pos: token.pos, end: token.end };
    }
    return undefined;
  }

  private useVar(token: Token): void {
    const name = token.value;
    if (!this.vars.includes(name)) this.error(token, `undefined variable "${name}"`);
  }

  private number(token: Token): NumberNode {
    const text = token.value;
    if (token.type === 'char') {
      const decoded = unquoteGo(text.slice(1, -1), "'");
      if (decoded === undefined || [...decoded].length !== 1) this.error(token, `malformed character constant: ${text}`);
      return { kind: 'number', text, value: BigInt(decoded.codePointAt(0)!), pos: token.pos, end: token.end };
    }
    if (text.endsWith('i')) this.error(token, `complex numbers are not supported: ${text}`);
    const clean = text.replace(/_/g, '');
    const unsigned = clean.replace(/^[+-]/, '');
    const negative = clean.startsWith('-');
    const isHex = /^0[xX]/.test(unsigned);
    const isFloat = isHex ? /[.pP]/.test(unsigned) : /[.eE]/.test(unsigned);
    if (!isFloat) {
      let digits = unsigned;
      if (/^0[0-7]+$/.test(digits)) digits = '0o' + digits.slice(1); // Go's legacy octal
      try {
        const value = BigInt(digits);
        return { kind: 'number', text, value: negative ? -value : value, pos: token.pos, end: token.end };
      } catch {
        this.error(token, `illegal number syntax: "${text}"`);
      }
    }
    const value = isHex ? parseHexFloat(unsigned) : Number(unsigned);
    if (!Number.isFinite(value)) this.error(token, `illegal number syntax: "${text}"`);
    return { kind: 'number', text, value: negative ? -value : value, pos: token.pos, end: token.end };
  }

  private unquote(token: Token): string {
    if (token.type === 'rawString') return token.value.slice(1, -1).replace(/\r/g, '');
    const value = unquoteGo(token.value.slice(1, -1), '"');
    if (value === undefined) this.error(token, `invalid syntax: ${token.value}`);
    return value;
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'rightDelim':
      return '"}}"';
    case 'rightParen':
      return '")"';
    case 'leftParen':
      return '"("';
    case 'keyword':
      return `<${token.value}>`;
    case 'pipe':
      return '"|"';
    case 'comma':
      return '","';
    case 'declare':
      return '":="';
    case 'assign':
      return '"="';
    default:
      return `${JSON.stringify(token.value)}`;
  }
}

function parseHexFloat(text: string): number {
  const match = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(text);
  if (!match) return NaN;
  const whole = match[1] ? parseInt(match[1], 16) : 0;
  const fraction = match[2] ? parseInt(match[2], 16) / 16 ** match[2].length : 0;
  return (whole + fraction) * 2 ** Number(match[3] ?? 0);
}

/** Decodes the escapes of a Go interpreted string or rune literal body; `undefined` when malformed. */
export function unquoteGo(body: string, quote: '"' | "'"): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === quote) return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"':
      case "'":
        if (e !== quote) return undefined;
        out += e;
        break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const len = e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        out += String.fromCodePoint(code);
        i += len;
        break;
      }
      default: {
        const oct = body.slice(i, i + 3);
        if (!/^[0-7]{3}$/.test(oct)) return undefined;
        out += String.fromCharCode(parseInt(oct, 8));
        i += 2;
      }
    }
  }
  return out;
}

export { TemplateError };
