/**
 * Syntax tree of a Go `text/template`, after Go's `text/template/parse/node.go`. Every node keeps
 * the offsets of its source text (`pos`..`end`) so that execution errors and source maps can name
 * the exact place.
 */

export interface Span {
  readonly pos: number;
  readonly end: number;
}

export type Node = TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode;

export interface ListNode extends Span {
  readonly nodes: Node[];
}

export interface TextNode extends Span {
  readonly kind: 'text';
  readonly text: string;
}

/** `{{ pipeline }}`: `pos`..`end` covers the delimiters. */
export interface ActionNode extends Span {
  readonly kind: 'action';
  readonly pipe: PipeNode;
}

export interface BranchNode extends Span {
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList?: ListNode;
}

export interface IfNode extends BranchNode {
  readonly kind: 'if';
}
export interface WithNode extends BranchNode {
  readonly kind: 'with';
}
export interface RangeNode extends BranchNode {
  readonly kind: 'range';
}

/** `{{ template "name" pipeline }}` (and the call half of `block`). */
export interface TemplateNode extends Span {
  readonly kind: 'template';
  readonly name: string;
  readonly pipe?: PipeNode;
}

export interface BreakNode extends Span {
  readonly kind: 'break';
}
export interface ContinueNode extends Span {
  readonly kind: 'continue';
}

/** A pipeline with its optional declaration (`$x :=`, `$i, $v :=`) or assignment (`$x =`). */
export interface PipeNode extends Span {
  readonly kind: 'pipe';
  readonly isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}

export interface CommandNode extends Span {
  readonly kind: 'command';
  readonly args: ArgNode[];
}

export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

/** `.A.B.C`: the field names without dots. */
export interface FieldNode extends Span {
  readonly kind: 'field';
  readonly ident: string[];
}

/** `$x.A.B`: ident[0] is the variable name with its `$`. */
export interface VariableNode extends Span {
  readonly kind: 'variable';
  readonly ident: string[];
}

/** `(pipeline).A.B` or `fn.A` (a term followed by fields). */
export interface ChainNode extends Span {
  readonly kind: 'chain';
  readonly node: ArgNode;
  readonly field: string[];
}

/** A function name. */
export interface IdentifierNode extends Span {
  readonly kind: 'identifier';
  readonly name: string;
}

export interface DotNode extends Span {
  readonly kind: 'dot';
}
export interface NilNode extends Span {
  readonly kind: 'nil';
}
export interface BoolNode extends Span {
  readonly kind: 'bool';
  readonly value: boolean;
}

/** A number constant: Go's untyped constants become `int` unless the text has a fraction or exponent (then `float64`). */
export interface NumberNode extends Span {
  readonly kind: 'number';
  readonly text: string;
  readonly value: bigint | number;
}

export interface StringNode extends Span {
  readonly kind: 'string';
  /** The unquoted value. */
  readonly value: string;
}

/** One parsed template: its body and where its text lives. */
export interface TemplateTree {
  /** The name `template`/`include` call it by (a define's name, or the file's template name). */
  readonly name: string;
  /** The template name of the file it was parsed from, for messages (`chart/templates/x.yaml`). */
  readonly parseName: string;
  /** The host file identifier the offsets refer to. */
  readonly file: string;
  /** The full source text of that file. */
  readonly source: string;
  readonly root: ListNode;
}
