import { defineRule } from '../rule';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { CONFIDENTIAL, CRITICAL, MISSION_CRITICAL, STRICTLY_CONFIDENTIAL, ownRatings, sensitivityWords, threagileOf } from '../shared/threagile';
import { quoted } from '../shared/threagileText';

/** Threagile's RAA threshold for this risk, in percent. */
const RAA_LIMIT = 50;

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Customers:\n    id: customers\n    confidentiality: strictly-confidential\n    integrity: critical\n    quantity: many\ntechnical_assets:\n  Customer DB:\n    id: customer-db\n    type: datastore\n    technology: database\n    confidentiality: strictly-confidential\n    data_assets_stored: [customers]\n  Wiki:\n    id: wiki\n    type: process\n    technology: cms\ntrust_boundaries:\n  Office:\n    id: office\n    type: network-on-prem\n    technical_assets_inside: [wiki, DB_IN_OFFICE]\n  Data:\n    id: data\n    type: network-cloud-security-group\n    technical_assets_inside: [DB_IN_DATA]\n';

export const threagileMissingNetworkSegmentation = defineRule({
  id: 'BND110',
  pattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'High-value asset shares its network segment with less protected assets',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile missing-network-segmentation'],
  guidance: {
    why: 'Assume breach: the wiki, the web server or the developer tool next to the database will be compromised one day. When they share the database\'s network segment with no boundary in between, that compromise is one hop from the most valuable data.',
    fix: 'Give the high-value asset a network trust boundary of its own (a security group, VLAN or namespace isolation) and let in only what talks to it.',
    bad: MODEL.replace('wiki, DB_IN_OFFICE', 'wiki, customer-db').replace('[DB_IN_DATA]', '[]'),
    good: MODEL.replace(', DB_IN_OFFICE', '').replace('DB_IN_DATA', 'customer-db'),
    threagile:
      'Follows Threagile\'s missing-network-segmentation, including its Relative Attacker Attractiveness (RAA) of 50 % or more, computed as Threagile does: a datastore or an asset rated confidential or critical itself, in the same network segment as a less protected type it has no link with, that is not tolerated next to high-value targets. Where we differ: an asset outside every trust boundary is left to BND104 (it is in no segment at all; Threagile counts everything outside every boundary as one segment, browsers on the internet included). Severity: warning for strictly-confidential or mission-critical assets, info otherwise.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    // Attacker attractiveness is relative to every asset of the model: a part alone would rank wrongly.
    if (!threagile || !threagile.model.complete) return;
    const { index } = threagile;
    const assets = [...index.assets.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const asset of assets) {
      if (!index.inScope(asset) || asset.attributes.has(ATTRIBUTE.noNetworkSegmentationRequired)) continue;
      const ratings = ownRatings(index, asset);
      if (!index.isDatastore(asset) && ratings.confidentiality < CONFIDENTIAL && ratings.integrity < CRITICAL && ratings.availability < CRITICAL) continue;
      const raa = index.raa(asset.id);
      if (raa < RAA_LIMIT) continue;
      const segmentOf = index.networkBoundaryOf(asset.id);
      // Outside every boundary the asset is in no segment at all: BND104 says so.
      if (!segmentOf) continue;
      const neighbours = assets.filter(
        (other) =>
          other !== asset &&
          other.attributes.has(ATTRIBUTE.lessProtectedType) &&
          !other.attributes.has(ATTRIBUTE.closeToHighValueTargetsTolerated) &&
          index.isSameNetworkSegment(asset.id, other.id) &&
          !index.hasDirectConnection(asset.id, other.id),
      );
      if (neighbours.length === 0) continue;
      const segment = segmentOf;
      const high = ratings.confidentiality >= STRICTLY_CONFIDENTIAL || ratings.integrity >= MISSION_CRITICAL || ratings.availability >= MISSION_CRITICAL;
      const what = sensitivityWords(ratings) || 'data';
      context.report({
        tree: asset.tree,
        range: asset.range,
        severity: high ? 'warning' : 'info',
        message: `"${asset.id}" (${what}, attacker attractiveness ${Math.round(raa)} %) shares network segment "${segment.id}" with less protected ${quoted(neighbours.map((other) => other.id))}, which it has no link with: a compromise of those is one hop from it.`,
        threagileRiskId: `missing-network-segmentation@${asset.id}`,
      });
    }
  },
});
