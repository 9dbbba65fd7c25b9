import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { MODEL_HEADER } from '../shared/architecture';

export const archConfigOutsideVersionControl = defineRule({
  id: 'IMM102',
  pattern: 'IMM',
  severity: 'error',
  title: 'Configuration edited outside version control',
  kinds: ['architecture'],
  hasFix: true,
  guidance: {
    why: 'Configuration edited on the servers is configuration nobody reviewed, nobody can reproduce and nobody can roll back. Immutable infrastructure keeps it in version control and ships it with the release.',
    fix: 'Keep configuration in version control and deploy it with the artifact (`configuration: version-control`).',
    bad: `${MODEL_HEADER}deployment:\n  strategy: immutable\n  configuration: on-server\n  artifacts: { pinned: true, signed: true }`,
    good: `${MODEL_HEADER}deployment:\n  strategy: immutable\n  configuration: version-control\n  artifacts: { pinned: true, signed: true }`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    for (const deployment of model.deployments) {
      const configuration = deployment.configuration;
      if (!configuration || (configuration.value !== 'on-server' && configuration.value !== 'manual')) continue;
      const subject = deployment.component ? `Component "${deployment.component}"` : 'The system';
      context.report({
        range: configuration.range,
        message: `${subject} has its configuration edited ${configuration.value === 'manual' ? 'by hand' : 'on the servers'}: it is not reviewed, reproducible or rolled back with the release.`,
        fixes: fix('Keep configuration in version control', [replaceNode(model.tree.get(deployment.node, 'configuration'), 'version-control')], false),
      });
    }
  },
});
