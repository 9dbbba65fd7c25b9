import { defineRule } from '../rule';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { threagileOf } from '../shared/threagile';
import { quoted } from '../shared/threagileText';

/** Threagile's test for "this link carries code": data sent with integrity important or above. */
const IMPORTANT = 2;

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  App Code:\n    id: app-code\n    integrity: critical\ntechnical_assets:\n  CI:\n    id: ci\n    type: process\n    technology: build-pipeline\n    communication_links:\n      Deploy:\n        target: shop\n        protocol: https\n        authentication: token\n        authorization: technical-user\n        usage: devops\n        data_assets_sent: [app-code]\n  Shop:\n    id: shop\n    type: process\n';

export const threagileUncheckedDeployment = defineRule({
  id: 'IMM105',
  pattern: 'IMM',
  alsoPattern: 'FF',
  severity: 'info',
  title: 'Code deployed with no check in the build path',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile unchecked-deployment'],
  guidance: {
    why: 'An immutable deployment is only as good as the artifact it replaces instances with: when nothing scans, tests or verifies what the pipeline deploys, a vulnerable dependency or a tampered build goes to production as reliably as a good one, and fails late instead of at build time.',
    fix: 'Put the checks in the model and in the pipeline: link the build pipeline with a code inspection platform (`technology: code-inspection-platform`: SAST, dependency and image scanning) that gates the deployment.',
    bad: MODEL,
    good: `${MODEL}  Code Scanner:\n    id: code-scanner\n    type: process\n    technology: code-inspection-platform\n    communication_links:\n      Scan Builds:\n        target: ci\n        protocol: https\n        authentication: token\n        authorization: technical-user\n        usage: devops\n`,
    threagile:
      'Threagile reports unchecked-deployment at every development-relevant asset, since a model cannot say that the pipeline checks anything. Where we differ: we report an in-scope development asset that deploys code (a devops link sending data of important integrity or above) into a running asset, and accept a code inspection platform linked to it as the check.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    const inspections = [...index.assets.values()].filter((asset) => asset.attributes.has('code-inspection-platform'));
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset) || !asset.attributes.has(ATTRIBUTE.developmentRelevant) || asset.attributes.has('code-inspection-platform')) continue;
      const deployments = asset.links.filter((link) => {
        const target = index.target(link);
        return link.usage?.value === 'devops' && index.inScope(target) && !target.attributes.has(ATTRIBUTE.developmentRelevant) && link.dataAssetsSent.some((data) => index.dataRating(data.value, 'integrity') >= IMPORTANT);
      });
      if (deployments.length === 0 || inspections.some((inspection) => index.hasDirectConnection(asset.id, inspection.id))) continue;
      context.report({
        tree: asset.tree,
        range: asset.range,
        message: `"${asset.id}" deploys code to ${quoted(new Set(deployments.map((link) => link.target!.value)))} with no code inspection linked to it: nothing in the model scans or verifies what reaches production.`,
        related: deployments.map((link) => ({ message: `deploys over link "${link.title}"`, range: link.range, tree: link.tree })),
        threagileRiskId: `unchecked-deployment@${asset.id}`,
      });
    }
  },
});
