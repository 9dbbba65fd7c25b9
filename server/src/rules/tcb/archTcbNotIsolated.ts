import { defineRule } from '../rule';
import { MODEL_HEADER, quoteList, threagileRisk } from '../shared/architecture';

export const archTcbNotIsolated = defineRule({
  id: 'TCB103',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Trusted-core component not isolated in its own zone',
  kinds: ['architecture', 'threagile'],
  hasFix: false,
  peers: ['Threagile missing-vault-isolation', 'Threagile missing-identity-provider-isolation'],
  guidance: {
    why: 'A vault or auth service that shares a zone (or a runtime) with ordinary services is one lateral step from any of them. The trusted core is small and isolated, reachable only through its API.',
    fix: 'Give the TCB components a zone of their own (`trust: highly-trusted`) holding nothing else, and reach them through authenticated flows.',
    bad: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    zone: services\n  vault:\n    type: vault\n    zone: services\n    egress: false\n    startupValidation: true`,
    good: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\n  core:\n    trust: highly-trusted\ncomponents:\n  orders:\n    zone: services\n  vault:\n    type: vault\n    zone: core\n    egress: false\n    startupValidation: true`,
  },
  checkArchitecture(model, context) {
    for (const component of model.components) {
      if (!component.inTcb || !component.zone || component.threagile?.outOfScope) continue;
      const zone = component.zone.value;
      const neighbours = model.components.filter((other) => other !== component && !other.inTcb && other.zone?.value === zone);
      const runtimeNeighbours = model.components.filter((other) => other !== component && !other.inTcb && other.sharedRuntimes.some((runtime) => component.sharedRuntimes.includes(runtime)));
      if (neighbours.length === 0 && runtimeNeighbours.length === 0) continue;
      const risk = component.componentType === 'vault' ? 'missing-vault-isolation' : 'missing-identity-provider-isolation';
      const where = neighbours.length > 0 ? `shares zone "${zone}" with ${quoteList(neighbours.map((other) => other.id))}` : `shares a runtime with ${quoteList(runtimeNeighbours.map((other) => other.id))}`;
      context.report({
        range: model.dialect === 'threagile' ? component.range : component.zone.range,
        message: `TCB component "${component.id}" ${where}, which are not part of the trusted core: a compromise of any of them is one step from it.`,
        related: threagileRisk(model, risk, component.range),
      });
    }
  },
});
