import { defineRule } from '../rule';
import { processedRatings, sensitivityWords, threagileOf } from '../shared/threagile';
import { modelFindingPlace, mostRelevantAsset } from '../shared/threagileText';

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Customers:\n    id: customers\n    confidentiality: confidential\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    data_assets_processed: [customers]\n';

export const threagileMissingVault = defineRule({
  id: 'TCB107',
  pattern: 'TCB',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Model has no vault for its secrets',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile missing-vault'],
  guidance: {
    why: 'When no vault holds the secrets, every service keeps, rotates and guards its own: every service becomes part of the trusted computing base. A small, isolated vault that the services call keeps the TCB small.',
    fix: 'Add the secret storage the system uses (a technical asset with `technology: vault` or `hsm`) and link the assets that need secrets to it; if a third party runs it, model it out of scope.',
    bad: MODEL,
    good: `${MODEL}  Vault:\n    id: vault\n    type: process\n    technology: vault\n`,
    threagile:
      'Follows Threagile\'s missing-vault (no asset with the vault technology), with the same example asset in its risk id. Where we differ: a warning only when in-scope assets process sensitive data (Threagile\'s medium impact), an info otherwise; nothing is claimed missing while an included part of the model is out of sight.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile || !threagile.model.complete) return;
    const { index } = threagile;
    const assets = [...index.assets.values()];
    if (assets.length === 0 || assets.some((asset) => asset.attributes.has('vault'))) return;
    // The most confidential first: that is the example the message names.
    const rank = (asset: (typeof assets)[number]) => index.highestProcessed(asset, 'confidentiality') * 10 + index.highestProcessed(asset, 'integrity');
    const sensitive = assets.filter((asset) => index.inScope(asset) && !index.isExternal(asset) && index.processesSensitiveData(asset)).sort((a, b) => rank(b) - rank(a));
    const example = mostRelevantAsset(index, assets);
    context.report({
      ...modelFindingPlace(threagile.model),
      severity: sensitive.length > 0 ? undefined : 'info',
      message:
        sensitive.length > 0
          ? `The model has no vault, yet ${sensitive.length} asset${sensitive.length > 1 ? 's handle' : ' handles'} sensitive data (${sensitivityWords(processedRatings(index, sensitive[0]))} at "${sensitive[0].id}"): every service keeps its own secrets, and all of them are in the trusted computing base.`
          : 'The model has no vault: every service keeps its own secrets, and all of them are in the trusted computing base.',
      related: sensitive.slice(0, 5).map((asset) => ({ message: `"${asset.id}" handles sensitive data`, range: asset.range, tree: asset.tree })),
      threagileRiskId: example ? `missing-vault@${example.id}` : 'missing-vault@no-components',
    });
  },
});
