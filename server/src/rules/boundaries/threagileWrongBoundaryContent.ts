import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { threagileOf } from '../shared/threagile';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Orders:\n    id: orders\n    type: process\n    machine: container\n  Reporting:\n    id: reporting\n    type: process\n    machine: MACHINE\ntrust_boundaries:\n  Shop Namespace:\n    id: shop-namespace\n    type: network-policy-namespace-isolation\n    technical_assets_inside: [orders, reporting]\n';

export const threagileWrongBoundaryContent = defineRule({
  id: 'BND111',
  pattern: 'BND',
  severity: 'warning',
  title: 'Namespace isolation boundary holds assets that are not containers',
  kinds: ['threagile'],
  hasFix: true,
  peers: ['Threagile wrong-trust-boundary-content'],
  guidance: {
    why: 'A Kubernetes namespace with network policies isolates pods, nothing else: a virtual or physical machine drawn inside that boundary is not protected by it, so the model claims an isolation the system does not have.',
    fix: 'Move the virtual or physical machine into a boundary that really isolates it (a VLAN, a cloud security group), or correct its `machine:` to `container` or `serverless` if it runs as one.',
    bad: MODEL.replace('MACHINE', 'virtual'),
    good: MODEL.replace('MACHINE', 'container'),
    threagile:
      'Follows Threagile\'s wrong-trust-boundary-content. Where we differ: an asset that states no `machine` is not reported (Threagile\'s loader requires one).',
  },
  /** Threagile's wrong-trust-boundary-content: assets inside a `network-policy-namespace-isolation` boundary whose `machine` is neither `container` nor `serverless`. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const boundary of threagile.model.trustBoundaries) {
      if (boundary.type?.value !== 'network-policy-namespace-isolation') continue;
      for (const inside of boundary.assetsInside) {
        const asset = index.assets.get(inside.value);
        const machine = asset?.machine;
        if (!asset || !machine || machine.value === 'container' || machine.value === 'serverless') continue;
        context.report({
          tree: asset.tree,
          range: machine.range,
          message: `"${asset.id}" runs on a ${machine.value} machine but sits inside namespace isolation "${boundary.id}", which isolates only containers: the boundary does not protect it.`,
          related: [{ message: `listed inside "${boundary.id}"`, range: inside.range, tree: boundary.tree }],
          threagileRiskId: `wrong-trust-boundary-content@${asset.id}`,
          fixes: fix('It runs as a container (machine: container)', [replaceNode(asset.tree.get(asset.node, 'machine'), 'container')], false),
        });
      }
    }
  },
});
