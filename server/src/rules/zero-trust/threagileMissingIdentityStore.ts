import { defineRule } from '../rule';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { threagileOf } from '../shared/threagile';
import { modelFindingPlace, mostRelevantAsset } from '../shared/threagileText';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Browser:\n    id: browser\n    type: external-entity\n    internet: true\n    communication_links:\n      Shop Traffic:\n        target: shop\n        protocol: https\n        authentication: session-id\n        authorization: end-user-identity-propagation\n  Shop:\n    id: shop\n    type: process\n    technology: web-application\n';

export const threagileMissingIdentityStore = defineRule({
  id: 'ZT108',
  pattern: 'ZT',
  alsoPattern: 'FF',
  severity: 'info',
  title: 'End users are authorized but the model has no identity store',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile missing-identity-store'],
  guidance: {
    why: 'Authorizing every request by the end user\'s identity is Zero-Trust\'s "verify explicitly", and that identity comes from somewhere: an identity provider and its store are part of the trusted core. A model without them hides the most attacked part of the system from every check.',
    fix: 'Add the identity store (and provider) the login uses: a technical asset with `technology: identity-store-ldap`, `identity-store-database` or `identity-provider`, out of scope if a third party runs it.',
    bad: MODEL,
    good: `${MODEL}  Users:\n    id: users\n    type: datastore\n    technology: identity-store-database\n`,
    threagile:
      'Follows Threagile\'s missing-identity-store: links authorize by end-user identity and no in-scope identity store exists. Where we differ: an identity store or identity provider modelled out of scope or as an external entity counts (the model does show where identities live), and nothing is claimed missing while an included part of the model is out of sight.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile || !threagile.model.complete) return;
    const { index } = threagile;
    const assets = [...index.assets.values()];
    if (assets.some((asset) => asset.attributes.has(ATTRIBUTE.identityStore) || asset.attributes.has(ATTRIBUTE.identityRelated))) return;
    const links = index.allLinks().filter((link) => link.authorization?.value === 'end-user-identity-propagation');
    if (links.length === 0) return;
    const involved = [...new Set(links.flatMap((link) => [index.source(link), index.target(link)]))].filter((asset) => asset !== undefined);
    const example = mostRelevantAsset(index, involved);
    const place = modelFindingPlace(threagile.model);
    context.report({
      ...place,
      message: `${links.length} link${links.length > 1 ? 's authorize' : ' authorizes'} by end-user identity, but the model has no identity store or identity provider: the login's most attacked part is missing from the model.`,
      related: links.slice(0, 5).map((link) => ({ message: `link "${link.title}" propagates the end user's identity`, range: link.authorization!.range, tree: link.tree })),
      threagileRiskId: example ? `missing-identity-store@${example.id}` : undefined,
    });
  },
});
