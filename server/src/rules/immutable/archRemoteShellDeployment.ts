import { defineRule } from '../rule';
import { TECHNOLOGY_ATTRIBUTE } from '../../model/threagileTechnologies';
import { threagileOf } from '../shared/threagile';

const REMOTE_SHELL = new Set(['ssh', 'scp', 'sftp', 'ssh-tunnel']);

export const archRemoteShellDeployment = defineRule({
  id: 'IMM104',
  pattern: 'IMM',
  severity: 'warning',
  title: 'Deployment pushed into a running asset',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile push-instead-of-pull-deployment'],
  guidance: {
    why: 'A build pipeline that writes into the servers it deploys to holds write access to all of them, and a devops link over ssh/scp into a running server is how "ssh in, git pull, restart" looks in a threat model: the server is modified in place, drifts from version control and cannot be rolled back by redeploying.',
    fix: 'Deploy by replacing instances from a versioned, signed artifact that the runtime pulls: model the pipeline pushing to an artifact registry, and the target (or its platform) reading from it (`readonly: true`). Links into datastores (data, not deployments) and into development tools are not deployments.',
    bad: 'threagile_version: 1.0.0\ntechnical_assets:\n  Jenkins:\n    id: jenkins\n    type: process\n    technology: build-pipeline\n    communication_links:\n      Deploy:\n        target: shop\n        protocol: ssh\n        authentication: client-certificate\n        authorization: technical-user\n        usage: devops\n  Shop:\n    id: shop\n    type: process',
    good: 'threagile_version: 1.0.0\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    communication_links:\n      Pull Image:\n        target: registry\n        protocol: https\n        authentication: client-certificate\n        authorization: technical-user\n        usage: devops\n        readonly: true\n  Registry:\n    id: registry\n    type: datastore\n    technology: artifact-registry',
    threagile:
      'Follows Threagile\'s push-instead-of-pull-deployment: a build pipeline\'s non-read-only devops link into an in-scope asset that is neither development tooling nor devops-only. Ours besides: any other devops link that writes into a running (non-datastore) asset over a remote shell (ssh, scp, sftp), which is how an "ssh in and update" deployment looks in a model; links into datastores change data, not deployments.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const source of index.assets.values()) {
      const pipeline = source.attributes.has('build-pipeline');
      for (const link of source.links) {
        const target = index.target(link);
        if (link.usage?.value !== 'devops' || link.readonly?.value === true || !index.inScope(target)) continue;
        if (target.attributes.has(TECHNOLOGY_ATTRIBUTE.developmentRelevant) || target.usage?.value === 'devops') continue;
        const protocol = link.protocol?.value ?? '';
        if (pipeline) {
          context.report({
            tree: link.tree,
            range: link.protocol?.range ?? link.range,
            message: `Build pipeline "${source.id}" pushes into "${target.id}" over link "${link.title}" (${protocol || 'no protocol'}): the pipeline holds write access to the running asset, which is changed in place rather than replaced from a pulled, versioned artifact.`,
            threagileRiskId: `push-instead-of-pull-deployment@${source.id}`,
          });
        } else if (REMOTE_SHELL.has(protocol) && !index.isDatastore(target)) {
          context.report({
            tree: link.tree,
            range: link.protocol!.range,
            message: `Communication link "${link.title}" writes into "${target.id}" over ${protocol}: the running asset is modified in place, drifts from version control and cannot be rolled back by redeploying.`,
          });
        }
      }
    }
  },
});
