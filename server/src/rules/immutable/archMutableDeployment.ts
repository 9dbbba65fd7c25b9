import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { MODEL_HEADER } from '../shared/architecture';

const MUTABLE = new Set(['in-place', 'ssh', 'manual']);

export const archMutableDeployment = defineRule({
  id: 'IMM101',
  pattern: 'IMM',
  severity: 'error',
  title: 'Deployment by ssh or in-place update',
  kinds: ['architecture'],
  hasFix: true,
  guidance: {
    why: 'Deploying by ssh into the server, `git pull` and a restart modifies a running machine: every server drifts a little, nobody can say what runs where, and rollback means hoping. Immutable infrastructure replaces instances instead of updating them.',
    fix: 'Build a versioned, signed image and deploy by replacing instances (`strategy: immutable`); rollback = redeploy the previous version.',
    bad: `${MODEL_HEADER}deployment:\n  strategy: ssh\n  configuration: version-control\n  artifacts: { pinned: true, signed: true }`,
    good: `${MODEL_HEADER}deployment:\n  strategy: immutable\n  configuration: version-control\n  artifacts: { pinned: true, signed: true }`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    for (const deployment of model.deployments) {
      const strategy = deployment.strategy;
      if (!strategy || !MUTABLE.has(strategy.value)) continue;
      const subject = deployment.component ? `Component "${deployment.component}" is deployed by ${strategy.value}` : `The system is deployed by ${strategy.value}`;
      context.report({
        range: strategy.range,
        message: `${subject}: running servers are modified in place, drift from version control and cannot be rolled back by redeploying.`,
        fixes: fix('Deploy by replacing instances (strategy: immutable)', [replaceNode(model.tree.get(deployment.node, 'strategy'), 'immutable')], false),
      });
    }
  },
});
