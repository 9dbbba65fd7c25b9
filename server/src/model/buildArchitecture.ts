import { isMap, type YAMLMap } from '../core/yaml';
import { rangeOf, scalarText, type YamlTree } from '../core/tree';
import type { ArchitectureComponent, ArchitectureFlow, ArchitectureModel, ArchitectureZone, Located } from './architecture';
import type { TrustLevel } from '../core/options';
import { TRUST_LEVELS } from '../core/options';

/** Builds the architecture model from our format or from a Threagile model. */
export function buildArchitectureModel(tree: YamlTree, kind: 'architecture' | 'threagile'): ArchitectureModel | undefined {
  const root = tree.root;
  if (!isMap(root)) return undefined;
  return kind === 'architecture' ? fromOwnFormat(tree, root) : fromThreagile(tree, root);
}

function located(tree: YamlTree, map: unknown, key: string): Located<string> | undefined {
  const node = tree.get(map, key);
  const value = scalarText(node);
  const range = rangeOf(node);
  return value !== undefined && range ? { value, range } : undefined;
}

function fromOwnFormat(tree: YamlTree, root: YAMLMap): ArchitectureModel {
  const zones: ArchitectureZone[] = [];
  const components: ArchitectureComponent[] = [];
  const flows: ArchitectureFlow[] = [];
  for (const [key, value] of tree.entries(tree.get(root, 'zones'))) {
    const trust = located(tree, value, 'trust');
    zones.push({
      id: String(key.value),
      range: rangeOf(key) ?? { start: 0, end: 0 },
      trust: trust && (TRUST_LEVELS as readonly string[]).includes(trust.value) ? (trust as Located<TrustLevel>) : undefined,
      parent: located(tree, value, 'parent'),
    });
  }
  for (const [key, value] of tree.entries(tree.get(root, 'components'))) {
    if (!isMap(value)) continue;
    components.push({ id: String(key.value), range: rangeOf(key) ?? { start: 0, end: 0 }, type: located(tree, value, 'type'), zone: located(tree, value, 'zone'), node: value });
  }
  for (const [key, value] of tree.entries(tree.get(root, 'flows'))) {
    if (!isMap(value)) continue;
    flows.push({ id: String(key.value), range: rangeOf(key) ?? { start: 0, end: 0 }, from: located(tree, value, 'from'), to: located(tree, value, 'to'), node: value });
  }
  return { kind: 'architecture', dialect: 'securebydesign', tree, root, zones, components, flows };
}

function fromThreagile(tree: YamlTree, root: YAMLMap): ArchitectureModel {
  const zones: ArchitectureZone[] = [];
  const components: ArchitectureComponent[] = [];
  const flows: ArchitectureFlow[] = [];
  for (const [key] of tree.entries(tree.get(root, 'trust_boundaries'))) {
    zones.push({ id: String(key.value), range: rangeOf(key) ?? { start: 0, end: 0 } });
  }
  for (const [key, value] of tree.entries(tree.get(root, 'technical_assets'))) {
    if (!isMap(value)) continue;
    components.push({ id: tree.string(value, 'id') ?? String(key.value), range: rangeOf(key) ?? { start: 0, end: 0 }, type: located(tree, value, 'type'), node: value });
    for (const [linkKey, link] of tree.entries(tree.get(value, 'communication_links'))) {
      if (!isMap(link)) continue;
      const from = { value: tree.string(value, 'id') ?? String(key.value), range: rangeOf(linkKey) ?? { start: 0, end: 0 } };
      flows.push({ id: String(linkKey.value), range: rangeOf(linkKey) ?? { start: 0, end: 0 }, from, to: located(tree, link, 'target'), node: link });
    }
  }
  return { kind: 'architecture', dialect: 'threagile', tree, root, zones, components, flows };
}
