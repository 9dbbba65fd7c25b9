import { defineRule } from '../rule';
import { threagileOf } from '../shared/threagile';
import { quoted } from '../shared/threagileText';

const MODEL = 'threagile_version: 1.0.0\ntechnical_assets:\n  Orders:\n    id: orders\n    type: process\n    communication_links:\n      Register:\n        target: registry\n        protocol: https\n        authentication: AUTH\n        authorization: technical-user\n  Registry:\n    id: registry\n    type: process\n    technology: service-registry\n';

export const threagileServiceRegistryPoisoning = defineRule({
  id: 'ZT110',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Service registry accepts registrations it cannot attribute',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile service-registry-poisoning'],
  guidance: {
    why: 'Whoever can write to the service registry decides where every lookup sends its traffic: one poisoned entry redirects calls (and their credentials) to the attacker. Zero-Trust does not trust a lookup result without verifying the identity behind it.',
    fix: 'Authenticate every link that writes to the registry (`authentication: client-certificate` or `token`), and have callers verify the identity of the endpoint they were given (mTLS), not just its address.',
    bad: MODEL.replace('AUTH', 'none'),
    good: MODEL.replace('AUTH', 'client-certificate'),
    threagile:
      'Threagile reports service-registry-poisoning at every in-scope service registry, as a reminder. Where we differ: we report it only where the model shows the poisoning path, a link that writes to the registry (not read-only) without authentication; a registry whose writers authenticate is clean.',
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    for (const registry of index.assets.values()) {
      if (!index.inScope(registry) || !registry.attributes.has('service-registry')) continue;
      const open = index.incoming(registry.id).filter((link) => link.readonly?.value !== true && link.authentication?.value === 'none');
      if (open.length === 0) continue;
      context.report({
        tree: registry.tree,
        range: registry.range,
        message: `Service registry "${registry.id}" takes unauthenticated writes from ${quoted(open.map((link) => link.sourceId))}: anyone who reaches it can register an endpoint and receive the traffic meant for a service.`,
        related: open.map((link) => ({ message: `link "${link.title}" writes without authentication`, range: link.authentication!.range, tree: link.tree })),
        threagileRiskId: `service-registry-poisoning@${registry.id}`,
      });
    }
  },
});
