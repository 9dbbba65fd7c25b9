import { defineRule } from '../rule';
import { treeOf } from '../../model/architecture';
import { MODEL_HEADER } from '../shared/architecture';

export const archComponentWithoutZone = defineRule({
  id: 'BND104',
  pattern: 'BND',
  severity: 'warning',
  title: 'Component in no trust zone',
  kinds: ['architecture', 'threagile'],
  hasFix: false,
  guidance: {
    why: 'A component with no zone sits behind a boundary nobody drew: nobody decided how much it is trusted or what must be checked on the way in.',
    fix: 'Put the component in an explicit zone (`zone: services`), and give every crossing into it its controls. In a Threagile model, list the asset in a trust boundary\'s `technical_assets_inside` (external entities and internet-facing clients may stay outside every boundary).',
    bad: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    type: service`,
    good: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    type: service\n    zone: services`,
    threagile:
      'Threagile has no such rule. External entities and internet-facing assets may stay outside every boundary (they sit in the untrusted outside), out-of-scope assets are not judged, and nothing is reported while an included part of the model is out of sight (it may draw the boundary).',
  },
  checkArchitecture(model, context) {
    // Part of a Threagile model out of sight may draw the boundary that holds the asset.
    if (model.threagile && !model.threagile.complete) return;
    const unzoned = model.components.filter((component) => !component.zone && !component.threagile?.outOfScope);
    if (unzoned.length === 0) return;
    const drawsNone = model.threagile ? model.threagile.trustBoundaries.length === 0 : model.zones.length === 0;
    if (drawsNone) {
      // One fact, one finding: the model draws no boundary at all.
      const [first, ...rest] = unzoned;
      context.report({
        tree: treeOf(model, first),
        range: first.range,
        message: `The model draws no ${model.threagile ? 'trust boundary' : 'trust zone'}, so "${first.id}"${rest.length > 0 ? ` and ${rest.length} other component${rest.length > 1 ? 's' : ''}` : ''} sit behind none: nobody decided which boundary protects them or what is checked on the way in.`,
        related: rest.map((component) => ({ message: `"${component.id}" is in no zone either`, range: component.range, tree: treeOf(model, component) })),
      });
      return;
    }
    for (const component of unzoned) {
      const what = model.threagile ? 'is inside no trust boundary' : 'is in no trust zone';
      context.report({
        tree: treeOf(model, component),
        range: component.range,
        message: `Component "${component.id}" ${what}: nobody decided which boundary protects it or what is checked on the way in.`,
      });
    }
  },
});
