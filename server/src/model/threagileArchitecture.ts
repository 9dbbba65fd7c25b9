import type { YAMLMap } from '../core/yaml';
import type { YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { TRUST_LEVELS, type TrustLevel } from '../core/options';
import {
  DATA_LEVELS,
  isDataLevel,
  type ArchitectureComponent,
  type ArchitectureFlow,
  type ArchitectureModel,
  type ArchitectureReference,
  type ArchitectureZone,
  type ComponentType,
  type Control,
  type DataLevel,
  type Located,
} from './architecture';
import { keyRangeOf } from './architectureRead';
import { readThreagileDocument, singleDocumentModel, type ThreagileLink, type ThreagileModel, type ThreagileTechnicalAsset } from './threagile';
import { ThreagileIndex, threagileIndex } from './threagileIndex';

/**
 * Reads a Threagile model into our architecture model, so the same rules, hovers and tree view
 * apply to both formats.
 *
 * Threagile boundaries have no trust level, so one is derived from what the model states:
 * - assets outside every boundary that face the internet or are external entities sit in a
 *   synthetic `outside` zone, untrusted;
 * - a top-level network boundary is semi-trusted and each network boundary nested in another
 *   one step more trusted, capped at highly-trusted;
 * - an `execution-environment` is a logical group, not a protective network boundary (as
 *   Threagile's documentation says), so it has the trust of the boundary around it.
 */
export function buildThreagileModel(tree: YamlTree, root: YAMLMap): ArchitectureModel {
  return threagileArchitecture(singleDocumentModel(readThreagileDocument(tree, root)));
}

/** The synthetic zone of internet-facing assets outside every boundary. */
export const OUTSIDE_ZONE = 'outside';

export function threagileArchitecture(model: ThreagileModel): ArchitectureModel {
  const index = threagileIndex(model);
  const main = model.documents.find((document) => document.version) ?? model.documents[0];
  const references: ArchitectureReference[] = [];
  const refer = (kind: ArchitectureReference['kind'], located: Located<string> | undefined, from: string, tree: YamlTree) => {
    if (located) references.push({ kind, name: located.value, range: located.range, from, tree });
  };

  const dataAssets = new Map<string, Located<DataLevel> | undefined>();
  for (const asset of model.dataAssets) {
    if (dataAssets.has(asset.id)) continue;
    const confidentiality = asset.confidentiality;
    dataAssets.set(asset.id, confidentiality && isDataLevel(confidentiality.value) ? (confidentiality as Located<DataLevel>) : undefined);
  }

  const zones: ArchitectureZone[] = [];
  for (const boundary of model.trustBoundaries) {
    for (const asset of boundary.assetsInside) refer('component', asset, `trust boundary "${boundary.id}"`, boundary.tree);
    for (const child of boundary.nested) refer('zone', child, `trust boundary "${boundary.id}"`, boundary.tree);
    const parent = index.parentOf(boundary);
    const parentReference = parent?.nested.find((child) => child.value === boundary.id);
    const { level, reason } = derivedTrust(index, boundary.id);
    zones.push({
      id: boundary.id,
      tree: boundary.tree,
      range: boundary.range,
      node: boundary.node,
      derivedTrust: { level, reason },
      parent: parent && parentReference ? { value: parent.id, range: parentReference.range } : undefined,
      label: boundary.title,
    });
  }

  for (const runtime of model.sharedRuntimes) for (const asset of runtime.assetsRunning) refer('component', asset, `shared runtime "${runtime.id}"`, runtime.tree);
  const runtimesOf = new Map<string, string[]>();
  for (const runtime of model.sharedRuntimes) for (const asset of runtime.assetsRunning) runtimesOf.set(asset.value, [...(runtimesOf.get(asset.value) ?? []), runtime.id]);

  const components: ArchitectureComponent[] = [];
  const flows: ArchitectureFlow[] = [];
  let outsideNeeded: { range: OffsetRange; tree: YamlTree } | undefined;
  for (const asset of model.technicalAssets) {
    for (const data of [...asset.dataAssetsProcessed, ...asset.dataAssetsStored]) refer('data asset', data, `technical asset "${asset.id}"`, asset.tree);
    const boundary = index.boundaryOf(asset.id);
    const reference = boundary?.assetsInside.find((inside) => inside.value === asset.id);
    let zone: Located<string> | undefined = boundary && reference ? { value: boundary.id, range: asset.range } : undefined;
    if (!zone && (asset.internet?.value || asset.type?.value === 'external-entity')) {
      zone = { value: OUTSIDE_ZONE, range: asset.range };
      outsideNeeded ??= { range: asset.range, tree: asset.tree };
    }
    const componentType = componentTypeOf(asset);
    components.push({
      id: asset.id,
      tree: asset.tree,
      range: asset.range,
      node: asset.node,
      label: asset.title,
      type: asset.type,
      componentType,
      zone,
      privileges: [],
      inTcb: isTrustedCore(index, asset),
      secrets: [],
      dataLevel: mostSensitive(index, asset),
      implementedBy: { compose: [], kubernetes: [] },
      sharedRuntimes: runtimesOf.get(asset.id) ?? [],
      threagile: { asset, technology: asset.technologies[0]?.value, internet: asset.internet?.value, outOfScope: asset.outOfScope?.value, usage: asset.usage?.value },
    });
    for (const link of asset.links) {
      refer('component', link.target, `communication link "${link.title}"`, link.tree);
      for (const data of [...link.dataAssetsSent, ...link.dataAssetsReceived]) refer('data asset', data, `communication link "${link.title}"`, link.tree);
      flows.push(flowOf(asset, link));
    }
  }
  if (outsideNeeded) {
    zones.unshift({ id: OUTSIDE_ZONE, tree: outsideNeeded.tree, range: outsideNeeded.range, synthetic: true, derivedTrust: { level: 'untrusted', reason: 'derived: outside every trust boundary, facing the internet' }, label: 'outside (internet)' });
  }

  return {
    kind: 'architecture',
    dialect: 'threagile',
    tree: main.tree,
    root: main.root,
    zones,
    components,
    flows,
    pipelines: [],
    deployments: [],
    dataAssets,
    references,
    sectionKeys: main.sectionKeys,
    threagile: model,
  };
}

/** Network boundaries nest to more trust; an execution environment takes the trust of the boundary around it. */
function derivedTrust(index: ThreagileIndex, boundaryId: string): { level: TrustLevel; reason: string } {
  const boundary = index.boundaries.get(boundaryId);
  if (!boundary) return { level: 'semi-trusted', reason: 'derived: a trust boundary' };
  const chain = [boundary, ...index.parentsOf(boundary)];
  const networks = chain.filter((item) => index.isNetworkBoundary(item)).length;
  const rank = Math.min(TRUST_LEVELS.length - 1, Math.max(1, networks));
  const nested = networks > 1 ? `a network boundary nested ${networks - 1} level${networks > 2 ? 's' : ''} deep` : 'a top-level network boundary';
  const reason = index.isNetworkBoundary(boundary) ? `derived: ${nested}` : `derived: an execution environment inside ${networks > 0 ? nested : 'no network boundary'}`;
  return { level: TRUST_LEVELS[rank], reason };
}

const TECHNOLOGY_TYPES: Array<[string, ComponentType]> = [
  ['vault', 'vault'],
  ['hsm', 'vault'],
  ['identity_related', 'auth-service'],
  ['message-queue', 'queue'],
  ['stream-processing', 'queue'],
  ['load-balancer', 'gateway'],
  ['reverse-proxy', 'gateway'],
  ['waf', 'gateway'],
  ['gateway', 'gateway'],
];

function componentTypeOf(asset: ThreagileTechnicalAsset): ComponentType {
  for (const [attribute, type] of TECHNOLOGY_TYPES) if (asset.attributes.has(attribute)) return type;
  if (asset.type?.value === 'datastore') return 'datastore';
  if (asset.type?.value === 'external-entity') return 'external-system';
  return 'service';
}

/**
 * Our trusted core in a Threagile model: an in-scope vault or identity asset we run. A third
 * party's identity provider (`type: external-entity`) or an out-of-scope one is someone else's.
 */
function isTrustedCore(index: ThreagileIndex, asset: ThreagileTechnicalAsset): boolean {
  if (!index.inScope(asset) || index.isExternal(asset)) return false;
  return asset.attributes.has('vault') || asset.attributes.has('identity_related');
}

const THREAGILE_AUTHORIZATION: Record<string, string> = { none: 'none', 'technical-user': 'service-level', 'end-user-identity-propagation': 'resource-level' };

function flowOf(asset: ThreagileTechnicalAsset, link: ThreagileLink): ArchitectureFlow {
  const authenticationText = link.authentication;
  const authentication: Located<string>[] = [];
  if (authenticationText && authenticationText.value !== 'none') authentication.push(authenticationText);
  else if (authenticationText) {
    // Threagile's `none` next to a VPN or IP filter: trust by network location.
    if (link.ipFiltered?.value) authentication.push({ value: 'ip-allowlist', range: authenticationText.range });
    else if (link.vpn?.value) authentication.push({ value: 'vpn', range: authenticationText.range });
    else authentication.push(authenticationText);
  }
  const authorizationText = link.authorization;
  const authorization = authorizationText ? { value: THREAGILE_AUTHORIZATION[authorizationText.value] ?? authorizationText.value, range: authorizationText.range } : undefined;
  const applied = new Set<Control>();
  if (authenticationText && authenticationText.value !== 'none') applied.add('authenticate');
  if (authorization && authorization.value !== 'none') applied.add('authorize');
  return {
    id: link.title,
    tree: link.tree,
    range: link.range,
    node: link.node,
    from: { value: asset.id, range: asset.range },
    to: link.target,
    protocol: link.protocol,
    authentication,
    authenticationKey: keyRangeOf(link.tree, link.node, 'authentication'),
    authorization,
    controls: [],
    expressibleControls: ['authenticate', 'authorize'],
    appliedControls: applied,
    threagile: { link, vpn: link.vpn?.value, ipFiltered: link.ipFiltered?.value, usage: link.usage?.value, authenticationText: authenticationText?.value },
  };
}

/** The most sensitive of the asset's own confidentiality and the data it processes, with where that is written. */
function mostSensitive(index: ThreagileIndex, asset: ThreagileTechnicalAsset): Located<DataLevel> | undefined {
  let best: Located<DataLevel> | undefined = asset.confidentiality && isDataLevel(asset.confidentiality.value) ? (asset.confidentiality as Located<DataLevel>) : undefined;
  const rank = (level: DataLevel | undefined) => (level === undefined ? -1 : DATA_LEVELS.indexOf(level));
  const consider = (id: string, range: OffsetRange) => {
    const level = index.dataAssets.get(id)?.confidentiality?.value;
    if (isDataLevel(level) && rank(level) > rank(best?.value)) best = { value: level, range };
  };
  for (const data of [...asset.dataAssetsStored, ...asset.dataAssetsProcessed]) consider(data.value, data.range);
  for (const link of asset.links) for (const data of [...link.dataAssetsSent, ...link.dataAssetsReceived]) consider(data.value, data.range);
  return best;
}
