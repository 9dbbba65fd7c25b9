import { defineRule } from '../rule';
import { MODEL_HEADER, threagileRisk } from '../shared/architecture';

export const archComponentWithoutZone = defineRule({
  id: 'BND104',
  pattern: 'BND',
  severity: 'warning',
  title: 'Component in no trust zone',
  kinds: ['architecture', 'threagile'],
  hasFix: false,
  peers: ['Threagile missing-network-segmentation'],
  guidance: {
    why: 'A component with no zone sits behind a boundary nobody drew: nobody decided how much it is trusted or what must be checked on the way in.',
    fix: 'Put the component in an explicit zone (`zone: services`), and give every crossing into it its controls.',
    bad: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    type: service`,
    good: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    type: service\n    zone: services`,
  },
  checkArchitecture(model, context) {
    // A Threagile model split over files may draw its boundaries in another file.
    if (model.dialect === 'threagile' && !model.sectionKeys.trust_boundaries) return;
    for (const component of model.components) {
      if (component.zone || component.threagile?.outOfScope) continue;
      context.report({
        range: component.range,
        message: `Component "${component.id}" is in no trust zone: nobody decided which boundary protects it or what is checked on the way in.`,
        related: threagileRisk(model, 'missing-network-segmentation', component.range),
      });
    }
  },
});
