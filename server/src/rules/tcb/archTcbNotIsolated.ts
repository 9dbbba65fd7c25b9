import { defineRule, type RuleContext } from '../rule';
import { treeOf, type ArchitectureModel } from '../../model/architecture';
import { TECHNOLOGY_ATTRIBUTE } from '../../model/threagileTechnologies';
import { MODEL_HEADER, quoteList } from '../shared/architecture';
import { threagileOf } from '../shared/threagile';

export const archTcbNotIsolated = defineRule({
  id: 'TCB103',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Trusted-core component not isolated in its own zone',
  kinds: ['architecture', 'threagile'],
  hasFix: false,
  peers: ['Threagile missing-vault-isolation', 'Threagile missing-identity-provider-isolation'],
  guidance: {
    why: 'A vault or auth service that shares a zone (or a runtime) with ordinary services is one lateral step from any of them. The trusted core is small and isolated, reachable only through its API.',
    fix: 'Give the TCB components a zone of their own (`trust: highly-trusted`) holding nothing else, and reach them through authenticated flows. In a Threagile model: a network trust boundary (or execution environment) of their own; a vault may keep its own storage beside it, an identity provider its identity store. A third party\'s identity provider (`type: external-entity`) is not our core and is not checked.',
    bad: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    zone: services\n  vault:\n    type: vault\n    zone: services\n    egress: false\n    startupValidation: true`,
    good: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\n  core:\n    trust: highly-trusted\ncomponents:\n  orders:\n    zone: services\n  vault:\n    type: vault\n    zone: core\n    egress: false\n    startupValidation: true`,
    threagile:
      'Follows Threagile\'s missing-vault-isolation and missing-identity-provider-isolation: an in-scope vault (or identity provider or identity store) with other assets in the same execution environment or the same network segment; a vault\'s own storage, other identity assets and neighbours tolerated next to high-value targets (load balancers, monitoring) do not count, and shared runtimes are BND112\'s. Where we differ: a third party\'s identity provider (`type: external-entity`) is not our trusted core and is not checked, and a vault or identity asset outside every trust boundary is left to BND104 (it is in no segment at all; Threagile counts everything outside every boundary as one segment, browsers on the internet included).',
  },
  checkArchitecture(model, context) {
    if (model.threagile) return checkThreagile(model, context);
    for (const component of model.components) {
      if (!component.inTcb || !component.zone) continue;
      const zone = component.zone.value;
      const neighbours = model.components.filter((other) => other !== component && !other.inTcb && other.zone?.value === zone);
      const runtimeNeighbours = model.components.filter((other) => other !== component && !other.inTcb && other.sharedRuntimes.some((runtime) => component.sharedRuntimes.includes(runtime)));
      if (neighbours.length === 0 && runtimeNeighbours.length === 0) continue;
      const where = neighbours.length > 0 ? `shares zone "${zone}" with ${quoteList(neighbours.map((other) => other.id))}` : `shares a runtime with ${quoteList(runtimeNeighbours.map((other) => other.id))}`;
      context.report({
        range: component.zone.range,
        message: `TCB component "${component.id}" ${where}, which are not part of the trusted core: a compromise of any of them is one step from it.`,
      });
    }
  },
});

/** Threagile's isolation risks for vaults and identity assets, with the differences `guidance.threagile` states. */
function checkThreagile(model: ArchitectureModel, context: RuleContext): void {
  const threagile = threagileOf(model)!;
  const { index } = threagile;
  for (const component of model.components) {
    const asset = component.threagile?.asset;
    if (!component.inTcb || !asset) continue;
    const vault = asset.attributes.has('vault');
    const excluded = (other: typeof asset) =>
      vault
        ? other.attributes.has('vault') || (index.isDatastore(other) && index.hasDirectConnection(asset.id, other.id))
        : other.attributes.has(TECHNOLOGY_ATTRIBUTE.identityRelated) || other.attributes.has(TECHNOLOGY_ATTRIBUTE.closeToHighValueTargetsTolerated);
    // Outside every boundary it is in no segment at all: BND104 says so.
    if (!index.boundaryOf(asset.id)) continue;
    const others = [...index.assets.values()].filter((other) => other !== asset && !excluded(other));
    const sameEnvironment = others.filter((other) => index.isSameExecutionEnvironment(asset.id, other.id));
    const sameSegment = others.filter((other) => index.isSameNetworkSegment(asset.id, other.id));
    if (sameSegment.length === 0 && sameEnvironment.length === 0) continue;
    const boundary = sameEnvironment.length > 0 ? index.boundaryOf(asset.id) : index.networkBoundaryOf(asset.id);
    const place = sameEnvironment.length > 0 ? `execution environment "${boundary?.id}"` : `network segment "${boundary?.id}"`;
    const neighbours = sameEnvironment.length > 0 ? sameEnvironment : sameSegment;
    const risk = vault ? 'missing-vault-isolation' : 'missing-identity-provider-isolation';
    context.report({
      tree: treeOf(model, component),
      range: component.range,
      message: `${vault ? 'Vault' : 'Identity asset'} "${asset.id}" shares ${place} with ${quoteList(neighbours.map((other) => other.id))}, which are not part of the trusted core: a compromise of any of them is one step from it.`,
      threagileRiskId: `${risk}@${asset.id}`,
    });
  }
}
