import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { ModelIndex, flowLabel } from '../../model/architecture';
import { MODEL_HEADER, authorizationGap, threagileRisk } from '../shared/architecture';

export const archWeakAuthorizationToSensitiveData = defineRule({
  id: 'ZT103',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Sensitive data reached without resource-level authorization',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  peers: ['Threagile missing-identity-propagation'],
  guidance: {
    why: 'With no authorization, or only "this service may call that service", any caller can read every record the target holds. Least privilege means each request is authorized for the resource it touches.',
    fix: 'Authorize each request for the resource (`authorization: resource-level`), propagating the end user\'s identity where it matters.',
    bad: `${MODEL_HEADER}components:\n  reports: {}\n  customers-db:\n    type: datastore\n    data: confidential\nflows:\n  read-customers:\n    from: reports\n    to: customers-db\n    authentication: mtls\n    authorization: service-level`,
    good: `${MODEL_HEADER}components:\n  reports: {}\n  customers-db:\n    type: datastore\n    data: confidential\nflows:\n  read-customers:\n    from: reports\n    to: customers-db\n    authentication: mtls\n    authorization: resource-level`,
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      if (!authorizationGap(model, index, flow)) continue;
      const target = index.endpoints(flow).target!;
      const authorization = flow.authorization?.value;
      const level = target.dataLevel ? `${target.dataLevel.value} data` : 'secrets';
      const what = authorization === undefined ? 'states no authorization' : authorization === 'none' ? 'has no authorization' : 'is authorized only per service';
      context.report({
        range: flow.authorization?.range ?? flow.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) ${what}, yet "${target.id}" holds ${level}: any caller of the flow can reach every record.`,
        related: threagileRisk(model, 'missing-identity-propagation', flow.range),
        fixes: flow.node ? fix('Authorize per resource', [setMapValue(model.tree, flow.node, 'authorization', model.dialect === 'threagile' ? 'end-user-identity-propagation' : 'resource-level')], false) : undefined,
      });
    }
  },
});
