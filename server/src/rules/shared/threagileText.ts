import type { YamlTree } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import type { ThreagileModel, ThreagileTechnicalAsset } from '../../model/threagile';
import { ThreagileIndex } from '../../model/threagileIndex';

/** Where a finding about the whole Threagile model points: the `technical_assets:` key of the file that has one. */
export function modelFindingPlace(model: ThreagileModel): { tree: YamlTree; range: OffsetRange } {
  for (const document of model.documents) {
    const range = document.sectionKeys.technical_assets;
    if (range) return { tree: document.tree, range };
  }
  const first = model.documents[0];
  const range = first.sectionKeys.threagile_version ?? Object.values(first.sectionKeys)[0] ?? { start: 0, end: 0 };
  return { tree: first.tree, range };
}

/**
 * The asset Threagile names as the example of a model-wide risk (`missing-vault@<id>`): of the
 * assets in id order, the first with the highest sensitivity score of its own CIA ratings.
 */
export function mostRelevantAsset(index: ThreagileIndex, candidates: readonly ThreagileTechnicalAsset[]): ThreagileTechnicalAsset | undefined {
  const score = (asset: ThreagileTechnicalAsset) =>
    [8, 13, 21, 34, 55][index.ownRating(asset, 'confidentiality')] + [5, 8, 13, 21, 34][index.ownRating(asset, 'integrity')] + [5, 8, 13, 21, 34][index.ownRating(asset, 'availability')];
  let best: ThreagileTechnicalAsset | undefined;
  for (const asset of [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) if (!best || score(asset) > score(best)) best = asset;
  return best;
}

export function quoted(ids: Iterable<string>): string {
  return [...ids].map((id) => `"${id}"`).join(', ');
}
