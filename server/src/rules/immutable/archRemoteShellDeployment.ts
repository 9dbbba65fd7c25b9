import { defineRule } from '../rule';
import { threagileRisk } from '../shared/architecture';

/** Writing to these over ssh is committing code, not modifying a running server. */
const DEV_TECHNOLOGIES = new Set(['sourcecode-repository', 'build-pipeline', 'artifact-registry', 'code-inspection-platform', 'devops-client', 'ide']);

export const archRemoteShellDeployment = defineRule({
  id: 'IMM104',
  pattern: 'IMM',
  severity: 'warning',
  title: 'DevOps link writes into a running asset over a remote shell',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile push-instead-of-pull-deployment'],
  guidance: {
    why: 'A devops link over ssh/scp into a running server is how "ssh in, git pull, restart" deployments look in a threat model: the server is modified in place, drifts from version control and cannot be rolled back by redeploying.',
    fix: 'Deploy by replacing instances from a versioned, signed artifact: model a pull from an artifact registry (`https`, readonly) instead of a push over ssh.',
    bad: 'threagile_version: 1.0.0\ntechnical_assets:\n  Jenkins:\n    id: jenkins\n    type: process\n    technology: build-pipeline\n    communication_links:\n      Deploy:\n        target: shop\n        protocol: ssh\n        authentication: client-certificate\n        authorization: technical-user\n        usage: devops\n  Shop:\n    id: shop\n    type: process',
    good: 'threagile_version: 1.0.0\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    communication_links:\n      Pull Image:\n        target: registry\n        protocol: https\n        authentication: client-certificate\n        authorization: technical-user\n        usage: devops\n        readonly: true\n  Registry:\n    id: registry\n    type: datastore\n    technology: artifact-registry',
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'threagile') return;
    for (const deployment of model.deployments) {
      const target = model.components.find((component) => component.id === deployment.component);
      if (!deployment.strategy || DEV_TECHNOLOGIES.has(target?.threagile?.technology ?? '')) continue;
      context.report({
        range: deployment.strategy.range,
        message: `Communication link "${deployment.via ?? '?'}" writes into "${deployment.component ?? '?'}" over a remote shell: the running asset is modified in place, drifts from version control and cannot be rolled back by redeploying.`,
        related: threagileRisk(model, 'push-instead-of-pull-deployment', deployment.keyRange),
      });
    }
  },
});
