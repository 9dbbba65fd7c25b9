import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { LOCATION_AUTHENTICATION, ModelIndex, flowLabel, treeOf } from '../../model/architecture';
import { MODEL_HEADER, addToList, authenticationGap } from '../shared/architecture';
import { missingAuthentication, threagileOf } from '../shared/threagile';

const LOCATION = new Set<string>(LOCATION_AUTHENTICATION);

export const archNetworkLocationTrust = defineRule({
  id: 'ZT102',
  pattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Flow trusted because of network location (internal network, VPC, IP allowlist)',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  peers: ['Threagile missing-authentication'],
  guidance: {
    why: 'An IP allowlist, a VPN or "it is internal" says where a request came from, not who sent it: anything that lands on that network or address is trusted. Zero-Trust grants no implicit trust from network location.',
    fix: 'Authenticate the caller with a strong identity (mTLS or signed tokens); keep the allowlist only as a second layer: `authentication: [mtls, ip-allowlist]`. In a Threagile model: `authentication: client-certificate` (or `token`) on the link, `vpn`/`ip_filtered` kept.',
    bad: `${MODEL_HEADER}components:\n  partner: {}\n  orders: {}\nflows:\n  partner-orders:\n    from: partner\n    to: orders\n    authentication: ip-allowlist`,
    good: `${MODEL_HEADER}components:\n  partner: {}\n  orders: {}\nflows:\n  partner-orders:\n    from: partner\n    to: orders\n    authentication: [mtls, ip-allowlist]`,
    threagile:
      'Threagile\'s missing-authentication for links with `authentication: none` and `vpn: true` or `ip_filtered: true`, under the same conditions as ZT101 (Threagile does not exempt VPNs either). We name the network-location trust as its own finding because the fix differs: keep the filter, add an identity.',
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    const threagile = threagileOf(model);
    for (const flow of model.flows) {
      if (authenticationGap(model, index, flow) !== 'location') continue;
      const tree = treeOf(model, flow);
      const location = flow.authentication.find((method) => LOCATION.has(method.value))!;
      const how = model.dialect === 'threagile' ? `has \`authentication: none\` behind ${location.value === 'vpn' ? 'a VPN' : 'an IP filter'}` : `is authenticated only by ${location.value}`;
      const gap = threagile && flow.threagile ? missingAuthentication(threagile.index, flow.threagile.link) : undefined;
      context.report({
        tree,
        range: location.range,
        severity: gap?.severity,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) ${how}: anyone who gets onto that network or address is trusted as the caller${gap ? `, and ${gap.because}` : ''}.`,
        threagileRiskId: gap?.riskId,
        fixes: !flow.node
          ? undefined
          : model.dialect === 'threagile'
            ? fix('Authenticate with a client certificate (keep the filter as a second layer)', [replaceNode(tree.get(flow.node, 'authentication'), 'client-certificate')], false)
            : fix('Add mTLS (keep the allowlist as a second layer)', [addToList(tree, flow.node, 'authentication', ['mtls'])], false),
      });
    }
  },
});
