import { defineRule } from '../rule';
import type { ThreagileLink, ThreagileTechnicalAsset } from '../../model/threagile';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { MISSION_CRITICAL, isProcessLocal, threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Partner:\n    id: partner\n    type: external-entity\n    internet: true\n    communication_links:\n      Orders API:\n        target: orders\n        protocol: https\n        authentication: token\n        authorization: technical-user\n        ip_filtered: IP_FILTERED\n  Orders:\n    id: orders\n    type: process\n    availability: mission-critical\ntrust_boundaries:\n  Backend:\n    id: backend\n    type: network-cloud-security-group\n    technical_assets_inside: [orders]\n';

export const threagileDenialOfServiceAcrossBoundary = defineRule({
  id: 'BND113',
  pattern: 'BND',
  alsoPattern: 'FF',
  severity: 'warning',
  title: 'Mission-critical asset open to denial of service across a boundary',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile dos-risky-access-across-trust-boundary'],
  guidance: {
    why: 'An asset that must not fail, reachable from another network segment with nothing limiting who may call it and no second instance to take over, is stopped by anyone who can send it enough requests from that side of the boundary.',
    fix: 'Limit who can reach it at the crossing (`vpn: true` or `ip_filtered: true` on the link, rate limiting at the gateway), or run it redundantly (`redundant: true`).',
    bad: MODEL.replace('IP_FILTERED', 'false'),
    good: MODEL.replace('IP_FILTERED', 'true'),
    threagile:
      'Follows Threagile\'s dos-risky-access-across-trust-boundary (load balancers excluded, as its documentation says). Where we differ: only Threagile\'s medium case is reported, a mission-critical asset that is not redundant, reached across a network boundary without VPN or IP filter. Threagile also lists every mitigated or merely critical crossing as a low risk; that is a note on every such link, not a finding.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const target of index.assets.values()) {
      if (!index.inScope(target) || target.attributes.has('load-balancer')) continue;
      if (index.ownRating(target, 'availability') < MISSION_CRITICAL || target.redundant?.value === true) continue;
      for (const link of index.incoming(target.id)) {
        const source = index.source(link);
        if (!source) continue;
        if (source.attributes.has(ATTRIBUTE.trafficForwarding)) for (const callerLink of index.incoming(source.id)) check(target, callerLink, source.id);
        else check(target, link, undefined);
      }
    }

    function check(target: ThreagileTechnicalAsset, link: ThreagileLink, via: string | undefined) {
      if (!index.isAcrossNetworkBoundary(link) || link.usage?.value === 'devops' || isProcessLocal(link)) return;
      if (link.vpn?.value || link.ipFiltered?.value) return;
      context.report({
        tree: link.tree,
        range: link.range,
        message: `Mission-critical "${target.id}" is reached across a network boundary by "${link.sourceId}" over link "${link.title}"${via ? ` (forwarded by "${via}")` : ''} with no VPN or IP filter, and it is not redundant: whoever can call it can stop it.`,
        threagileRiskId: `dos-risky-access-across-trust-boundary@${target.id}@${link.sourceId}@${link.id}`,
      });
    }
  },
});
