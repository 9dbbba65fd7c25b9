import { defineRule } from '../rule';
import { TECHNOLOGY_ATTRIBUTE as ATTRIBUTE } from '../../model/threagileTechnologies';
import { processedRatings, sensitivityWords, threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Server Code:\n    id: server-code\n    confidentiality: LEVEL\ntechnical_assets:\n  Git Repository:\n    id: git-repo\n    type: process\n    technology: sourcecode-repository\n    data_assets_stored: [server-code]\n';

export const threagileAccidentalSecretLeak = defineRule({
  id: 'TCB108',
  pattern: 'TCB',
  severity: 'info',
  title: 'Repository or registry of sensitive code may leak the secrets committed to it',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile accidental-secret-leak'],
  guidance: {
    why: 'A secret committed to a repository or baked into an artifact is held by everyone who can read it, for ever (history keeps it): the trusted computing base for that secret becomes every developer, CI job and mirror.',
    fix: 'Keep secrets in a vault and out of code and images; scan commits and artifacts for secrets (pre-commit and in the pipeline), and rotate any secret that was ever committed.',
    bad: MODEL.replace('LEVEL', 'confidential'),
    good: MODEL.replace('LEVEL', 'internal'),
    threagile:
      'Threagile reports accidental-secret-leak at every in-scope source-code repository and artifact registry. Where we differ: only those holding confidential data or critical-integrity code (Threagile\'s medium and high impact); for the rest Threagile\'s low rating is a reminder, not a finding.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset) || !asset.attributes.has(ATTRIBUTE.mayContainSecrets) || !index.processesSensitiveData(asset)) continue;
      const kind = asset.attributes.has('artifact-registry') ? 'artifact registry' : 'repository';
      context.report({
        tree: asset.tree,
        range: asset.range,
        message: `${kind === 'repository' ? 'Repository' : 'Artifact registry'} "${asset.id}" holds ${sensitivityWords(processedRatings(index, asset))}: a secret committed to it is readable by everyone with access, in its history for ever; scan for secrets and keep them in a vault.`,
        threagileRiskId: `accidental-secret-leak@${asset.id}`,
      });
    }
  },
});
