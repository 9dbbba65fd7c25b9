import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Developer Laptop:\n    id: dev-laptop\n    type: external-entity\n    internet: true\n    communication_links:\n      Push Code:\n        target: git-repo\n        protocol: ssh\n        authentication: client-certificate\n        authorization: technical-user\n        usage: devops\n        vpn: VPN\n  Git Repository:\n    id: git-repo\n    type: process\n    technology: sourcecode-repository\n';

export const threagileCodeBackdooring = defineRule({
  id: 'IMM106',
  pattern: 'IMM',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Build or code infrastructure reachable from the internet',
  kinds: ['threagile'],
  hasFix: true,
  peers: ['Threagile code-backdooring'],
  guidance: {
    why: 'Immutable infrastructure trusts what the build produces. A repository or pipeline that faces the internet, or that unmanaged clients reach from it, is where a backdoor enters every artifact built from then on, signed and deployed like the real code.',
    fix: 'Reach source code and build infrastructure only through a VPN or from managed developer clients (`vpn: true` on the links), keep them off the internet, and require reviewed, signed commits.',
    bad: MODEL.replace('VPN', 'false'),
    good: MODEL.replace('VPN', 'true'),
    threagile:
      'Follows Threagile\'s code-backdooring: an in-scope development-relevant asset on the internet itself, or called by an internet-facing asset without a VPN.',
  },
  /**
   * Threagile's code-backdooring: an in-scope development-relevant asset (repository, pipeline,
   * registry…) that is on the internet itself, or is called by an internet-facing asset without
   * a VPN.
   */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset) || !asset.attributes.has(ATTRIBUTE.developmentRelevant)) continue;
      if (asset.internet?.value) {
        context.report({
          tree: asset.tree,
          range: asset.internet.range,
          message: `Development asset "${asset.id}" is on the internet: a backdoor slipped in here ships in every artifact built from it.`,
          threagileRiskId: `code-backdooring@${asset.id}`,
        });
        continue;
      }
      const exposed = index.incoming(asset.id).find((link) => !link.vpn?.value && index.source(link)?.internet?.value === true);
      if (!exposed) continue;
      context.report({
        // The asset, not the link: the link's own finding is BND109's (unguarded access from the internet).
        tree: asset.tree,
        range: asset.range,
        related: [{ message: `reached over link "${exposed.title}" without a VPN`, range: exposed.range, tree: exposed.tree }],
        message: `Development asset "${asset.id}" is reached from internet-facing "${exposed.sourceId}" over link "${exposed.title}" without a VPN: a backdoor slipped in here ships in every artifact built from it.`,
        threagileRiskId: `code-backdooring@${asset.id}`,
        fixes: exposed.node ? fix('Reach it through a VPN (vpn: true)', [setMapValue(exposed.tree, exposed.node, 'vpn', 'true')], false) : undefined,
      });
    }
  },
});
