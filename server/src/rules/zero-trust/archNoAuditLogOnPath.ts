import { defineRule } from '../rule';
import { fix } from '../../core/edits';
import { ModelIndex, flowLabel, holdsSensitiveData, trustRank } from '../../model/architecture';
import { MODEL_HEADER, addToList } from '../shared/architecture';

export const archNoAuditLogOnPath = defineRule({
  id: 'ZT104',
  pattern: 'ZT',
  severity: 'warning',
  title: 'No audit logging on a path to sensitive data',
  kinds: ['architecture'],
  hasFix: true,
  guidance: {
    why: 'Assume breach: when a neighbour is compromised, the audit log is how you learn what it touched. A path into sensitive data or the trusted core that logs nothing leaves no trace.',
    fix: 'Log every access on the path: add `log` to the flow\'s `controls` (and send it to the audit log).',
    bad: `${MODEL_HEADER}components:\n  orders: {}\n  orders-db:\n    type: datastore\n    data: confidential\nflows:\n  store-order:\n    from: orders\n    to: orders-db\n    authentication: mtls\n    authorization: resource-level\n    controls: [validate]`,
    good: `${MODEL_HEADER}components:\n  orders: {}\n  orders-db:\n    type: datastore\n    data: confidential\nflows:\n  store-order:\n    from: orders\n    to: orders-db\n    authentication: mtls\n    authorization: resource-level\n    controls: [validate, log]`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      const { source, target } = index.endpoints(flow);
      if (!target || !(holdsSensitiveData(target) || target.inTcb) || target.componentType === 'audit-log' || flow.appliedControls.has('log')) continue;
      // Crossings into a more trusted zone are BND101's (it asks for log among the crossing controls).
      const from = trustRank(index.componentTrust(source));
      const to = trustRank(index.componentTrust(target));
      if (from >= 0 && to > from) continue;
      context.report({
        range: flow.controlsKey ?? flow.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) reaches ${target.inTcb ? 'trusted-core' : 'sensitive'} component "${target.id}" without logging: after a breach nothing shows what was read or changed.`,
        fixes: flow.node ? fix('Add log to the flow\'s controls', [addToList(model.tree, flow.node, 'controls', ['log'])], false) : undefined,
      });
    }
  },
});
