import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { MODEL_HEADER } from '../shared/architecture';

export const archUnpinnedUnsignedArtifacts = defineRule({
  id: 'IMM103',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Artifacts not pinned or not signed',
  kinds: ['architecture'],
  hasFix: true,
  peers: ['Threagile container-baseimage-backdooring'],
  guidance: {
    why: 'An unpinned artifact can change under the same name; an unsigned one cannot be told apart from a forged one. Immutable deployments run exactly the versioned, signed artifact that was built and tested.',
    fix: 'Pin artifacts by version and digest and verify their signatures at deploy time (`artifacts: { pinned: true, signed: true }`).',
    bad: `${MODEL_HEADER}deployment:\n  strategy: immutable\n  configuration: version-control\n  artifacts:\n    pinned: false\n    signed: true`,
    good: `${MODEL_HEADER}deployment:\n  strategy: immutable\n  configuration: version-control\n  artifacts:\n    pinned: true\n    signed: true`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    for (const deployment of model.deployments) {
      const subject = deployment.component ? `Component "${deployment.component}"` : 'The system';
      for (const [key, flag, consequence] of [
        ['pinned', deployment.pinned, 'the same name can deploy different code tomorrow'],
        ['signed', deployment.signed, 'a forged artifact is deployed as readily as the real one'],
      ] as const) {
        if (!flag || flag.value) continue;
        context.report({
          range: flag.range,
          message: `${subject} deploys artifacts that are not ${key}: ${consequence}.`,
          fixes: deployment.artifactsNode ? fix(`Require ${key} artifacts`, [replaceNode(model.tree.get(deployment.artifactsNode, key), 'true')], false) : undefined,
        });
      }
    }
  },
});
