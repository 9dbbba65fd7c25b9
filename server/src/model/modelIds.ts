import type { YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { ModelIndex, type ArchitectureModel } from './architecture';
import { threagileIndex } from './threagileIndex';

/**
 * The ids of an architecture model (ours or Threagile's) where they are defined and where they are
 * used: what go-to-definition, find-references, rename, hovers and code lenses work from. A model
 * may span several files, so every occurrence names the syntax tree it is written in.
 */

export type IdKind = 'zone' | 'component' | 'data asset' | 'shared runtime';

export interface IdOccurrence {
  readonly kind: IdKind;
  readonly id: string;
  /** The id's text (the key of our format, Threagile's `id:` value, or one part of a risk id). */
  readonly range: OffsetRange;
  readonly tree: YamlTree;
  readonly role: 'definition' | 'reference';
}

/** Every definition and reference of an id in the model, in document order per kind. */
export function idOccurrences(model: ArchitectureModel): IdOccurrence[] {
  const out: IdOccurrence[] = [];
  const threagile = model.threagile;
  if (threagile) {
    const define = (kind: IdKind, items: ReadonlyArray<{ id: string; range: OffsetRange; tree: YamlTree }>) => {
      for (const item of items) out.push({ kind, id: item.id, range: item.range, tree: item.tree, role: 'definition' });
    };
    define('zone', threagile.trustBoundaries);
    define('component', threagile.technicalAssets);
    define('data asset', threagile.dataAssets);
    define('shared runtime', threagile.sharedRuntimes);
    const known = new Set(threagile.technicalAssets.map((asset) => asset.id));
    for (const entry of threagile.riskTracking) out.push(...riskIdReferences(entry.pattern, entry.range, entry.tree, known));
  } else {
    for (const zone of model.zones) if (!zone.synthetic) out.push({ kind: 'zone', id: zone.id, range: zone.range, tree: model.tree, role: 'definition' });
    for (const component of model.components) out.push({ kind: 'component', id: component.id, range: component.range, tree: model.tree, role: 'definition' });
  }
  for (const reference of model.references) out.push({ kind: reference.kind, id: reference.name, range: reference.range, tree: reference.tree ?? model.tree, role: 'reference' });
  return out;
}

/**
 * Asset ids inside a risk id used as a `risk_tracking` key (`missing-vault@erp-system`,
 * `unencrypted-communication@erp-system>db-traffic@erp-system@db`): renaming an asset renames
 * them too. A link id's source part (`erp-system>…`) counts as the asset.
 */
function riskIdReferences(pattern: string, keyRange: OffsetRange, tree: YamlTree, assets: ReadonlySet<string>): IdOccurrence[] {
  const written = tree.text.slice(keyRange.start, keyRange.end);
  const quote = written.startsWith('"') || written.startsWith("'") ? 1 : 0;
  if (written.slice(quote, quote + pattern.length) !== pattern) return [];
  const out: IdOccurrence[] = [];
  let offset = keyRange.start + quote;
  for (const [index, part] of pattern.split('@').entries()) {
    const id = part.includes('>') ? part.slice(0, part.indexOf('>')) : part;
    if (index > 0 && assets.has(id)) out.push({ kind: 'component', id, range: { start: offset, end: offset + id.length }, tree, role: 'reference' });
    offset += part.length + 1;
  }
  return out;
}

/** The occurrence of an id at an offset of a tree, if any (the cursor on a name). */
export function idAt(model: ArchitectureModel, tree: YamlTree, offset: number): IdOccurrence | undefined {
  return idOccurrences(model).find((occurrence) => occurrence.tree === tree && occurrence.range.start <= offset && offset <= occurrence.range.end);
}

/** What an id stands for, in a line or two of Markdown: a zone's trust, a component's type, zone and data, a data asset's ratings. */
export function describeId(model: ArchitectureModel, kind: IdKind, id: string): string | undefined {
  const index = new ModelIndex(model);
  if (kind === 'zone') {
    const zone = index.zones.get(id);
    if (!zone) return undefined;
    const trust = index.trustOf(zone);
    const how = zone.trust ? 'stated' : zone.derivedTrust?.reason;
    const members = model.components.filter((component) => component.zone?.value === id).length;
    const boundary = model.threagile?.trustBoundaries.find((item) => item.id === id)?.type?.value;
    return [
      `**${model.threagile ? 'Trust boundary' : 'Trust zone'}** \`${id}\`${zone.label && zone.label !== id ? ` (${zone.label})` : ''}${boundary ? ` · ${boundary}` : ''}`,
      `Trust: **${trust ?? 'not stated'}**${how && trust ? ` (${how})` : ''}${zone.parent ? ` · inside \`${zone.parent.value}\`` : ''} · ${members} component${members === 1 ? '' : 's'}`,
    ].join('\n\n');
  }
  if (kind === 'component') {
    const component = index.components.get(id);
    if (!component) return undefined;
    const zone = index.zoneOf(component);
    const trust = index.trustOf(zone);
    const asset = component.threagile?.asset;
    const what = asset ? [asset.type?.value, asset.technologies.map((technology) => technology.value).join('/')].filter(Boolean).join(' · ') : component.componentType;
    const facts = [
      zone ? `zone \`${zone.id}\` (${trust ?? 'trust not stated'})` : 'in no zone',
      component.dataLevel ? `data: **${component.dataLevel.value}**` : undefined,
      component.inTcb ? 'trusted core' : undefined,
      asset?.outOfScope?.value ? 'out of scope' : undefined,
      asset?.internet?.value ? 'faces the internet' : undefined,
    ].filter(Boolean);
    return [`**Component** \`${id}\`${component.label && component.label !== id ? ` (${component.label})` : ''} · ${what}`, facts.join(' · ')].join('\n\n');
  }
  if (kind === 'data asset') {
    const data = model.threagile ? threagileIndex(model.threagile).dataAssets.get(id) : undefined;
    if (!data) return undefined;
    const ratings = [`confidentiality **${data.confidentiality?.value ?? '—'}**`, `integrity **${data.integrity?.value ?? '—'}**`, `availability **${data.availability?.value ?? '—'}**`];
    return [`**Data asset** \`${id}\`${data.title !== id ? ` (${data.title})` : ''}`, [...ratings, data.quantity ? `quantity ${data.quantity.value}` : undefined, data.owner ? `owner ${data.owner.value}` : 'no owner'].filter(Boolean).join(' · ')].join('\n\n');
  }
  const runtime = model.threagile?.sharedRuntimes.find((item) => item.id === id);
  return runtime ? `**Shared runtime** \`${id}\`${runtime.title !== id ? ` (${runtime.title})` : ''}\n\nRuns ${runtime.assetsRunning.map((asset) => `\`${asset.value}\``).join(', ') || 'nothing'}` : undefined;
}

/** Zones from which a component can be reached along the model's flows (directly or through other components), its own excluded. */
export function zonesReaching(model: ArchitectureModel, componentId: string): string[] {
  const index = new ModelIndex(model);
  const callers = new Map<string, string[]>();
  for (const flow of model.flows) {
    if (!flow.from || !flow.to) continue;
    callers.set(flow.to.value, [...(callers.get(flow.to.value) ?? []), flow.from.value]);
  }
  const seen = new Set<string>([componentId]);
  const queue = [componentId];
  while (queue.length > 0) {
    for (const caller of callers.get(queue.shift()!) ?? []) {
      if (seen.has(caller)) continue;
      seen.add(caller);
      queue.push(caller);
    }
  }
  const own = index.zoneOf(index.components.get(componentId))?.id;
  const zones = new Set<string>();
  for (const id of seen) {
    if (id === componentId) continue;
    const zone = index.zoneOf(index.components.get(id))?.id;
    if (zone && zone !== own) zones.add(zone);
  }
  return [...zones].sort();
}

/**
 * The secrets a component holds: our format's `secrets`; in a Threagile model, the data assets it
 * stores or processes that are rated strictly-confidential (credentials, keys, tokens).
 */
export function secretsHeld(model: ArchitectureModel, componentId: string): string[] {
  const component = new ModelIndex(model).components.get(componentId);
  if (!component) return [];
  const asset = component.threagile?.asset;
  if (!asset || !model.threagile) return component.secrets.map((secret) => secret.value);
  const index = threagileIndex(model.threagile);
  return [...new Set([...asset.dataAssetsStored, ...asset.dataAssetsProcessed].map((data) => data.value))].filter((id) => index.dataAssets.get(id)?.confidentiality?.value === 'strictly-confidential');
}
