import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { CROSSING_CONTROLS, ModelIndex, flowLabel, treeOf, trustRank, type ArchitectureFlow, type ArchitectureModel, type Control } from '../../model/architecture';
import { MODEL_HEADER, addToList, authenticationGap, authorizationGap } from '../shared/architecture';
import { isProcessLocal, onlyReadsPublicData, threagileOf } from '../shared/threagile';
import { TECHNOLOGY_ATTRIBUTE } from '../../model/threagileTechnologies';

export const archCrossingWithoutControls = defineRule({
  id: 'BND101',
  pattern: 'BND',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Boundary crossing without authenticate, authorize, validate and log',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  peers: ['Threagile missing-authentication'],
  guidance: {
    why: 'Where a flow enters a more trusted zone, that crossing is the boundary: if it does not authenticate, authorize, validate and log, the boundary exists only on the diagram.',
    fix: 'Apply every control at the crossing: `controls: [authenticate, authorize, validate, log]` (plus sanitize and rate-limit where input comes from users). A Threagile model states only authentication and authorization: a link across a network trust boundary into an asset we run needs both, unless it enters through a load balancer, reverse proxy or WAF, or only reads public data.',
    bad: `${MODEL_HEADER}zones:\n  dmz:\n    trust: semi-trusted\n  services:\n    trust: trusted\ncomponents:\n  gateway:\n    type: gateway\n    zone: dmz\n  orders:\n    zone: services\nflows:\n  place-order:\n    from: gateway\n    to: orders\n    authentication: [mtls, jwt]\n    controls: [authenticate]`,
    good: `${MODEL_HEADER}zones:\n  dmz:\n    trust: semi-trusted\n  services:\n    trust: trusted\ncomponents:\n  gateway:\n    type: gateway\n    zone: dmz\n  orders:\n    zone: services\nflows:\n  place-order:\n    from: gateway\n    to: orders\n    authentication: [mtls, jwt]\n    authorization: resource-level\n    controls: [authenticate, authorize, validate, log]`,
    threagile:
      'A Threagile model states only a link\'s authentication and authorization. We read a crossing as Threagile does (`IsAcrossTrustBoundaryNetworkOnly`): a link across a network trust boundary, execution environments counting as the network around them. Threagile nests boundaries to show containment, not a trust order, so the direction is not judged. Where we differ from Threagile, which has no such rule: entry points built for unauthenticated traffic (load balancer, reverse proxy, WAF) and read-only links of public data are exempt, and what ZT101/ZT102/ZT103 report on the same link is left to them. Findings on Threagile models are warnings (the target holds nothing sensitive, or ZT101 would have reported it), except an unauthenticated way in from the internet or from outside every boundary: an error, an open door.',
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    for (const flow of model.flows) {
      const crossing = model.threagile ? threagileCrossing(model, flow) : ownCrossing(index, flow);
      if (!crossing) continue;
      if (flow.threagile?.usage === 'devops') continue;
      // Missing authentication or authorization the ZT rules already report is left to them.
      const reported = new Set<string>([...(authenticationGap(model, index, flow) ? ['authenticate'] : []), ...(authorizationGap(model, index, flow) ? ['authorize'] : [])]);
      // Threagile states only authentication and authorization: without an identity there is nothing to authorize.
      if (model.threagile && reported.has('authenticate')) reported.add('authorize');
      // Deliberately anonymous traffic into a gateway cannot be authenticated; it is still validated and logged.
      if (index.endpoints(flow).target?.componentType === 'gateway' && flow.authentication.some((method) => method.value === 'anonymous')) reported.add('authenticate').add('authorize');
      const missing = CROSSING_CONTROLS.filter((control) => flow.expressibleControls.includes(control) && !flow.appliedControls.has(control) && !reported.has(control));
      if (missing.length === 0) continue;
      const tree = treeOf(model, flow);
      context.report({
        tree,
        range: flow.controlsKey ?? flow.range,
        severity: model.threagile ? threagileSeverity(model, flow, missing) : undefined,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) crosses ${crossing} without ${missing.join(', ')}: the boundary does not check what enters.`,
        fixes: !flow.node
          ? undefined
          : model.threagile
            ? fix('Authenticate and authorize the link', missing.map((control: Control) => (control === 'authenticate' ? setMapValue(tree, flow.node!, 'authentication', 'client-certificate') : setMapValue(tree, flow.node!, 'authorization', 'technical-user'))), false)
            : fix(`Add ${missing.join(', ')} to the crossing's controls`, [addToList(tree, flow.node, 'controls', missing)], false),
      });
    }
  },
});

/**
 * On a Threagile model the target holds nothing sensitive (else ZT101/ZT103 report the link): an
 * unauthenticated way in from the internet is still an open door (error); other gaps are weaknesses.
 */
function threagileSeverity(model: ArchitectureModel, flow: ArchitectureFlow, missing: readonly Control[]): 'warning' | undefined {
  const threagile = threagileOf(model);
  const link = flow.threagile?.link;
  if (!threagile || !link || !missing.includes('authenticate')) return 'warning';
  const source = threagile.index.source(link);
  const fromOutside = source?.internet?.value === true || threagile.index.networkBoundaryOf(link.sourceId) === undefined;
  return fromOutside ? undefined : 'warning';
}

/** Our format: a flow into a zone of higher trust. */
function ownCrossing(index: ModelIndex, flow: ArchitectureFlow): string | undefined {
  const { source, target } = index.endpoints(flow);
  const sourceZone = index.zoneOf(source);
  const targetZone = index.zoneOf(target);
  const from = index.trustOf(sourceZone);
  const to = index.trustOf(targetZone);
  if (!sourceZone || !targetZone || !from || !to || trustRank(to) <= trustRank(from)) return undefined;
  return `from zone "${sourceZone.id}" (${from}) into "${targetZone.id}" (${to})`;
}

/**
 * Threagile: a link across a network trust boundary (Threagile's own notion) into an in-scope
 * asset we run. Nesting in Threagile is containment, not a trust order, so the direction is not
 * judged; entry points built to take unauthenticated traffic (load balancer, reverse proxy, WAF)
 * and read-only links of public data are not crossings that need an identity.
 */
function threagileCrossing(model: ArchitectureModel, flow: ArchitectureFlow): string | undefined {
  const threagile = threagileOf(model);
  const link = flow.threagile?.link;
  if (!threagile || !link) return undefined;
  const { index } = threagile;
  const target = index.target(link);
  if (!index.inScope(target) || index.isExternal(target) || index.has(target, TECHNOLOGY_ATTRIBUTE.noAuthenticationRequired)) return undefined;
  if (isProcessLocal(link) || onlyReadsPublicData(index, link) || !index.isAcrossNetworkBoundary(link)) return undefined;
  const from = index.networkBoundaryOf(link.sourceId);
  const to = index.networkBoundaryOf(target.id);
  return `from ${from ? `trust boundary "${from.id}"` : 'outside every trust boundary'} into ${to ? `trust boundary "${to.id}"` : 'an asset outside every boundary'}`;
}
