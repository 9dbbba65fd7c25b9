import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { CROSSING_CONTROLS, ModelIndex, flowLabel, trustRank } from '../../model/architecture';
import { MODEL_HEADER, addToList, authenticationGap, authorizationGap, threagileRisk } from '../shared/architecture';

export const archCrossingWithoutControls = defineRule({
  id: 'BND101',
  pattern: 'BND',
  severity: 'error',
  title: 'Boundary crossing without authenticate, authorize, validate and log',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  peers: ['Threagile missing-authentication', 'Threagile unguarded-access-from-internet'],
  guidance: {
    why: 'Where a flow enters a more trusted zone, that crossing is the boundary: if it does not authenticate, authorize, validate and log, the boundary exists only on the diagram.',
    fix: 'Apply every control at the crossing: `controls: [authenticate, authorize, validate, log]` (plus sanitize and rate-limit where input comes from users).',
    bad: `${MODEL_HEADER}zones:\n  dmz:\n    trust: semi-trusted\n  services:\n    trust: trusted\ncomponents:\n  gateway:\n    type: gateway\n    zone: dmz\n  orders:\n    zone: services\nflows:\n  place-order:\n    from: gateway\n    to: orders\n    authentication: [mtls, jwt]\n    controls: [authenticate]`,
    good: `${MODEL_HEADER}zones:\n  dmz:\n    trust: semi-trusted\n  services:\n    trust: trusted\ncomponents:\n  gateway:\n    type: gateway\n    zone: dmz\n  orders:\n    zone: services\nflows:\n  place-order:\n    from: gateway\n    to: orders\n    authentication: [mtls, jwt]\n    authorization: resource-level\n    controls: [authenticate, authorize, validate, log]`,
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      const { source, target } = index.endpoints(flow);
      const sourceZone = index.zoneOf(source);
      const targetZone = index.zoneOf(target);
      const from = index.trustOf(sourceZone);
      const to = index.trustOf(targetZone);
      if (!sourceZone || !targetZone || !from || !to || trustRank(to) <= trustRank(from)) continue;
      if (flow.threagile?.usage === 'devops' || target?.threagile?.outOfScope) continue;
      // Missing authentication or authorization the ZT rules already report is left to them.
      const reported = new Set<string>([...(authenticationGap(model, index, flow) ? ['authenticate'] : []), ...(authorizationGap(model, index, flow) ? ['authorize'] : [])]);
      // Deliberately anonymous traffic into a gateway cannot be authenticated; it is still validated and logged.
      if (target?.componentType === 'gateway' && flow.authentication.some((method) => method.value === 'anonymous')) reported.add('authenticate').add('authorize');
      const missing = CROSSING_CONTROLS.filter((control) => flow.expressibleControls.includes(control) && !flow.appliedControls.has(control) && !reported.has(control));
      if (missing.length === 0) continue;
      context.report({
        range: flow.controlsKey ?? flow.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) crosses from zone "${sourceZone.id}" (${from}) into "${targetZone.id}" (${to}) without ${missing.join(', ')}: the boundary does not check what enters.`,
        related: missing.includes('authenticate') ? threagileRisk(model, 'missing-authentication', flow.range) : [],
        fixes: !flow.node
          ? undefined
          : model.dialect === 'threagile'
            ? fix(
                'Authenticate and authorize the link',
                missing.map((control) => (control === 'authenticate' ? setMapValue(model.tree, flow.node!, 'authentication', 'client-certificate') : setMapValue(model.tree, flow.node!, 'authorization', 'technical-user'))),
                false,
              )
            : fix(`Add ${missing.join(', ')} to the crossing's controls`, [addToList(model.tree, flow.node, 'controls', missing)], false),
      });
    }
  },
});
