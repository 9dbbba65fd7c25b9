import { defineRule } from '../rule';
import { threagileOf } from '../shared/threagile';
import { modelFindingPlace, mostRelevantAsset } from '../shared/threagileText';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    custom_developed_parts: true\n  Git:\n    id: git\n    type: process\n    technology: sourcecode-repository\n  CI:\n    id: ci\n    type: process\n    technology: build-pipeline\n';

export const threagileMissingBuildInfrastructure = defineRule({
  id: 'IMM108',
  pattern: 'IMM',
  alsoPattern: 'FF',
  severity: 'info',
  title: 'Custom code with no build infrastructure in the model',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile missing-build-infrastructure'],
  guidance: {
    why: 'Custom-developed code reaches production through developer machines, a repository and a pipeline. Leaving them out of the model leaves out the path every artifact takes, so nobody checks whether it is versioned, built reproducibly and deployed immutably.',
    fix: 'Model the path the code takes: the developer client (`technology: devops-client`), the source repository (`sourcecode-repository`) and the build pipeline (`build-pipeline`), with their links.',
    bad: MODEL,
    good: `${MODEL}  Developer Laptop:\n    id: dev-laptop\n    type: external-entity\n    technology: devops-client\n    out_of_scope: true\n`,
    threagile:
      'Follows Threagile\'s missing-build-infrastructure: custom-developed parts in scope, and no build pipeline, source repository or devops client in the model. Nothing is claimed missing while an included part of the model is out of sight.',
  },
  /**
   * Threagile's missing-build-infrastructure: in-scope assets with custom-developed parts, and no
   * build pipeline, source repository or devops client anywhere in the model. Nothing is claimed
   * missing while part of the model is out of sight.
   */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile || !threagile.model.complete) return;
    const { index } = threagile;
    const assets = [...index.assets.values()];
    const custom = assets.filter((asset) => index.inScope(asset) && asset.customDevelopedParts?.value === true);
    if (custom.length === 0) return;
    const missing = [
      ['build-pipeline', 'build pipeline'],
      ['sourcecode-repository', 'source repository'],
      ['devops-client', 'devops client'],
    ].filter(([technology]) => !assets.some((asset) => asset.attributes.has(technology))).map(([, words]) => words);
    if (missing.length === 0) return;
    const example = mostRelevantAsset(index, custom);
    context.report({
      ...modelFindingPlace(threagile.model),
      message: `${custom.length} asset${custom.length > 1 ? 's have' : ' has'} custom-developed parts (${custom.slice(0, 3).map((asset) => `"${asset.id}"`).join(', ')}${custom.length > 3 ? ', …' : ''}), but the model has no ${missing.join(' and no ')}: the path code takes to production is not modelled.`,
      related: custom.slice(0, 5).map((asset) => ({ message: `"${asset.id}" has custom-developed parts`, range: asset.customDevelopedParts!.range, tree: asset.tree })),
      threagileRiskId: example ? `missing-build-infrastructure@${example.id}` : undefined,
    });
  },
});
