import { isMap, isScalar, isSeq, type Node, type Scalar } from '../core/yaml';
import { rangeOf, scalarText, valueTextRange, type YamlTree } from '../core/tree';
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

export function isNullNode(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && (node.value === null || node.value === undefined));
}

/** Keys of a map that are plain scalars, with their node. */
export function mapKeys(tree: YamlTree, map: unknown): Array<{ name: string; key: Scalar; value: Node | undefined }> {
  return tree.entries(map).map(([key, value]) => ({ name: String(key.value), key, value }));
}

/** A scalar item of a list, with the range of its text. */
export interface ListItem {
  readonly value: string;
  readonly node: Scalar;
  readonly range: OffsetRange;
}

/** The string items of `map[key]`: a list of scalars, or one scalar standing for a list of one. */
export function stringItems(tree: YamlTree, map: unknown, key: string): ListItem[] {
  const list = tree.get(map, key);
  const items: ListItem[] = [];
  const values = isScalar(list) ? [list] : tree.items(list);
  for (const item of values) {
    const text = scalarText(item);
    const range = valueTextRange(tree.text, item);
    if (isScalar(item) && text !== undefined && range) items.push({ value: text, node: item, range });
  }
  return items;
}

/** First number of a port spec (`5432`, `5432-5433`, `5432/tcp`); undefined when templated. */
export function portNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}
