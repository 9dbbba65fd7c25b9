import { defineRule } from '../rule';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { MISSION_CRITICAL, STRICTLY_CONFIDENTIAL, threagileOf } from '../shared/threagile';

/** Threagile's RAA thresholds in percent: any asset, and datastores and high-value targets. */
const RAA_LIMIT = 55;
const RAA_LIMIT_HIGH_VALUE = 40;

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Customers:\n    id: customers\n    confidentiality: strictly-confidential\n    integrity: critical\n    quantity: very-many\ntechnical_assets:\n  Customer DB:\n    id: customer-db\n    type: datastore\n    technology: database\n    data_assets_stored: [customers]\n';

export const threagileMissingHardening = defineRule({
  id: 'TCB109',
  pattern: 'TCB',
  severity: 'info',
  title: 'Most attractive assets to attackers: harden them first',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile missing-hardening'],
  guidance: {
    why: 'The assets that hold and move the most valuable data are where attackers go first; they belong to the part of the system that must be small, audited and hardened beyond the defaults.',
    fix: 'Harden the asset (minimal installation, secure configuration baseline, patching, least privilege) and record it in `risk_tracking` (`missing-hardening@<id>: { status: mitigated, justification: … }`).',
    bad: `${MODEL}  Docs:\n    id: docs\n    type: process\n`,
    good: MODEL,
    threagile:
      'Follows Threagile\'s missing-hardening with its Relative Attacker Attractiveness computed as Threagile does: 55 % or more, 40 % for datastores and high-value targets. RAA is relative to the other assets of the model, so the finding ranks rather than proves a weakness: an info, to be tracked as mitigated in `risk_tracking` once the asset is hardened.',
  },
  /**
   * Threagile's missing-hardening: in-scope assets with a Relative Attacker Attractiveness of 55 %
   * or more, 40 % for datastores and high-value targets (application servers, ERP, identity
   * providers). RAA is relative to the model's other assets, so the finding ranks, it does not
   * prove a weakness: an info, tracked away with `risk_tracking` once the asset is hardened.
   */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    // Attacker attractiveness is relative to every asset of the model: a part alone would rank wrongly.
    if (!threagile || !threagile.model.complete) return;
    const { index } = threagile;
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset)) continue;
      const raa = index.raa(asset.id);
      const highValue = index.isDatastore(asset) || asset.attributes.has(ATTRIBUTE.highValueTarget);
      if (raa < RAA_LIMIT && !(highValue && raa >= RAA_LIMIT_HIGH_VALUE)) continue;
      const critical = index.highestProcessed(asset, 'confidentiality') >= STRICTLY_CONFIDENTIAL || index.highestProcessed(asset, 'integrity') >= MISSION_CRITICAL;
      context.report({
        tree: asset.tree,
        range: asset.range,
        message: `"${asset.id}" is among the model's most attractive targets (attacker attractiveness ${Math.round(raa)} %${critical ? ', with strictly-confidential or mission-critical data' : ''}): harden it beyond the defaults and track it in risk_tracking.`,
        threagileRiskId: `missing-hardening@${asset.id}`,
      });
    }
  },
});
