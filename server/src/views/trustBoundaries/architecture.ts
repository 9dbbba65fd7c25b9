import type { TrustLevel } from '../../core/options';
import type { OffsetRange } from '../../core/types';
import { CROSSING_CONTROLS, ModelIndex, trustRank, type ArchitectureComponent, type ArchitectureFlow, type ArchitectureModel, type ComponentType } from '../../model/architecture';
import { placeIn, type AnalyzedDocument, type Place } from '../../model/documents';
import { flowDrifts, type DriftControl } from '../../model/meshDrift';
import { systemScopes } from '../../model/systems';

/**
 * The trust-boundary view of architecture models (ours and Threagile's): zones ordered by trust,
 * their components, and each component's flows in and out with crossings and missing controls.
 * Places are file offsets: the language server turns them into locations.
 */

export interface ArchitectureFlowView {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly crossesBoundary: boolean;
  readonly missingControls: readonly string[];
  /** Declared controls the deployed mesh does not enforce, one line each (see `flowDrifts`). */
  readonly deploymentDrift: string[];
  readonly place: Place;
  /** The flow's whole definition: findings inside it belong to the flow. */
  readonly extent: Place;
  readonly kind: 'flow';
}

export interface ArchitectureComponentView {
  readonly id: string;
  readonly label: string;
  /** The model's title of the component (a Threagile asset's key), when it has one besides its id. */
  readonly name?: string;
  readonly type: string;
  /** The model's component type (gateway, datastore, vault, …). */
  readonly componentType: ComponentType;
  /** The technology as the model states it (`type:`), when it does. */
  readonly detail?: string;
  /** Set when the component is in the trusted computing base, with why. */
  readonly tcb?: { readonly reasons: readonly string[] };
  /** The component's name: what to reveal. */
  readonly place: Place;
  /** The whole definition: findings inside it count for the component. */
  readonly extent: Place;
  readonly inbound: ArchitectureFlowView[];
  readonly outbound: ArchitectureFlowView[];
  /** Labels of the secrets it holds (filled in by the view from the model's secret holding). */
  readonly secrets: string[];
}

export interface ArchitectureZoneView {
  readonly id: string;
  readonly label: string;
  readonly source: 'architecture';
  /** The zone's name without how its level was derived (`detail`). */
  readonly name: string;
  /** How a trust level the model does not state was derived. */
  readonly detail?: string;
  /** The id of the enclosing zone (nested trust boundaries), when the model nests it. */
  readonly parent?: string;
  readonly trust?: TrustLevel;
  readonly place?: Place;
  readonly extent?: Place;
  readonly components: ArchitectureComponentView[];
}

/** The view's id of a model's component (or zone); qualified by file so two systems in one workspace never merge. */
export function architectureComponentId(file: string, id: string): string {
  return `architecture:${file}#${id}`;
}

/** Zone id for components the model puts in no zone (BND104 reports them). */
const NO_ZONE = '(no zone)';

/**
 * The zones of the architecture models among `documents` (in the view: one model file at a time).
 * `drift` is `driftByFlow` of every document the models' flows may be deployed by (the whole
 * workspace in the view), computed once by the caller however many models it draws.
 */
export function architectureZones(documents: readonly AnalyzedDocument[], drift: ReadonlyMap<ArchitectureFlow, readonly string[]> = driftByFlow(documents)): ArchitectureZoneView[] {
  const zones: ArchitectureZoneView[] = [];
  for (const document of documents) {
    const model = document.architecture;
    if (!model) continue;
    const at = (range: OffsetRange) => placeIn(document, range);
    const index = new ModelIndex(model);
    const qualify = (id: string) => architectureComponentId(document.file, id);
    const views = new Map<string, ArchitectureComponentView>();
    for (const component of model.components) {
      const view: ArchitectureComponentView = {
        id: qualify(component.id),
        label: component.label && component.label !== component.id ? `${component.label} (${component.id})` : component.id,
        name: component.label && component.label !== component.id ? component.label : undefined,
        type: component.type?.value ?? component.componentType,
        componentType: component.componentType,
        detail: component.type?.value,
        tcb: component.inTcb ? { reasons: [component.tcb?.value ? 'stated in the model (tcb: true)' : `its type (${component.componentType}) belongs to the trusted core`] } : undefined,
        place: at(component.range),
        extent: at(extentOf(component)),
        inbound: [],
        outbound: [],
        secrets: [],
      };
      views.set(component.id, view);
    }
    for (const flow of model.flows) {
      const { source, target } = index.endpoints(flow);
      if (!source || !target) continue;
      const view = flowView(model, index, flow, source, target, qualify, at);
      view.deploymentDrift.push(...(drift.get(flow) ?? []));
      views.get(source.id)!.outbound.push(view);
      views.get(target.id)!.inbound.push(view);
    }
    const byZone = new Map<string, ArchitectureComponentView[]>();
    for (const component of model.components) {
      const zone = component.zone && index.zones.has(component.zone.value) ? component.zone.value : NO_ZONE;
      byZone.set(zone, [...(byZone.get(zone) ?? []), views.get(component.id)!]);
    }
    const zoneIds = new Set(model.zones.map((zone) => zone.id));
    for (const zone of model.zones) {
      const parent = zone.parent?.value;
      zones.push({
        id: qualify(`zone:${zone.id}`),
        label: zone.derivedTrust ? `${zone.label ?? zone.id} (trust ${zone.derivedTrust.reason})` : zone.label ?? zone.id,
        source: 'architecture',
        name: zone.label ?? zone.id,
        detail: zone.derivedTrust ? `trust ${zone.derivedTrust.reason}` : undefined,
        parent: parent !== undefined && parent !== zone.id && zoneIds.has(parent) ? qualify(`zone:${parent}`) : undefined,
        trust: index.trustOf(zone),
        place: zone.synthetic ? undefined : at(zone.range),
        extent: zone.node?.range ? at({ start: zone.range.start, end: zone.node.range[1] }) : undefined,
        components: byZone.get(zone.id) ?? [],
      });
    }
    const unzoned = byZone.get(NO_ZONE);
    if (unzoned) zones.push({ id: qualify('zone:(none)'), label: 'no zone', name: 'no zone', source: 'architecture', components: unzoned });
  }
  const rank = (zone: ArchitectureZoneView) => trustRank(zone.trust);
  zones.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  return zones;
}

function flowView(
  model: ArchitectureModel,
  index: ModelIndex,
  flow: ArchitectureFlow,
  source: ArchitectureComponent,
  target: ArchitectureComponent,
  qualify: (id: string) => string,
  at: (range: OffsetRange) => Place,
): ArchitectureFlowView {
  const sourceZone = index.zoneOf(source);
  const targetZone = index.zoneOf(target);
  const crossesBoundary = sourceZone?.id !== targetZone?.id;
  const missingControls = crossesBoundary ? CROSSING_CONTROLS.filter((control) => flow.expressibleControls.includes(control) && !flow.appliedControls.has(control)) : [];
  const authentication = flow.authentication.map((method) => method.value).join('+') || (model.dialect === 'threagile' ? 'unknown' : 'none');
  return {
    from: qualify(source.id),
    to: qualify(target.id),
    label: `${flow.id}: ${source.id} → ${target.id} (${flow.protocol ? `${flow.protocol.value}, ` : ''}auth ${authentication})`,
    crossesBoundary,
    missingControls,
    deploymentDrift: [],
    place: at(flow.range),
    extent: at(extentOf(flow)),
    kind: 'flow',
  };
}

/** From the name of a component or flow to the end of its definition. */
function extentOf(item: ArchitectureComponent | ArchitectureFlow): OffsetRange {
  const end = item.node?.range?.[1];
  return end !== undefined && end > item.range.start ? { start: item.range.start, end } : item.range;
}

const DRIFT_LABELS: Readonly<Record<DriftControl, string>> = { mtls: 'mTLS', token: 'token required', authorization: 'per-resource authorization' };

/**
 * The same drifts ZT106, ZT046 and ZT047 report, by flow, as one line per workload and control
 * ("mTLS: Deployment \"orders\" …"), over the system scopes of `documents`.
 */
export function driftByFlow(documents: readonly AnalyzedDocument[]): Map<ArchitectureFlow, string[]> {
  const byFlow = new Map<ArchitectureFlow, string[]>();
  for (const scope of systemScopes(documents)) {
    for (const drift of flowDrifts(scope)) {
      const line = `${DRIFT_LABELS[drift.control]}: ${drift.workload.kind} "${drift.workload.name ?? '?'}" ${drift.deployed}`;
      const lines = byFlow.get(drift.flow) ?? [];
      if (!lines.includes(line)) lines.push(line);
      byFlow.set(drift.flow, lines);
    }
  }
  return byFlow;
}
