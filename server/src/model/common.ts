import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from '../core/yaml';
import { rangeOf, scalarText, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';

/** An environment variable as written (compose map or `KEY=value` list form, or a Kubernetes `env` item). */
export interface EnvVar {
  readonly name: string;
  /** Literal value as written, undefined when taken from elsewhere (valueFrom, bare `KEY`). */
  readonly value?: string;
  readonly nameRange: OffsetRange;
  /** Range of the value text only (inside quotes); zero-width after `=` or `:` when empty. */
  readonly valueRange?: OffsetRange;
  /** The node holding the value (the list item for `KEY=value`). */
  readonly node: Node;
  readonly form: 'map' | 'list' | 'kubernetes';
}

/** Reads compose `environment:` in either its map or its list form. */
export function readComposeEnvironment(tree: YamlTree, environment: Node | undefined): EnvVar[] {
  const vars: EnvVar[] = [];
  if (isMap(environment)) {
    for (const [key, value] of tree.entries(environment)) {
      const keyRange = rangeOf(key);
      if (!keyRange) continue;
      const text = value === undefined ? undefined : scalarText(value);
      vars.push({
        name: String(key.value),
        value: text,
        nameRange: keyRange,
        valueRange: valueTextRange(tree.text, value) ?? { start: keyRange.end + 1, end: keyRange.end + 1 },
        node: (value ?? key) as Node,
        form: 'map',
      });
    }
  } else if (isSeq(environment)) {
    for (const item of tree.items(environment)) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const inner = valueTextRange(tree.text, item);
      if (!inner) continue;
      const raw = item.value;
      const equals = raw.indexOf('=');
      const name = equals === -1 ? raw : raw.slice(0, equals);
      const rawInSource = tree.text.slice(inner.start, inner.end);
      const sourceEquals = rawInSource.indexOf('=');
      vars.push({
        name: name.trim(),
        value: equals === -1 ? undefined : raw.slice(equals + 1),
        nameRange: { start: inner.start, end: sourceEquals === -1 ? inner.end : inner.start + sourceEquals },
        valueRange: sourceEquals === -1 ? undefined : { start: inner.start + sourceEquals + 1, end: inner.end },
        node: item,
        form: 'list',
      });
    }
  }
  return vars;
}

/** Range of a scalar's text without its quotes. */
export function valueTextRange(text: string, node: unknown): OffsetRange | undefined {
  const range = rangeOf(node);
  if (!range || !isScalar(node)) return range;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    const first = text[range.start];
    if ((first === '"' || first === "'") && range.end - range.start >= 2) return { start: range.start + 1, end: range.end - 1 };
  }
  return range;
}

export function isNullNode(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && (node.value === null || node.value === undefined));
}

/** Keys of a map that are plain scalars, with their node. */
export function mapKeys(tree: YamlTree, map: unknown): Array<{ name: string; key: Scalar; value: Node | undefined }> {
  return tree.entries(map).map(([key, value]) => ({ name: String(key.value), key, value }));
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}
