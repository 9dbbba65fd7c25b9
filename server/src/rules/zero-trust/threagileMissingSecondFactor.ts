import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import type { ThreagileLink, ThreagileTechnicalAsset } from '../../model/threagile';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { CONFIDENTIAL, CRITICAL, threagileOf } from '../shared/threagile';
import { ciaWord } from '../../model/threagile';

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Contracts:\n    id: contracts\n    confidentiality: confidential\ntechnical_assets:\n  Backoffice Client:\n    id: backoffice-client\n    type: external-entity\n    used_as_client_by_human: true\n    communication_links:\n      ERP Access:\n        target: erp\n        protocol: https\n        authentication: AUTH\n        authorization: end-user-identity-propagation\n        data_assets_received: [contracts]\n  ERP:\n    id: erp\n    type: process\n    technology: erp\n    data_assets_stored: [contracts]\n';

export const threagileMissingSecondFactor = defineRule({
  id: 'ZT107',
  pattern: 'ZT',
  severity: 'warning',
  title: 'People reach sensitive data without a second factor',
  kinds: ['threagile'],
  hasFix: true,
  peers: ['Threagile missing-authentication-second-factor'],
  guidance: {
    why: 'A password or token alone is one phishing mail away from an attacker. Zero-Trust verifies explicitly with strong means: where a person reaches confidential data or critical functions, a stolen first factor must not be enough.',
    fix: 'Require a second factor on the human\'s link (`authentication: two-factor`), or at the identity provider the link relies on. Links through a load balancer or reverse proxy are judged by the person\'s link into it.',
    bad: MODEL.replace('AUTH', 'credentials'),
    good: MODEL.replace('AUTH', 'two-factor'),
    threagile:
      'Follows Threagile\'s missing-authentication-second-factor: an in-scope asset processing sensitive data (or multi-tenant), not a traffic forwarder or monitoring tool, reached by a client used by a human (directly, or one hop through a load balancer or proxy) over a link carrying confidential data or critical-integrity data that is not `two-factor`. The finding points at the human\'s link and names the risk id Threagile gives it. Where we differ: a link with `authentication: none` is missing authentication altogether (ZT101), not a second factor.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    const tolerated = (asset: ThreagileTechnicalAsset | undefined) => !asset || index.has(asset, ATTRIBUTE.unprotectedCommunicationsTolerated) || index.isDatastore(asset);
    for (const target of index.assets.values()) {
      if (!index.inScope(target) || index.has(target, ATTRIBUTE.trafficForwarding) || index.has(target, ATTRIBUTE.unprotectedCommunicationsTolerated)) continue;
      if (!index.processesSensitiveData(target) && target.multiTenant?.value !== true) continue;
      for (const link of index.incoming(target.id)) {
        const caller = index.source(link);
        if (tolerated(caller)) continue;
        if (caller!.usedAsClientByHuman?.value) check(target, link, link, undefined);
        else if (index.has(caller, ATTRIBUTE.trafficForwarding)) {
          for (const humanLink of index.incoming(caller!.id)) {
            const human = index.source(humanLink);
            if (!tolerated(human) && human!.usedAsClientByHuman?.value) check(target, link, humanLink, caller!.id);
          }
        }
      }
    }

    function check(target: ThreagileTechnicalAsset, link: ThreagileLink, humanLink: ThreagileLink, via: string | undefined) {
      const confidentiality = index.linkHighest(humanLink, 'confidentiality');
      const integrity = index.linkHighest(humanLink, 'integrity');
      if (confidentiality < CONFIDENTIAL && integrity < CRITICAL) return;
      const authentication = humanLink.authentication;
      if (!authentication || authentication.value === 'two-factor' || authentication.value === 'none') return;
      const what = confidentiality >= CONFIDENTIAL ? `${ciaWord('confidentiality', confidentiality)} data` : `${ciaWord('integrity', integrity)}-integrity data`;
      context.report({
        tree: humanLink.tree,
        range: authentication.range,
        message: `Human client "${humanLink.sourceId}" reaches "${target.id}"${via ? ` through "${via}"` : ''} with ${what} over link "${humanLink.title}" authenticated by ${authentication.value} alone: a stolen first factor is enough.`,
        threagileRiskId: `missing-authentication-second-factor@${link.id}@${link.sourceId}@${target.id}`,
        fixes: fix('Require a second factor (two-factor)', [replaceNode(humanLink.tree.get(humanLink.node, 'authentication'), 'two-factor')], false),
      });
    }
  },
});
