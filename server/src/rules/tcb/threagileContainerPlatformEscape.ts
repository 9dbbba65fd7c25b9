import { defineRule } from '../rule';
import { processedRatings, sensitivityWords, threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Kubernetes:\n    id: kubernetes\n    type: process\n    technology: container-platform\n    confidentiality: LEVEL\n';

export const threagileContainerPlatformEscape = defineRule({
  id: 'TCB110',
  pattern: 'TCB',
  severity: 'info',
  title: 'Container platform with sensitive workloads: an escape reaches all of them',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile container-platform-escape'],
  guidance: {
    why: 'The container platform is part of the trusted computing base of every workload it runs: one container that escapes to the node or the control plane reaches every other container and its secrets.',
    fix: 'Keep the platform in the small trusted core: no privileged or host-mounting workloads, restricted pod security, patched nodes and runtime, separate clusters or node pools for workloads of different sensitivity.',
    bad: MODEL.replace('LEVEL', 'confidential'),
    good: MODEL.replace('LEVEL', 'internal'),
    threagile:
      'Threagile reports container-platform-escape at every in-scope container platform. Where we differ: only platforms rated or processing confidential or critical data, or multi-tenant, where an escape reaches something that matters.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const asset of index.assets.values()) {
      if (!index.inScope(asset) || !asset.attributes.has('container-platform')) continue;
      const multiTenant = asset.multiTenant?.value === true;
      if (!index.processesSensitiveData(asset) && !multiTenant) continue;
      const what = [sensitivityWords(processedRatings(index, asset)), ...(multiTenant ? ['several tenants'] : [])].filter(Boolean).join(' and ');
      context.report({
        tree: asset.tree,
        range: asset.range,
        message: `Container platform "${asset.id}" runs workloads with ${what}: one container escaping to the node or the control plane reaches all of them.`,
        threagileRiskId: `container-platform-escape@${asset.id}`,
      });
    }
  },
});
