import { defineRule } from '../rule';
import { insertIntoMap, replaceNode, fix } from '../../core/edits';
import { ModelIndex, flowLabel } from '../../model/architecture';
import { MODEL_HEADER, authenticationGap, threagileRisk } from '../shared/architecture';

export const archFlowWithoutAuthentication = defineRule({
  id: 'ZT101',
  pattern: 'ZT',
  severity: 'error',
  title: 'Flow without authentication',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  peers: ['Threagile missing-authentication'],
  guidance: {
    why: 'A call with no authentication is trusted because it arrived: "internal network = trusted". Zero-Trust verifies every request explicitly, so one compromised neighbour cannot call everything on its network.',
    fix: 'Authenticate the flow with a strong identity (`authentication: [mtls, jwt]`) and authorize it for the resource. Deliberately public traffic is written `authentication: anonymous` and must enter through a gateway.',
    bad: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\nflows:\n  charge:\n    from: orders\n    to: payments\n    authentication: none`,
    good: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\nflows:\n  charge:\n    from: orders\n    to: payments\n    authentication: [mtls, jwt]`,
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      if (authenticationGap(model, index, flow) !== 'none') continue;
      const none = flow.authentication.find((method) => method.value === 'none' || method.value === 'anonymous');
      const what = none ? `declares \`authentication: ${none.value}\`` : 'states no authentication';
      context.report({
        range: none?.range ?? flow.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) ${what}: ${flow.to?.value ?? 'its target'} trusts every caller that can reach it on the network.`,
        related: threagileRisk(model, 'missing-authentication', flow.range),
        fixes: !flow.node
          ? undefined
          : model.dialect === 'threagile'
            ? fix('Authenticate with a client certificate (mTLS)', [replaceNode(model.tree.get(flow.node, 'authentication'), 'client-certificate')], false)
            : fix('Require mTLS on this flow', [none ? replaceNode(model.tree.get(flow.node, 'authentication'), 'mtls') : insertIntoMap(model.tree, flow.node, ['authentication: mtls'])], false),
      });
    }
  },
});

