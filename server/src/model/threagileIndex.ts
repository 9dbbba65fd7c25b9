import {
  NETWORK_BOUNDARY_TYPES,
  QUANTITY,
  ciaRank,
  type CiaDimension,
  type ThreagileDataAsset,
  type ThreagileLink,
  type ThreagileModel,
  type ThreagileTechnicalAsset,
  type ThreagileTrustBoundary,
} from './threagile';

/**
 * The facts Threagile's risk rules derive from a model, computed once per model and shared by
 * every rule (and the editor): who is inside which trust boundary, which links cross a network
 * boundary, the highest CIA rating an asset handles, and the Relative Attacker Attractiveness.
 * Each method names the Threagile function (`pkg/types/model.go`, `pkg/risks/builtin/helpers.go`,
 * `pkg/model/raa.go`) whose documented semantics it implements.
 */
export class ThreagileIndex {
  readonly assets = new Map<string, ThreagileTechnicalAsset>();
  readonly dataAssets = new Map<string, ThreagileDataAsset>();
  readonly boundaries = new Map<string, ThreagileTrustBoundary>();
  private readonly directBoundary = new Map<string, ThreagileTrustBoundary>();
  private readonly parentBoundary = new Map<string, ThreagileTrustBoundary>();
  private readonly incomingLinks = new Map<string, ThreagileLink[]>();
  private raaValues: Map<string, number> | undefined;

  constructor(readonly model: ThreagileModel) {
    for (const asset of model.technicalAssets) if (!this.assets.has(asset.id)) this.assets.set(asset.id, asset);
    for (const asset of model.dataAssets) if (!this.dataAssets.has(asset.id)) this.dataAssets.set(asset.id, asset);
    for (const boundary of model.trustBoundaries) if (!this.boundaries.has(boundary.id)) this.boundaries.set(boundary.id, boundary);
    for (const boundary of this.boundaries.values()) for (const child of boundary.nested) if (!this.parentBoundary.has(child.value)) this.parentBoundary.set(child.value, boundary);
    // An asset listed by nested boundaries belongs to the innermost (Threagile forbids listing it twice).
    for (const boundary of this.boundaries.values()) {
      for (const inside of boundary.assetsInside) {
        const current = this.directBoundary.get(inside.value);
        if (!current || this.depth(boundary) > this.depth(current)) this.directBoundary.set(inside.value, boundary);
      }
    }
    for (const asset of this.assets.values()) {
      for (const link of asset.links) {
        if (!link.target) continue;
        const list = this.incomingLinks.get(link.target.value) ?? [];
        list.push(link);
        this.incomingLinks.set(link.target.value, list);
      }
    }
  }

  has(asset: ThreagileTechnicalAsset | undefined, attribute: string): boolean {
    return asset?.attributes.has(attribute) ?? false;
  }

  inScope(asset: ThreagileTechnicalAsset | undefined): asset is ThreagileTechnicalAsset {
    return asset !== undefined && asset.outOfScope?.value !== true;
  }

  isExternal(asset: ThreagileTechnicalAsset | undefined): boolean {
    return asset?.type?.value === 'external-entity';
  }

  isDatastore(asset: ThreagileTechnicalAsset | undefined): boolean {
    return asset?.type?.value === 'datastore';
  }

  source(link: ThreagileLink): ThreagileTechnicalAsset | undefined {
    return this.assets.get(link.sourceId);
  }

  target(link: ThreagileLink): ThreagileTechnicalAsset | undefined {
    return link.target ? this.assets.get(link.target.value) : undefined;
  }

  /** Links whose target is the asset (`IncomingTechnicalCommunicationLinksMappedByTargetId`). */
  incoming(assetId: string): readonly ThreagileLink[] {
    return this.incomingLinks.get(assetId) ?? [];
  }

  allLinks(): ThreagileLink[] {
    return [...this.assets.values()].flatMap((asset) => asset.links);
  }

  /** The boundary that lists the asset in `technical_assets_inside` (`DirectContainingTrustBoundaryMappedByTechnicalAssetId`). */
  boundaryOf(assetId: string): ThreagileTrustBoundary | undefined {
    return this.directBoundary.get(assetId);
  }

  parentOf(boundary: ThreagileTrustBoundary): ThreagileTrustBoundary | undefined {
    return this.parentBoundary.get(boundary.id);
  }

  /** Every enclosing boundary, innermost first (`AllParentTrustBoundaryIDs`), cycles cut. */
  parentsOf(boundary: ThreagileTrustBoundary): ThreagileTrustBoundary[] {
    const out: ThreagileTrustBoundary[] = [];
    for (let current = this.parentOf(boundary); current && !out.includes(current) && out.length < 32; current = this.parentOf(current)) out.push(current);
    return out;
  }

  depth(boundary: ThreagileTrustBoundary): number {
    return this.parentsOf(boundary).length;
  }

  /** A boundary without a `type` is Threagile's zero value, `network-on-prem`. */
  isNetworkBoundary(boundary: ThreagileTrustBoundary | undefined): boolean {
    return boundary !== undefined && NETWORK_BOUNDARY_TYPES.has(boundary.type?.value ?? 'network-on-prem');
  }

  /** The network segment an asset sits in: its boundary, or the parent of an execution environment. */
  networkBoundaryOf(assetId: string): ThreagileTrustBoundary | undefined {
    const direct = this.boundaryOf(assetId);
    if (!direct || this.isNetworkBoundary(direct)) return direct;
    return this.parentOf(direct) ?? direct;
  }

  /**
   * Whether a link crosses a network trust boundary (`IsAcrossTrustBoundaryNetworkOnly`): one end
   * inside a boundary and the other outside every boundary, or the ends in different network
   * segments with the target's a network boundary.
   */
  isAcrossNetworkBoundary(link: ThreagileLink): boolean {
    if (!link.target) return false;
    const from = this.networkBoundaryOf(link.sourceId);
    const to = this.networkBoundaryOf(link.target.value);
    if ((from === undefined) !== (to === undefined)) return true;
    return from !== undefined && to !== undefined && from.id !== to.id && this.isNetworkBoundary(to);
  }

  /** Both in the same execution-environment boundary (`IsSameExecutionEnvironment`). */
  isSameExecutionEnvironment(a: string, b: string): boolean {
    const first = this.boundaryOf(a);
    const second = this.boundaryOf(b);
    return first !== undefined && second !== undefined && first.type?.value === 'execution-environment' && first.id === second.id;
  }

  /** Both in the same network segment (`IsSameTrustBoundaryNetworkOnly`), including both outside every boundary. */
  isSameNetworkSegment(a: string, b: string): boolean {
    return this.networkBoundaryOf(a)?.id === this.networkBoundaryOf(b)?.id;
  }

  /** Whether a link runs between the two assets, either way (`HasDirectConnection`). */
  hasDirectConnection(a: string, b: string): boolean {
    return this.incoming(a).some((link) => link.sourceId === b) || this.incoming(b).some((link) => link.sourceId === a);
  }

  ownRating(asset: ThreagileTechnicalAsset, dimension: CiaDimension): number {
    return ciaRank(dimension, asset[dimension]?.value);
  }

  dataRating(id: string, dimension: CiaDimension): number {
    return ciaRank(dimension, this.dataAssets.get(id)?.[dimension]?.value);
  }

  /**
   * The highest rating of the asset and the data it processes (`HighestProcessed…`). Threagile
   * counts as processed what the asset stores, processes, and sends or receives on its own links.
   */
  highestProcessed(asset: ThreagileTechnicalAsset, dimension: CiaDimension): number {
    let highest = this.ownRating(asset, dimension);
    for (const id of this.processedDataIds(asset)) highest = Math.max(highest, this.dataRating(id, dimension));
    return highest;
  }

  /** The highest rating of the asset and the data it stores (`HighestStored…`). */
  highestStored(asset: ThreagileTechnicalAsset, dimension: CiaDimension): number {
    let highest = this.ownRating(asset, dimension);
    for (const data of asset.dataAssetsStored) highest = Math.max(highest, this.dataRating(data.value, dimension));
    return highest;
  }

  processedDataIds(asset: ThreagileTechnicalAsset): Set<string> {
    const ids = new Set<string>();
    for (const data of [...asset.dataAssetsStored, ...asset.dataAssetsProcessed]) ids.add(data.value);
    for (const link of asset.links) for (const data of [...link.dataAssetsSent, ...link.dataAssetsReceived]) ids.add(data.value);
    return ids;
  }

  /** The highest rating of the data a link sends and receives (`HighestCommunicationLink…`); lowest when it names none. */
  linkHighest(link: ThreagileLink, dimension: CiaDimension): number {
    let highest = 0;
    for (const data of [...link.dataAssetsSent, ...link.dataAssetsReceived]) highest = Math.max(highest, this.dataRating(data.value, dimension));
    return highest;
  }

  /** Whether the asset or its processed data is rated confidential / critical or above (Threagile's common "sensitive" test). */
  processesSensitiveData(asset: ThreagileTechnicalAsset): boolean {
    return this.highestProcessed(asset, 'confidentiality') >= 3 || this.highestProcessed(asset, 'integrity') >= 3 || this.highestProcessed(asset, 'availability') >= 3;
  }

  /**
   * Relative Attacker Attractiveness in percent (`applyRAA`): the attractiveness of the asset's
   * own ratings and of the data it stores, processes and transfers (weighted by quantity and by
   * technology), scaled between the least and most attractive asset of the model, plus a third
   * of the difference to a more attractive asset it calls ("pivoting").
   */
  raa(assetId: string): number {
    if (!this.raaValues) this.raaValues = this.computeRaa();
    return this.raaValues.get(assetId) ?? 0;
  }

  private computeRaa(): Map<string, number> {
    const raw = new Map<string, number>();
    for (const asset of this.assets.values()) raw.set(asset.id, this.attractiveness(asset));
    const values = [...raw.values()];
    let minimum = values.length > 0 ? Math.min(...values) : 0;
    let maximum = values.length > 0 ? Math.max(...values) : 1;
    if (!(minimum < maximum)) maximum = minimum + 1;
    const spread = maximum - minimum;
    const relative = (value: number) => {
      const percent = ((value - minimum) / spread) * 100;
      return percent <= 0 ? 1 : percent;
    };
    const out = new Map<string, number>();
    for (const asset of this.assets.values()) {
      const own = raw.get(asset.id)!;
      let adjustment = 0;
      if (this.inScope(asset)) {
        for (const link of asset.links) {
          const neighbour = this.target(link);
          if (!neighbour) continue;
          const delta = relative(raw.get(neighbour.id)!) - relative(own);
          if (delta > 0) adjustment = Math.max(adjustment, delta / 3);
        }
      }
      out.set(asset.id, relative(own + adjustment));
    }
    return out;
  }

  private attractiveness(asset: ThreagileTechnicalAsset): number {
    if (!this.inScope(asset)) return 0;
    const forAsset = { confidentiality: [8, 13, 21, 34, 55], integrity: [5, 8, 13, 21, 34], availability: [5, 8, 13, 21, 34] };
    const forStored = { confidentiality: [5, 8, 13, 21, 34], integrity: [3, 5, 8, 13, 21], availability: [3, 5, 8, 13, 21] };
    const forTransferred = [2, 3, 5, 8, 13];
    const quantityFactor = (data: ThreagileDataAsset | undefined) => [1, 2, 3, 5][Math.max(0, (QUANTITY as readonly string[]).indexOf(data?.quantity?.value ?? 'very-few'))];
    let score = forAsset.confidentiality[this.ownRating(asset, 'confidentiality')] + forAsset.integrity[this.ownRating(asset, 'integrity')] + forAsset.availability[this.ownRating(asset, 'availability')];
    const dataScore = (id: string, table: { confidentiality: number[]; integrity: number[]; availability: number[] }) => {
      const data = this.dataAssets.get(id);
      const factor = quantityFactor(data);
      return table.confidentiality[this.dataRating(id, 'confidentiality')] * factor + table.integrity[this.dataRating(id, 'integrity')] * factor + table.availability[this.dataRating(id, 'availability')];
    };
    // Threagile's processed set already holds the stored data and the data of the asset's own links.
    for (const id of this.processedDataIds(asset)) score += dataScore(id, forStored);
    for (const data of asset.dataAssetsStored) score += dataScore(data.value, forStored);
    const transferred = { confidentiality: forTransferred, integrity: forTransferred, availability: forTransferred };
    for (const link of asset.links) for (const data of [...link.dataAssetsSent, ...link.dataAssetsReceived]) score += dataScore(data.value, transferred);
    const has = (...names: string[]) => names.some((name) => asset.attributes.has(name));
    if (has('load-balancer', 'reverse-proxy')) score /= 5.5;
    else if (has('monitoring')) score /= 5;
    else if (has('container-platform')) score *= 5;
    else if (has('vault')) score *= 2;
    else if (has('build-pipeline', 'sourcecode-repository', 'artifact-registry')) score *= 2;
    else if (has('identity-provider', 'identity-store-database', 'identity-store-ldap')) score *= 2.5;
    else if (this.isDatastore(asset)) score *= 2;
    if (asset.multiTenant?.value) score *= 1.5;
    return score;
  }
}

const INDEXES = new WeakMap<ThreagileModel, ThreagileIndex>();

/** The index of a model, built once and shared by every rule that reads it. */
export function threagileIndex(model: ThreagileModel): ThreagileIndex {
  let index = INDEXES.get(model);
  if (!index) {
    index = new ThreagileIndex(model);
    INDEXES.set(model, index);
  }
  return index;
}
