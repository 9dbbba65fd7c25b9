import { isMap, isSeq, type Scalar, type YAMLMap } from '../core/yaml';
import { rangeOf, scalarText, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { TRUST_LEVELS } from '../core/options';
import {
  dataRank,
  isDataLevel,
  type ArchitectureComponent,
  type ArchitectureDeployment,
  type ArchitectureFlow,
  type ArchitectureModel,
  type ArchitectureReference,
  type ArchitectureZone,
  type ComponentType,
  type Control,
  type DataLevel,
  type Located,
} from './architecture';
import { keyRangeOf, locatedBoolean, locatedList, locatedString, sectionKeys } from './architectureRead';

/**
 * Reads a Threagile model into our architecture model, so the same rules, hovers and tree view
 * apply. Both the authored form (`communication_links` as a map, `technology`) and the parsed
 * form Threagile writes out (`communication_links` as a list with `target_id`, `technologies`)
 * are read.
 *
 * Threagile boundaries have no trust level, so one is derived:
 * - assets outside every boundary that face the internet or are external entities sit in a
 *   synthetic `outside` zone, untrusted;
 * - a top-level boundary is semi-trusted, each level of nesting one step more trusted, and an
 *   `execution-environment` one step more again (it isolates what runs inside), capped at
 *   highly-trusted.
 */
export function buildThreagileModel(tree: YamlTree, root: YAMLMap): ArchitectureModel {
  const references: ArchitectureReference[] = [];
  const refer = (kind: ArchitectureReference['kind'], located: Located<string> | undefined, from: string) => {
    if (located) references.push({ kind, name: located.value, range: located.range, from });
  };

  const dataAssets = new Map<string, Located<DataLevel> | undefined>();
  for (const [key, value] of tree.entries(tree.get(root, 'data_assets'))) {
    const id = tree.string(value, 'id') ?? String(key.value);
    const confidentiality = locatedString(tree, value, 'confidentiality');
    dataAssets.set(id, confidentiality && isDataLevel(confidentiality.value) ? (confidentiality as Located<DataLevel>) : undefined);
  }

  // Boundaries first: components take the innermost boundary listing them.
  const boundaries: Array<{ id: string; key: Scalar; node?: YAMLMap; type?: string; inside: Located<string>[]; nested: Located<string>[] }> = [];
  for (const [key, value] of tree.entries(tree.get(root, 'trust_boundaries'))) {
    const node = isMap(value) ? value : undefined;
    const id = tree.string(node, 'id') ?? String(key.value);
    const inside = locatedList(tree, node, 'technical_assets_inside');
    const nested = locatedList(tree, node, 'trust_boundaries_nested');
    for (const asset of inside) refer('component', asset, `trust boundary "${id}"`);
    for (const child of nested) refer('zone', child, `trust boundary "${id}"`);
    boundaries.push({ id, key, node, type: tree.string(node, 'type'), inside, nested });
  }
  const parentOf = new Map<string, Located<string>>();
  for (const boundary of boundaries) for (const child of boundary.nested) if (!parentOf.has(child.value)) parentOf.set(child.value, { value: boundary.id, range: child.range });
  const depthOf = (id: string): number => {
    let depth = 0;
    for (let current = parentOf.get(id)?.value; current !== undefined && depth < 8; current = parentOf.get(current)?.value) depth++;
    return depth;
  };

  const zones: ArchitectureZone[] = [];
  const assetZone = new Map<string, { zone: string; depth: number; range: OffsetRange }>();
  for (const boundary of boundaries) {
    const depth = depthOf(boundary.id);
    const executionEnvironment = boundary.type === 'execution-environment';
    const rank = Math.min(TRUST_LEVELS.length - 1, 1 + depth + (executionEnvironment ? 1 : 0));
    const reason = `derived: ${depth === 0 ? 'a top-level boundary' : `nested ${depth} level${depth > 1 ? 's' : ''} deep`}${executionEnvironment ? ', an execution environment' : ''}`;
    zones.push({
      id: boundary.id,
      range: locatedString(tree, boundary.node, 'id')?.range ?? rangeOf(boundary.key)!,
      node: boundary.node,
      derivedTrust: { level: TRUST_LEVELS[rank], reason },
      parent: parentOf.get(boundary.id),
      label: tree.string(boundary.node, 'title') ?? String(boundary.key.value),
    });
    for (const asset of boundary.inside) {
      const current = assetZone.get(asset.value);
      if (!current || current.depth < depth) assetZone.set(asset.value, { zone: boundary.id, depth, range: asset.range });
    }
  }

  const runtimes = new Map<string, string[]>();
  for (const [key, value] of tree.entries(tree.get(root, 'shared_runtimes'))) {
    const id = tree.string(value, 'id') ?? String(key.value);
    for (const asset of locatedList(tree, value, 'technical_assets_running')) {
      refer('component', asset, `shared runtime "${id}"`);
      runtimes.set(asset.value, [...(runtimes.get(asset.value) ?? []), id]);
    }
  }

  const components: ArchitectureComponent[] = [];
  const flows: ArchitectureFlow[] = [];
  const deployments: ArchitectureDeployment[] = [];
  let outsideNeeded: OffsetRange | undefined;
  for (const [key, value] of tree.entries(tree.get(root, 'technical_assets'))) {
    if (!isMap(value)) continue;
    const idValue = locatedString(tree, value, 'id');
    const id = idValue?.value ?? String(key.value);
    const range = idValue?.range ?? rangeOf(key)!;
    const technology = technologyOf(tree, value);
    const assetType = tree.string(value, 'type');
    const internet = tree.boolean(value, 'internet');
    const componentType = componentTypeOf(assetType, technology);
    const stored = [...locatedList(tree, value, 'data_assets_processed'), ...locatedList(tree, value, 'data_assets_stored')];
    for (const asset of stored) refer('data asset', asset, `technical asset "${id}"`);
    const placed = assetZone.get(id);
    let zone: Located<string> | undefined = placed ? { value: placed.zone, range } : undefined;
    if (!zone && (internet || assetType === 'external-entity')) {
      zone = { value: OUTSIDE_ZONE, range };
      outsideNeeded ??= range;
    }
    components.push({
      id,
      range,
      node: value,
      label: String(key.value),
      type: locatedString(tree, value, 'type'),
      componentType,
      zone,
      privileges: [],
      inTcb: componentType === 'vault' || componentType === 'auth-service',
      secrets: [],
      dataLevel: mostSensitive(tree, value, stored, dataAssets),
      implementedBy: { compose: [], kubernetes: [] },
      sharedRuntimes: runtimes.get(id) ?? [],
      threagile: { technology, internet, outOfScope: tree.boolean(value, 'out_of_scope'), usage: tree.string(value, 'usage') },
    });
    for (const [linkKey, link] of linksOf(tree, value)) {
      const flow = readLink(tree, id, range, linkKey, link);
      refer('component', flow.to, `communication link "${flow.id}"`);
      for (const sent of [...locatedList(tree, link, 'data_assets_sent'), ...locatedList(tree, link, 'data_assets_received')]) refer('data asset', sent, `communication link "${flow.id}"`);
      flows.push(flow);
      // A devops link over ssh/scp into a running asset is a deployment by remote shell.
      const protocol = flow.protocol?.value;
      if (protocol && REMOTE_SHELL.has(protocol) && tree.string(link, 'usage') === 'devops' && tree.boolean(link, 'readonly') !== true) {
        deployments.push({ component: flow.to?.value, via: flow.id, node: link, keyRange: flow.range, strategy: { value: 'ssh', range: flow.protocol!.range } });
      }
    }
  }
  if (outsideNeeded) {
    zones.unshift({ id: OUTSIDE_ZONE, range: outsideNeeded, synthetic: true, derivedTrust: { level: 'untrusted', reason: 'derived: outside every trust boundary, facing the internet' }, label: 'outside (internet)' });
  }

  return {
    kind: 'architecture',
    dialect: 'threagile',
    tree,
    root,
    zones,
    components,
    flows,
    pipelines: [],
    deployments,
    dataAssets,
    references,
    sectionKeys: sectionKeys(tree, root, ['threagile_version', 'technical_assets', 'trust_boundaries', 'data_assets', 'shared_runtimes']),
  };
}

/** The synthetic zone of internet-facing assets outside every boundary. */
export const OUTSIDE_ZONE = 'outside';

const REMOTE_SHELL = new Set(['ssh', 'scp', 'sftp', 'ssh-tunnel']);

const TECHNOLOGY_TYPES: Record<string, ComponentType> = {
  vault: 'vault',
  hsm: 'vault',
  'identity-provider': 'auth-service',
  'identity-store-ldap': 'auth-service',
  'identity-store-database': 'auth-service',
  'message-queue': 'queue',
  'stream-processing': 'queue',
  'load-balancer': 'gateway',
  'reverse-proxy': 'gateway',
  waf: 'gateway',
  gateway: 'gateway',
  'api-gateway': 'gateway',
};

function componentTypeOf(assetType: string | undefined, technology: string | undefined): ComponentType {
  const byTechnology = technology ? TECHNOLOGY_TYPES[technology] : undefined;
  if (byTechnology) return byTechnology;
  if (assetType === 'datastore') return 'datastore';
  if (assetType === 'external-entity') return 'external-system';
  return 'service';
}

function technologyOf(tree: YamlTree, asset: YAMLMap): string | undefined {
  const single = tree.string(asset, 'technology');
  if (single) return single;
  for (const item of tree.items(tree.get(asset, 'technologies'))) {
    const name = isMap(item) ? tree.string(item, 'name') : scalarText(item);
    if (name) return name;
  }
  return undefined;
}

/** Authored form: a map keyed by title; parsed form: a list with `id`. */
function linksOf(tree: YamlTree, asset: YAMLMap): Array<[Scalar | undefined, YAMLMap]> {
  const links = tree.get(asset, 'communication_links');
  if (isSeq(links)) return tree.items(links).filter(isMap).map((link) => [undefined, link] as [Scalar | undefined, YAMLMap]);
  return tree.entries(links).flatMap(([key, link]) => (isMap(link) ? [[key, link] as [Scalar | undefined, YAMLMap]] : []));
}

const THREAGILE_AUTHORIZATION: Record<string, string> = { none: 'none', 'technical-user': 'service-level', 'end-user-identity-propagation': 'resource-level' };

function readLink(tree: YamlTree, sourceId: string, sourceRange: OffsetRange, key: Scalar | undefined, link: YAMLMap): ArchitectureFlow {
  const idNode = locatedString(tree, link, 'id');
  const id = key ? String(key.value) : idNode?.value ?? `${sourceId}>?`;
  const range = (key ? rangeOf(key) : idNode?.range) ?? rangeOf(link)!;
  const authenticationText = locatedString(tree, link, 'authentication');
  const vpn = locatedBoolean(tree, link, 'vpn');
  const ipFiltered = locatedBoolean(tree, link, 'ip_filtered');
  const authentication: Located<string>[] = [];
  if (authenticationText && authenticationText.value !== 'none') authentication.push(authenticationText);
  else if (authenticationText) {
    // Threagile's `none` next to a VPN or IP filter: trust by network location.
    if (ipFiltered?.value) authentication.push({ value: 'ip-allowlist', range: authenticationText.range });
    else if (vpn?.value) authentication.push({ value: 'vpn', range: authenticationText.range });
    else authentication.push(authenticationText);
  }
  const authorizationText = locatedString(tree, link, 'authorization');
  const authorization = authorizationText ? { value: THREAGILE_AUTHORIZATION[authorizationText.value] ?? authorizationText.value, range: authorizationText.range } : undefined;
  const applied = new Set<Control>();
  if (authenticationText && authenticationText.value !== 'none') applied.add('authenticate');
  if (authorization && authorization.value !== 'none') applied.add('authorize');
  return {
    id,
    range,
    node: link,
    from: { value: sourceId, range: sourceRange },
    to: locatedString(tree, link, 'target') ?? locatedString(tree, link, 'target_id'),
    protocol: locatedString(tree, link, 'protocol'),
    authentication,
    authenticationKey: keyRangeOf(tree, link, 'authentication'),
    authorization,
    controls: [],
    expressibleControls: ['authenticate', 'authorize'],
    appliedControls: applied,
    threagile: { vpn: vpn?.value, ipFiltered: ipFiltered?.value, usage: tree.string(link, 'usage'), authenticationText: authenticationText?.value },
  };
}

/** The most sensitive of the asset's own confidentiality and the data it processes or stores. */
function mostSensitive(tree: YamlTree, asset: YAMLMap, data: readonly Located<string>[], dataAssets: ReadonlyMap<string, Located<DataLevel> | undefined>): Located<DataLevel> | undefined {
  const own = locatedString(tree, asset, 'confidentiality');
  let best: Located<DataLevel> | undefined = own && isDataLevel(own.value) ? (own as Located<DataLevel>) : undefined;
  for (const reference of data) {
    const level = dataAssets.get(reference.value)?.value;
    if (level && dataRank(level) > dataRank(best?.value)) best = { value: level, range: reference.range };
  }
  return best;
}

