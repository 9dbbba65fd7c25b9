import { defineRule } from '../rule';
import { ciaWord } from '../../model/threagile';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { CONFIDENTIAL, CRITICAL, threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Developer Laptop:\n    id: dev-laptop\n    type: external-entity\n    internet: true\n    communication_links:\n      Push Code:\n        target: TARGET\n        protocol: https\n        authentication: token\n        authorization: technical-user\n        usage: devops\n  Git Repository:\n    id: git-repo\n    type: process\n    technology: sourcecode-repository\n    confidentiality: confidential\n    integrity: critical\n  Reverse Proxy:\n    id: proxy\n    type: process\n    technology: reverse-proxy\n    communication_links:\n      Forward:\n        target: git-repo\n        protocol: https\n        authentication: token\n        authorization: technical-user\n';

const HTTP = new Set(['http', 'https']);
const FTP = new Set(['ftp', 'ftps', 'sftp']);

export const threagileUnguardedInternetAccess = defineRule({
  id: 'BND109',
  pattern: 'BND',
  severity: 'warning',
  title: 'Sensitive asset reached straight from the internet',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile unguarded-access-from-internet'],
  guidance: {
    why: 'Zones are layered so that each crossing is checked: internet → gateway → services → data. An asset holding confidential data or critical functions that takes connections straight from the internet has no gateway, proxy or WAF filtering what reaches it.',
    fix: 'Put a reverse proxy, WAF or gateway in front (the internet-facing client links to it, it links to the asset), or reach the asset only through a VPN (`vpn: true`). Web servers and proxies without custom-developed parts serving HTTP are built for this and are not reported.',
    bad: MODEL.replace('TARGET', 'git-repo'),
    good: MODEL.replace('TARGET', 'proxy'),
    threagile:
      'Follows Threagile\'s unguarded-access-from-internet: an in-scope asset (not a load balancer) rated confidential or critical-integrity itself, with a link from an internet-facing asset, not over a VPN and not from a monitoring tool; web servers, web applications, reverse proxies, WAFs and gateways without custom-developed parts are exempt for HTTP (and FTP where allowed).',
  },
  /**
   * Threagile's unguarded-access-from-internet: an in-scope asset (not a load balancer) rated
   * confidential or critical-integrity (its own rating) with a link from an internet-facing asset,
   * not over a VPN and not from a monitoring tool; web servers, web applications, reverse proxies,
   * WAFs and gateways without custom-developed parts are exempt for HTTP (and FTP where allowed).
   */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const target of index.assets.values()) {
      if (!index.inScope(target) || target.attributes.has('load-balancer')) continue;
      const confidentiality = index.ownRating(target, 'confidentiality');
      const integrity = index.ownRating(target, 'integrity');
      if (confidentiality < CONFIDENTIAL && integrity < CRITICAL) continue;
      for (const link of index.incoming(target.id)) {
        const source = index.source(link);
        const protocol = link.protocol?.value ?? '';
        if (!source || source.internet?.value !== true || link.vpn?.value || source.attributes.has('monitoring')) continue;
        const builtForIt = (target.attributes.has(ATTRIBUTE.httpInternetAccessOk) && HTTP.has(protocol)) || (target.attributes.has(ATTRIBUTE.ftpInternetAccessOk) && FTP.has(protocol));
        if (builtForIt && target.customDevelopedParts?.value !== true) continue;
        const rating = confidentiality >= CONFIDENTIAL ? `${ciaWord('confidentiality', confidentiality)}` : `${ciaWord('integrity', integrity)}-integrity`;
        context.report({
          tree: link.tree,
          range: link.range,
          message: `Link "${link.title}" lets internet-facing "${source.id}" reach ${rating} asset "${target.id}" directly: no gateway, proxy or WAF filters what crosses from the internet.`,
          threagileRiskId: `unguarded-access-from-internet@${target.id}@${source.id}@${link.id}`,
        });
      }
    }
  },
});
