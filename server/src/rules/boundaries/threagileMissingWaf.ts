import { defineRule } from '../rule';
import { WEB_ACCESS_PROTOCOLS } from '../../model/threagile';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Browser:\n    id: browser\n    type: external-entity\n    internet: true\n    communication_links:\n      Web:\n        target: FRONT\n        protocol: https\n        authentication: session-id\n        authorization: end-user-identity-propagation\n  WAF:\n    id: waf\n    type: process\n    technology: waf\n    communication_links:\n      Forward:\n        target: shop\n        protocol: https\n        authentication: session-id\n        authorization: end-user-identity-propagation\n  Shop:\n    id: shop\n    type: process\n    technology: web-application\ntrust_boundaries:\n  Web:\n    id: web\n    type: network-cloud-security-group\n    technical_assets_inside: [waf, shop]\n';

export const threagileMissingWaf = defineRule({
  id: 'BND114',
  pattern: 'BND',
  severity: 'info',
  title: 'Web application reached across a boundary without a WAF in front',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile missing-waf'],
  guidance: {
    why: 'At the crossing into a web application, input should be validated and sanitized before the application sees it. A web application firewall does that for every application behind it, so a bug in one of them is not directly exploitable from the other side of the boundary.',
    fix: 'Route web traffic that crosses the boundary through a WAF (a `technology: waf` asset, or a reverse proxy that runs one) and link the application only from it.',
    bad: MODEL.replace('FRONT', 'shop'),
    good: MODEL.replace('FRONT', 'waf'),
    threagile:
      'Follows Threagile\'s missing-waf: an in-scope web application or web service (the `web_application` and `web_service` technology attributes) with a web-protocol link across a network boundary from anything but a WAF. An info: a WAF is a second layer in front of input validation, not a replacement for it.',
  },
  /** Threagile's missing-waf: an in-scope web application or web service with a web-protocol link across a network boundary from anything but a WAF. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset) || !(asset.attributes.has(ATTRIBUTE.webApplication) || asset.attributes.has(ATTRIBUTE.webService))) continue;
      const unguarded = index.incoming(asset.id).filter((link) => index.isAcrossNetworkBoundary(link) && WEB_ACCESS_PROTOCOLS.has(link.protocol?.value ?? '') && !index.source(link)?.attributes.has('waf'));
      if (unguarded.length === 0) continue;
      context.report({
        tree: asset.tree,
        range: asset.range,
        message: `Web ${asset.attributes.has(ATTRIBUTE.webService) ? 'service' : 'application'} "${asset.id}" takes web traffic across a network boundary from ${unguarded.map((link) => `"${link.sourceId}"`).join(', ')} with no WAF in front: nothing filters attacks before the application parses them.`,
        related: unguarded.map((link) => ({ message: `link "${link.title}" crosses the boundary`, range: link.range, tree: link.tree })),
        threagileRiskId: `missing-waf@${asset.id}`,
      });
    }
  },
});
