import { defineRule } from '../rule';
import { TRUST_LEVELS } from '../../core/options';
import { ModelIndex, flowLabel, trustRank } from '../../model/architecture';
import { MODEL_HEADER } from '../shared/architecture';

export const archTierSkip = defineRule({
  id: 'BND102',
  pattern: 'BND',
  severity: 'error',
  title: 'Flow skips a trust tier',
  // Threagile nests boundaries to show containment, not tiers: its direct-access risks are BND108 and BND109.
  kinds: ['architecture'],
  hasFix: false,
  guidance: {
    why: 'Zones are layered (internet → gateway → services → data) so each layer checks what enters the next. A flow from an untrusted zone straight into a highly trusted one bypasses every layer in between.',
    fix: 'Route the flow through the next tier (a gateway, then a service that owns the data), or move the component into the zone it really belongs to.',
    bad: `${MODEL_HEADER}zones:\n  internet:\n    trust: untrusted\n  data:\n    trust: highly-trusted\ncomponents:\n  browser:\n    type: external-system\n    zone: internet\n  customers-db:\n    type: datastore\n    zone: data\nflows:\n  direct:\n    from: browser\n    to: customers-db`,
    good: `${MODEL_HEADER}zones:\n  internet:\n    trust: untrusted\n  dmz:\n    trust: semi-trusted\ncomponents:\n  browser:\n    type: external-system\n    zone: internet\n  gateway:\n    type: gateway\n    zone: dmz\nflows:\n  web:\n    from: browser\n    to: gateway`,
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      const { source, target } = index.endpoints(flow);
      const from = index.componentTrust(source);
      const to = index.componentTrust(target);
      if (!from || !to || !flow.to || trustRank(to) - trustRank(from) < 2) continue;
      const skipped = TRUST_LEVELS.slice(trustRank(from) + 1, trustRank(to));
      context.report({
        range: flow.to.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) goes from ${from} zone "${index.zoneOf(source)!.id}" straight into ${to} zone "${index.zoneOf(target)!.id}", skipping the ${skipped.join(' and ')} tier${skipped.length > 1 ? 's' : ''}.`,
      });
    }
  },
});
