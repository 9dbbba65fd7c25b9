import { isMap } from '../core/yaml';
import { scalarText, type YamlTree } from '../core/tree';
import { perObject } from './perObject';
import type { KubernetesObject } from './kubernetes';

/** A Kubernetes label selector: matchLabels plus the `In`/`NotIn`/`Exists`/`DoesNotExist` expressions. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly expressions: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values: readonly string[] }>;
}

/** A map of label name → value (non-scalar values are skipped). */
export function readLabels(tree: YamlTree, map: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of tree.entries(map)) {
    const text = scalarText(value);
    if (text !== undefined) labels[String(key.value)] = text;
  }
  return labels;
}

/** Reads `{matchLabels, matchExpressions}`; a Service's plain `selector:` map is read as matchLabels. */
export function readSelector(tree: YamlTree, node: unknown, plainMap = false): LabelSelector | undefined {
  const resolved = tree.resolve(node);
  if (!isMap(resolved)) return undefined;
  if (plainMap) return { matchLabels: readLabels(tree, resolved), expressions: [] };
  const expressions = tree.items(tree.get(resolved, 'matchExpressions')).flatMap((item) => {
    if (!isMap(item)) return [];
    const key = tree.string(item, 'key');
    const operator = tree.string(item, 'operator');
    const values = tree.items(tree.get(item, 'values')).map(scalarText).filter((v): v is string => v !== undefined);
    return key && operator ? [{ key, operator, values }] : [];
  });
  return { matchLabels: readLabels(tree, tree.get(resolved, 'matchLabels')), expressions };
}

export function matches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false;
  for (const expression of selector.expressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    switch (expression.operator) {
      case 'In':
        if (!has || !expression.values.includes(labels[expression.key])) return false;
        break;
      case 'NotIn':
        if (has && expression.values.includes(labels[expression.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.expressions.length === 0;
}

/** Pod-template labels of a workload (a bare Pod's own labels). */
export const podLabels: (object: KubernetesObject) => Readonly<Record<string, string>> = perObject(readPodLabels);

function readPodLabels(object: KubernetesObject): Record<string, string> {
  const metadata = object.podSpec?.metadata ?? (object.kind === 'Pod' ? object.metadata : undefined);
  return readLabels(object.tree, metadata ? object.tree.get(metadata, 'labels') : undefined);
}

/** An object's own `metadata.labels`. */
export function objectLabels(object: KubernetesObject): Record<string, string> {
  return readLabels(object.tree, object.metadata ? object.tree.get(object.metadata, 'labels') : undefined);
}
