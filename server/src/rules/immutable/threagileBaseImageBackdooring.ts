import { defineRule } from '../rule';
import { processedRatings, sensitivityWords, threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Payments:\n    id: payments\n    type: process\n    machine: container\n    confidentiality: LEVEL\n';

export const threagileBaseImageBackdooring = defineRule({
  id: 'IMM107',
  pattern: 'IMM',
  alsoPattern: 'TCB',
  severity: 'info',
  title: 'Container with sensitive data trusts its base image',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile container-baseimage-backdooring'],
  guidance: {
    why: 'An immutable image is exactly as trustworthy as the base image it was built on: a backdoored or vulnerable base layer ships in every build, and its publisher becomes part of the trusted computing base of the data the container handles.',
    fix: 'Build on a minimal, pinned (by digest), signature-verified base image from a publisher you trust, rebuild regularly and scan the result.',
    bad: MODEL.replace('LEVEL', 'confidential'),
    good: MODEL.replace('LEVEL', 'internal'),
    threagile:
      'Threagile reports container-baseimage-backdooring at every in-scope container. Where we differ: only containers handling confidential or critical data, where the publisher of the base image matters.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset) || asset.machine?.value !== 'container' || !index.processesSensitiveData(asset)) continue;
      context.report({
        tree: asset.tree,
        range: asset.machine.range,
        message: `Container "${asset.id}" handles ${sensitivityWords(processedRatings(index, asset))}: whoever publishes its base image is part of its trusted computing base; pin, verify and scan it.`,
        threagileRiskId: `container-baseimage-backdooring@${asset.id}`,
      });
    }
  },
});
