import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { LOCATION_AUTHENTICATION, ModelIndex, flowLabel } from '../../model/architecture';
import { MODEL_HEADER, addToList, authenticationGap, threagileRisk } from '../shared/architecture';

const LOCATION = new Set<string>(LOCATION_AUTHENTICATION);

export const archNetworkLocationTrust = defineRule({
  id: 'ZT102',
  pattern: 'ZT',
  severity: 'error',
  title: 'Flow trusted because of network location (internal network, VPC, IP allowlist)',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  peers: ['Threagile missing-authentication'],
  guidance: {
    why: 'An IP allowlist, a VPN or "it is internal" says where a request came from, not who sent it: anything that lands on that network or address is trusted. Zero-Trust grants no implicit trust from network location.',
    fix: 'Authenticate the caller with a strong identity (mTLS or signed tokens); keep the allowlist only as a second layer: `authentication: [mtls, ip-allowlist]`.',
    bad: `${MODEL_HEADER}components:\n  partner: {}\n  orders: {}\nflows:\n  partner-orders:\n    from: partner\n    to: orders\n    authentication: ip-allowlist`,
    good: `${MODEL_HEADER}components:\n  partner: {}\n  orders: {}\nflows:\n  partner-orders:\n    from: partner\n    to: orders\n    authentication: [mtls, ip-allowlist]`,
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      if (authenticationGap(model, index, flow) !== 'location') continue;
      const location = flow.authentication.find((method) => LOCATION.has(method.value))!;
      const how = model.dialect === 'threagile' ? `has \`authentication: none\` behind ${location.value === 'vpn' ? 'a VPN' : 'an IP filter'}` : `is authenticated only by ${location.value}`;
      context.report({
        range: location.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) ${how}: anyone who gets onto that network or address is trusted as the caller.`,
        related: threagileRisk(model, 'missing-authentication', flow.range),
        fixes: !flow.node
          ? undefined
          : model.dialect === 'threagile'
            ? fix('Authenticate with a client certificate (keep the filter as a second layer)', [replaceNode(model.tree.get(flow.node, 'authentication'), 'client-certificate')], false)
            : fix('Add mTLS (keep the allowlist as a second layer)', [addToList(model.tree, flow.node, 'authentication', ['mtls'])], false),
      });
    }
  },
});
