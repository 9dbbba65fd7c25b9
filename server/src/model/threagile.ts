import { isMap, isSeq, type Scalar, type YAMLMap } from '../core/yaml';
import { rangeOf, scalarText, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { Located } from './architecture';
import { keyRangeOf, locatedBoolean, locatedList, locatedString, sectionKeys } from './architectureRead';
import { technologyAttributes } from './threagileTechnologies';

/**
 * A Threagile model as its author wrote it, read field by field with the range of every value,
 * the way Threagile's own loader reads it (`pkg/input`, `pkg/model/parse.go`): maps keyed by
 * title with an `id`, communication links keyed by title under their source asset, CIA ratings
 * as words. One file gives one `ThreagileDocument`; a model split with top-level `includes:`
 * is the union of its documents (threagileSystem.ts assembles it).
 *
 * Both the authored form and the parsed form Threagile writes out (`communication_links` as a
 * list with `target_id`, `technologies` as a list of `{name}`) are read.
 */

/** Confidentiality, least to most sensitive (Threagile `confidentiality`). */
export const CONFIDENTIALITY = ['public', 'internal', 'restricted', 'confidential', 'strictly-confidential'] as const;
/** Integrity and availability, least to most critical (Threagile `criticality`). */
export const CRITICALITY = ['archive', 'operational', 'important', 'critical', 'mission-critical'] as const;
export const QUANTITY = ['very-few', 'few', 'many', 'very-many'] as const;
export const RISK_STATUSES = ['unchecked', 'in-discussion', 'accepted', 'in-progress', 'mitigated', 'false-positive'] as const;
/** Statuses under which a tracked risk is no longer reported (with a justification). */
export const SUPPRESSING_RISK_STATUSES: ReadonlySet<string> = new Set(['accepted', 'in-progress', 'mitigated', 'false-positive']);

export type CiaDimension = 'confidentiality' | 'integrity' | 'availability';

/** Rank of a CIA word (0 = public/archive); unknown or missing words rank lowest, as Threagile's zero value. */
export function ciaRank(dimension: CiaDimension, value: string | undefined): number {
  if (value === undefined) return 0;
  const scale: readonly string[] = dimension === 'confidentiality' ? CONFIDENTIALITY : CRITICALITY;
  return Math.max(0, scale.indexOf(value));
}

export function ciaWord(dimension: CiaDimension, rank: number): string {
  return (dimension === 'confidentiality' ? CONFIDENTIALITY : CRITICALITY)[Math.max(0, Math.min(4, rank))];
}

/** Protocols between parts of one process or host (Threagile's `IsProcessLocal`). */
export const PROCESS_LOCAL_PROTOCOLS: ReadonlySet<string> = new Set(['in-process-library-call', 'inter-process-communication', 'local-file-access', 'container-spawning']);
/** Protocols Threagile counts as encrypted (`IsEncrypted`). */
export const ENCRYPTED_PROTOCOLS: ReadonlySet<string> = new Set([
  'https', 'wss', 'jdbc-encrypted', 'odbc-encrypted', 'nosql-access-protocol-encrypted', 'sql-access-protocol-encrypted', 'binary-encrypted', 'text-encrypted',
  'ssh', 'ssh-tunnel', 'ftps', 'sftp', 'scp', 'ldaps', 'reverse-proxy-web-protocol-encrypted', 'iiop-encrypted', 'jrmp-encrypted', 'smb-encrypted',
  'smtp-encrypted', 'pop3-encrypted', 'imap-encrypted',
]);
/** Every protocol Threagile knows (`pkg/types/protocol.go`). */
export const THREAGILE_PROTOCOLS: readonly string[] = [
  'unknown-protocol', 'http', 'https', 'ws', 'wss', 'reverse-proxy-web-protocol', 'reverse-proxy-web-protocol-encrypted', 'mqtt', 'jdbc', 'jdbc-encrypted',
  'odbc', 'odbc-encrypted', 'sql-access-protocol', 'sql-access-protocol-encrypted', 'nosql-access-protocol', 'nosql-access-protocol-encrypted', 'binary',
  'binary-encrypted', 'text', 'text-encrypted', 'ssh', 'ssh-tunnel', 'smtp', 'smtp-encrypted', 'pop3', 'pop3-encrypted', 'imap', 'imap-encrypted', 'ftp',
  'ftps', 'sftp', 'scp', 'ldap', 'ldaps', 'jms', 'nfs', 'smb', 'smb-encrypted', 'local-file-access', 'nrpe', 'xmpp', 'iiop', 'iiop-encrypted', 'jrmp',
  'jrmp-encrypted', 'in-process-library-call', 'inter-process-communication', 'container-spawning',
];
/** Protocols a WAF can sit in front of (Threagile's `IsPotentialWebAccessProtocol`). */
export const WEB_ACCESS_PROTOCOLS: ReadonlySet<string> = new Set(['http', 'https', 'ws', 'wss', 'reverse-proxy-web-protocol', 'reverse-proxy-web-protocol-encrypted']);
/** Trust-boundary types that separate networks; `execution-environment` is a logical group only. */
export const NETWORK_BOUNDARY_TYPES: ReadonlySet<string> = new Set(['network-on-prem', 'network-dedicated-hoster', 'network-virtual-lan', 'network-cloud-provider', 'network-cloud-security-group', 'network-policy-namespace-isolation']);
export const TRUST_BOUNDARY_TYPES: readonly string[] = [...NETWORK_BOUNDARY_TYPES, 'execution-environment'];

/** What every Threagile element has: where it is written. */
interface Written {
  /** The syntax tree of the document the element is written in (a model may span several files). */
  readonly tree: YamlTree;
  readonly node?: YAMLMap;
  /** The map key: Threagile's title. */
  readonly title: string;
  readonly titleRange: OffsetRange;
  readonly id: string;
  /** The `id` value, or the title when no id is written: where findings about the element point. */
  readonly range: OffsetRange;
  readonly tags: readonly Located<string>[];
}

export interface ThreagileDataAsset extends Written {
  readonly usage?: Located<string>;
  readonly owner?: Located<string>;
  readonly origin?: Located<string>;
  readonly quantity?: Located<string>;
  readonly confidentiality?: Located<string>;
  readonly integrity?: Located<string>;
  readonly availability?: Located<string>;
}

export interface ThreagileLink extends Written {
  /** The source asset's id. */
  readonly sourceId: string;
  readonly target?: Located<string>;
  readonly protocol?: Located<string>;
  readonly authentication?: Located<string>;
  readonly authorization?: Located<string>;
  readonly usage?: Located<string>;
  readonly vpn?: Located<boolean>;
  readonly ipFiltered?: Located<boolean>;
  readonly readonly?: Located<boolean>;
  readonly dataAssetsSent: readonly Located<string>[];
  readonly dataAssetsReceived: readonly Located<string>[];
}

export interface ThreagileTechnicalAsset extends Written {
  readonly type?: Located<string>;
  readonly usage?: Located<string>;
  readonly usedAsClientByHuman?: Located<boolean>;
  readonly outOfScope?: Located<boolean>;
  readonly justificationOutOfScope?: Located<string>;
  readonly size?: Located<string>;
  /** `technology` and `technologies`, as written. */
  readonly technologies: readonly Located<string>[];
  /** Attributes Threagile derives from the technologies (`vault`, `web_application`, …). */
  readonly attributes: ReadonlySet<string>;
  readonly internet?: Located<boolean>;
  readonly machine?: Located<string>;
  readonly encryption?: Located<string>;
  readonly owner?: Located<string>;
  readonly confidentiality?: Located<string>;
  readonly integrity?: Located<string>;
  readonly availability?: Located<string>;
  readonly multiTenant?: Located<boolean>;
  readonly redundant?: Located<boolean>;
  readonly customDevelopedParts?: Located<boolean>;
  readonly dataAssetsProcessed: readonly Located<string>[];
  readonly dataAssetsStored: readonly Located<string>[];
  readonly dataFormatsAccepted: readonly Located<string>[];
  readonly links: readonly ThreagileLink[];
}

export interface ThreagileTrustBoundary extends Written {
  readonly type?: Located<string>;
  readonly assetsInside: readonly Located<string>[];
  readonly nested: readonly Located<string>[];
}

export interface ThreagileSharedRuntime extends Written {
  readonly assetsRunning: readonly Located<string>[];
}

/** One `risk_tracking` entry: a synthetic risk id (with `*` wildcards between `@`) and its status. */
export interface ThreagileRiskTracking {
  readonly tree: YamlTree;
  readonly node?: YAMLMap;
  readonly pattern: string;
  /** The entry's key. */
  readonly range: OffsetRange;
  readonly status?: Located<string>;
  readonly justification?: Located<string>;
  readonly ticket?: Located<string>;
  readonly date?: Located<string>;
  readonly checkedBy?: Located<string>;
}

/** One file of a Threagile model. */
export interface ThreagileDocument {
  readonly tree: YamlTree;
  readonly root: YAMLMap;
  /** `includes:` entries, relative to this file's folder. */
  readonly includes: readonly Located<string>[];
  readonly version?: Located<string>;
  readonly title?: Located<string>;
  readonly dataAssets: readonly ThreagileDataAsset[];
  readonly technicalAssets: readonly ThreagileTechnicalAsset[];
  readonly trustBoundaries: readonly ThreagileTrustBoundary[];
  readonly sharedRuntimes: readonly ThreagileSharedRuntime[];
  readonly riskTracking: readonly ThreagileRiskTracking[];
  readonly tagsAvailable: readonly Located<string>[];
  readonly sectionKeys: Readonly<Record<string, OffsetRange>>;
}

/** A whole Threagile model: one document, or the union of a model's included documents. */
export interface ThreagileModel {
  readonly documents: readonly ThreagileDocument[];
  readonly dataAssets: readonly ThreagileDataAsset[];
  readonly technicalAssets: readonly ThreagileTechnicalAsset[];
  readonly trustBoundaries: readonly ThreagileTrustBoundary[];
  readonly sharedRuntimes: readonly ThreagileSharedRuntime[];
  readonly riskTracking: readonly ThreagileRiskTracking[];
  /**
   * False when part of the model may be out of sight (an include not among the analysed files,
   * or a part file scanned without the file that includes it): then nothing is claimed absent.
   */
  readonly complete: boolean;
}

export const THREAGILE_SECTIONS = ['threagile_version', 'includes', 'title', 'data_assets', 'technical_assets', 'trust_boundaries', 'shared_runtimes', 'risk_tracking', 'tags_available'] as const;

/** Reads one document of a Threagile model. */
export function readThreagileDocument(tree: YamlTree, root: YAMLMap): ThreagileDocument {
  const written = (key: Scalar, node: YAMLMap | undefined): Written => {
    const idValue = locatedString(tree, node, 'id');
    const titleRange = rangeOf(key)!;
    return {
      tree,
      node,
      title: String(key.value),
      titleRange,
      id: idValue?.value ?? String(key.value),
      range: idValue?.range ?? titleRange,
      tags: locatedList(tree, node, 'tags'),
    };
  };
  const mapsOf = (section: string) => tree.entries(tree.get(root, section)).flatMap(([key, value]) => (rangeOf(key) ? [{ key, node: isMap(value) ? value : undefined }] : []));

  const dataAssets = mapsOf('data_assets').map(({ key, node }): ThreagileDataAsset => ({
    ...written(key, node),
    usage: locatedString(tree, node, 'usage'),
    owner: locatedString(tree, node, 'owner'),
    origin: locatedString(tree, node, 'origin'),
    quantity: locatedString(tree, node, 'quantity'),
    confidentiality: locatedString(tree, node, 'confidentiality'),
    integrity: locatedString(tree, node, 'integrity'),
    availability: locatedString(tree, node, 'availability'),
  }));

  const technicalAssets = mapsOf('technical_assets').map(({ key, node }): ThreagileTechnicalAsset => {
    const base = written(key, node);
    const technologies = technologiesOf(tree, node);
    return {
      ...base,
      type: locatedString(tree, node, 'type'),
      usage: locatedString(tree, node, 'usage'),
      usedAsClientByHuman: locatedBoolean(tree, node, 'used_as_client_by_human'),
      outOfScope: locatedBoolean(tree, node, 'out_of_scope'),
      justificationOutOfScope: locatedString(tree, node, 'justification_out_of_scope'),
      size: locatedString(tree, node, 'size'),
      technologies,
      attributes: technologyAttributes(technologies.map((technology) => technology.value)),
      internet: locatedBoolean(tree, node, 'internet'),
      machine: locatedString(tree, node, 'machine'),
      encryption: locatedString(tree, node, 'encryption'),
      owner: locatedString(tree, node, 'owner'),
      confidentiality: locatedString(tree, node, 'confidentiality'),
      integrity: locatedString(tree, node, 'integrity'),
      availability: locatedString(tree, node, 'availability'),
      multiTenant: locatedBoolean(tree, node, 'multi_tenant'),
      redundant: locatedBoolean(tree, node, 'redundant'),
      customDevelopedParts: locatedBoolean(tree, node, 'custom_developed_parts'),
      dataAssetsProcessed: locatedList(tree, node, 'data_assets_processed'),
      dataAssetsStored: locatedList(tree, node, 'data_assets_stored'),
      dataFormatsAccepted: locatedList(tree, node, 'data_formats_accepted'),
      links: node ? linksOf(tree, node).map(([linkKey, link]) => readLink(tree, base.id, linkKey, link)) : [],
    };
  });

  const trustBoundaries = mapsOf('trust_boundaries').map(({ key, node }): ThreagileTrustBoundary => ({
    ...written(key, node),
    type: locatedString(tree, node, 'type'),
    assetsInside: locatedList(tree, node, 'technical_assets_inside'),
    nested: locatedList(tree, node, 'trust_boundaries_nested'),
  }));

  const sharedRuntimes = mapsOf('shared_runtimes').map(({ key, node }): ThreagileSharedRuntime => ({
    ...written(key, node),
    assetsRunning: locatedList(tree, node, 'technical_assets_running'),
  }));

  const riskTracking = mapsOf('risk_tracking').map(({ key, node }): ThreagileRiskTracking => ({
    tree,
    node,
    pattern: String(key.value).trim(),
    range: rangeOf(key)!,
    status: locatedString(tree, node, 'status'),
    justification: locatedString(tree, node, 'justification'),
    ticket: locatedString(tree, node, 'ticket'),
    date: locatedString(tree, node, 'date'),
    checkedBy: locatedString(tree, node, 'checked_by'),
  }));

  return {
    tree,
    root,
    includes: locatedList(tree, root, 'includes'),
    version: locatedString(tree, root, 'threagile_version'),
    title: locatedString(tree, root, 'title'),
    dataAssets,
    technicalAssets,
    trustBoundaries,
    sharedRuntimes,
    riskTracking,
    tagsAvailable: locatedList(tree, root, 'tags_available'),
    sectionKeys: sectionKeys(tree, root, THREAGILE_SECTIONS),
  };
}

/** A model of one document; `complete` says whether it stands alone (no includes, and a whole model rather than a part). */
export function singleDocumentModel(document: ThreagileDocument): ThreagileModel {
  return combineDocuments([document], document.includes.length === 0 && looksLikeWholeModel(document));
}

/** The union of a model's documents, in include order. */
export function combineDocuments(documents: readonly ThreagileDocument[], complete: boolean): ThreagileModel {
  return {
    documents,
    dataAssets: documents.flatMap((document) => document.dataAssets),
    technicalAssets: documents.flatMap((document) => document.technicalAssets),
    trustBoundaries: documents.flatMap((document) => document.trustBoundaries),
    sharedRuntimes: documents.flatMap((document) => document.sharedRuntimes),
    riskTracking: documents.flatMap((document) => document.riskTracking),
    complete,
  };
}

/**
 * A whole model names its version (Threagile requires `threagile_version` in the file it is
 * given); a file holding only some sections without one is a part of a model split over files.
 */
export function looksLikeWholeModel(document: ThreagileDocument): boolean {
  return document.version !== undefined;
}

function technologiesOf(tree: YamlTree, asset: YAMLMap | undefined): Located<string>[] {
  const out: Located<string>[] = [];
  const single = locatedString(tree, asset, 'technology');
  if (single) out.push(single);
  for (const item of tree.items(tree.get(asset, 'technologies'))) {
    const node = isMap(item) ? tree.get(item, 'name') : item;
    const name = scalarText(node);
    const range = rangeOf(node);
    if (name && range) out.push({ value: name, range });
  }
  return out;
}

/** Authored form: a map keyed by title; parsed form: a list with `id` and `title`. */
function linksOf(tree: YamlTree, asset: YAMLMap): Array<[Scalar | undefined, YAMLMap]> {
  const links = tree.get(asset, 'communication_links');
  if (isSeq(links)) return tree.items(links).filter(isMap).map((link) => [undefined, link] as [Scalar | undefined, YAMLMap]);
  return tree.entries(links).flatMap(([key, link]) => (isMap(link) ? [[key, link] as [Scalar | undefined, YAMLMap]] : []));
}

/** Threagile's link id: `source>title`, the title lower-cased with non-alphanumerics as `-` (`createDataFlowId`). */
export function linkId(sourceId: string, title: string): string {
  return `${sourceId}>${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[- ]+|[- ]+$/g, '')}`;
}

function readLink(tree: YamlTree, sourceId: string, key: Scalar | undefined, link: YAMLMap): ThreagileLink {
  const idValue = locatedString(tree, link, 'id');
  const titleValue = locatedString(tree, link, 'title');
  const title = key ? String(key.value) : titleValue?.value ?? idValue?.value ?? `${sourceId}>?`;
  const titleRange = (key ? rangeOf(key) : titleValue?.range ?? idValue?.range) ?? rangeOf(link)!;
  return {
    tree,
    node: link,
    title,
    titleRange,
    id: idValue?.value ?? linkId(sourceId, title),
    range: titleRange,
    tags: locatedList(tree, link, 'tags'),
    sourceId,
    target: locatedString(tree, link, 'target') ?? locatedString(tree, link, 'target_id'),
    protocol: locatedString(tree, link, 'protocol'),
    // The parsed form Threagile writes omits zero values: no authentication there is `none`.
    authentication: locatedString(tree, link, 'authentication') ?? (key ? undefined : { value: 'none', range: titleRange }),
    authorization: locatedString(tree, link, 'authorization') ?? (key ? undefined : { value: 'none', range: titleRange }),
    usage: locatedString(tree, link, 'usage'),
    vpn: locatedBoolean(tree, link, 'vpn'),
    ipFiltered: locatedBoolean(tree, link, 'ip_filtered'),
    readonly: locatedBoolean(tree, link, 'readonly'),
    dataAssetsSent: locatedList(tree, link, 'data_assets_sent'),
    dataAssetsReceived: locatedList(tree, link, 'data_assets_received'),
  };
}

export function linksKeyOf(asset: ThreagileTechnicalAsset): OffsetRange | undefined {
  return keyRangeOf(asset.tree, asset.node, 'communication_links');
}
