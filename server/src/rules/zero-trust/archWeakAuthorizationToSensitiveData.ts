import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { ModelIndex, flowLabel, treeOf } from '../../model/architecture';
import { MODEL_HEADER, authorizationGap } from '../shared/architecture';
import { missingAuthorization, threagileOf } from '../shared/threagile';

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
    fix: 'Authorize each request for the resource (`authorization: resource-level`), propagating the end user\'s identity where it matters. In a Threagile model the link\'s own data decides (what it sends and receives, confidential or above): `authorization: end-user-identity-propagation` where the target serves end users, at least `technical-user` otherwise.',
    bad: `${MODEL_HEADER}components:\n  reports: {}\n  customers-db:\n    type: datastore\n    data: confidential\nflows:\n  read-customers:\n    from: reports\n    to: customers-db\n    authentication: mtls\n    authorization: service-level`,
    good: `${MODEL_HEADER}components:\n  reports: {}\n  customers-db:\n    type: datastore\n    data: confidential\nflows:\n  read-customers:\n    from: reports\n    to: customers-db\n    authentication: mtls\n    authorization: resource-level`,
    threagile:
      'Follows Threagile\'s missing-identity-propagation for `authorization: technical-user`: a target that processes end-user requests (web applications, application servers, ERP, CMS, identity providers…), called by a technology able to propagate the user\'s identity, outside devops use, over an authenticated link. Where we differ: Threagile rates the target\'s own CIA; we rate what the link itself sends and receives (confidential or above), so a link carrying only public data into a sensitive asset is not reported and a link that names no data is left alone. We also report `authorization: none` on any link that carries confidential data, whatever the target processes and whether or not the link authenticates (an unauthenticated link is ZT101\'s finding as well: two facts, two fixes), except into a technology that only forwards and needs no authentication in Threagile (load balancer, reverse proxy, WAF, service registry, IDS/IPS): it holds no records, and the link behind it is judged.',
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    const threagile = threagileOf(model);
    for (const flow of model.flows) {
      if (!authorizationGap(model, index, flow)) continue;
      const tree = treeOf(model, flow);
      const target = index.endpoints(flow).target!;
      const authorization = flow.authorization?.value;
      if (threagile && flow.threagile) {
        const gap = missingAuthorization(threagile.index, flow.threagile.link)!;
        const what = gap.kind === 'none' ? 'has no authorization' : 'is authorized only as a technical user, so the end user\'s identity stops here';
        context.report({
          tree,
          range: flow.authorization?.range ?? flow.range,
          message: `Flow "${flow.id}" (${flowLabel(flow)}) carries ${gap.data} but ${what}: any caller of the link can reach every record on "${target.id}".`,
          threagileRiskId: gap.riskId,
          fixes: flow.node ? fix('Authorize per end user (end-user-identity-propagation)', [setMapValue(tree, flow.node, 'authorization', 'end-user-identity-propagation')], false) : undefined,
        });
        continue;
      }
      const level = target.dataLevel ? `${target.dataLevel.value} data` : 'secrets';
      const what = authorization === undefined ? 'states no authorization' : authorization === 'none' ? 'has no authorization' : 'is authorized only per service';
      context.report({
        tree,
        range: flow.authorization?.range ?? flow.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) ${what}, yet "${target.id}" holds ${level}: any caller of the flow can reach every record.`,
        fixes: flow.node ? fix('Authorize per resource', [setMapValue(tree, flow.node, 'authorization', 'resource-level')], false) : undefined,
      });
    }
  },
});
