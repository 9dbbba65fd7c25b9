import { defineRule } from '../rule';
import { insertIntoMap, replaceNode, fix } from '../../core/edits';
import { ModelIndex, flowLabel, treeOf } from '../../model/architecture';
import { MODEL_HEADER, authenticationGap } from '../shared/architecture';
import { missingAuthentication, threagileOf } from '../shared/threagile';

export const archFlowWithoutAuthentication = defineRule({
  id: 'ZT101',
  pattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Flow without authentication',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  peers: ['Threagile missing-authentication'],
  guidance: {
    why: 'A call with no authentication is trusted because it arrived: "internal network = trusted". Zero-Trust verifies every request explicitly, so one compromised neighbour cannot call everything on its network.',
    fix: 'Authenticate the flow with a strong identity (`authentication: [mtls, jwt]`) and authorize it for the resource. Deliberately public traffic is written `authentication: anonymous` and must enter through a gateway. In a Threagile model, a read-only link that carries only public data (a public key set, a public image) needs no identity and is not reported.',
    bad: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\nflows:\n  charge:\n    from: orders\n    to: payments\n    authentication: none`,
    good: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\nflows:\n  charge:\n    from: orders\n    to: payments\n    authentication: [mtls, jwt]`,
    threagile:
      'Follows Threagile\'s missing-authentication: an in-scope target that processes confidential data or data of critical integrity or availability (or is multi-tenant), and is not a load balancer, reverse proxy, WAF, service registry or IDS/IPS, receives a link with `authentication: none` that is not process-local, from a caller that is neither a monitoring-like tool nor a datastore. Where we differ: a read-only link that names its data, all of it public (fetching a public key set, pulling a public image, downloading a UI bundle), is not reported, because nothing on it is protected by an identity; Threagile reports it because of what else the target holds. Severity: error when the target or the link handles confidential data, warning when only integrity, availability or multi-tenancy make it sensitive. Links relying on a VPN or an IP filter are ZT102.',
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    const threagile = threagileOf(model);
    for (const flow of model.flows) {
      if (authenticationGap(model, index, flow) !== 'none') continue;
      const tree = treeOf(model, flow);
      const none = flow.authentication.find((method) => method.value === 'none' || method.value === 'anonymous');
      const what = none ? `declares \`authentication: ${none.value}\`` : 'states no authentication';
      const gap = threagile && flow.threagile ? missingAuthentication(threagile.index, flow.threagile.link) : undefined;
      const because = gap ? `, and ${gap.because}` : '';
      context.report({
        tree,
        range: none?.range ?? flow.range,
        severity: gap?.severity,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) ${what}: ${flow.to?.value ?? 'its target'} trusts every caller that can reach it on the network${because}.`,
        threagileRiskId: gap?.riskId,
        fixes: !flow.node
          ? undefined
          : model.dialect === 'threagile'
            ? fix('Authenticate with a client certificate (mTLS)', [replaceNode(tree.get(flow.node, 'authentication'), 'client-certificate')], false)
            : fix('Require mTLS on this flow', [none ? replaceNode(tree.get(flow.node, 'authentication'), 'mtls') : insertIntoMap(tree, flow.node, ['authentication: mtls'])], false),
      });
    }
  },
});
