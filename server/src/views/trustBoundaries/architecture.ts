import type { AnalysisOptions, TrustLevel } from '../../core/options';
import type { OffsetRange } from '../../core/types';
import { CROSSING_CONTROLS, ModelIndex, trustRank, type ArchitectureComponent, type ArchitectureFlow, type ArchitectureModel } from '../../model/architecture';
import { placeIn, type AnalyzedDocument, type Place } from '../../model/documents';

/**
 * The trust-boundary view of architecture models (ours and Threagile's): zones ordered by trust,
 * their components, each component's flows in and out with crossings and missing controls, and
 * who holds which secret. The same shape as `TrustBoundariesResult` in protocol.ts, except that
 * places are file offsets: the language server turns them into locations.
 */

export interface ArchitectureFlowView {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly crossesBoundary: boolean;
  readonly missingControls: readonly string[];
  readonly place: Place;
}

export interface ArchitectureComponentView {
  readonly id: string;
  readonly label: string;
  readonly type: string;
  /** The component's name: what to reveal. */
  readonly place: Place;
  /** The whole definition: findings inside it count for the component. */
  readonly extent: Place;
  readonly inbound: ArchitectureFlowView[];
  readonly outbound: ArchitectureFlowView[];
  readonly secrets: string[];
}

export interface ArchitectureZoneView {
  readonly id: string;
  readonly label: string;
  readonly source: 'architecture';
  readonly trust?: TrustLevel;
  readonly place?: Place;
  readonly extent?: Place;
  readonly components: ArchitectureComponentView[];
}

export interface ArchitectureSecretHolders {
  readonly secret: string;
  readonly holders: ReadonlyArray<{ readonly component: string; readonly place: Place }>;
  readonly overBudget: boolean;
}

export interface ArchitectureBoundaries {
  readonly zones: readonly ArchitectureZoneView[];
  readonly secrets: readonly ArchitectureSecretHolders[];
}

/** Zone id for components the model puts in no zone (BND104 reports them). */
const NO_ZONE = '(no zone)';

export function architectureBoundaries(documents: readonly AnalyzedDocument[], options: AnalysisOptions): ArchitectureBoundaries {
  const zones: ArchitectureZoneView[] = [];
  const secrets = new Map<string, Array<{ component: string; place: Place }>>();
  for (const document of documents) {
    const model = document.architecture;
    if (!model) continue;
    const at = (range: OffsetRange) => placeIn(document, range);
    const index = new ModelIndex(model);
    // Ids are qualified by file so that two systems in one workspace never merge.
    const qualify = (id: string) => `architecture:${document.file}#${id}`;
    const views = new Map<string, ArchitectureComponentView>();
    for (const component of model.components) {
      const view: ArchitectureComponentView = {
        id: qualify(component.id),
        label: component.label && component.label !== component.id ? `${component.label} (${component.id})` : component.id,
        type: component.type?.value ?? component.componentType,
        place: at(component.range),
        extent: at(extentOf(component)),
        inbound: [],
        outbound: [],
        secrets: component.secrets.map((secret) => secret.value),
      };
      views.set(component.id, view);
      for (const secret of component.secrets) secrets.set(secret.value, [...(secrets.get(secret.value) ?? []), { component: view.id, place: at(secret.range) }]);
    }
    for (const flow of model.flows) {
      const { source, target } = index.endpoints(flow);
      if (!source || !target) continue;
      const view = flowView(model, index, flow, source, target, qualify, at);
      views.get(source.id)!.outbound.push(view);
      views.get(target.id)!.inbound.push(view);
    }
    const byZone = new Map<string, ArchitectureComponentView[]>();
    for (const component of model.components) {
      const zone = component.zone && index.zones.has(component.zone.value) ? component.zone.value : NO_ZONE;
      byZone.set(zone, [...(byZone.get(zone) ?? []), views.get(component.id)!]);
    }
    for (const zone of model.zones) {
      zones.push({
        id: qualify(`zone:${zone.id}`),
        label: zone.derivedTrust ? `${zone.label ?? zone.id} (trust ${zone.derivedTrust.reason})` : zone.label ?? zone.id,
        source: 'architecture',
        trust: index.trustOf(zone),
        place: zone.synthetic ? undefined : at(zone.range),
        extent: zone.node?.range ? at({ start: zone.range.start, end: zone.node.range[1] }) : undefined,
        components: byZone.get(zone.id) ?? [],
      });
    }
    const unzoned = byZone.get(NO_ZONE);
    if (unzoned) zones.push({ id: qualify('zone:(none)'), label: 'no zone', source: 'architecture', components: unzoned });
  }
  const rank = (zone: ArchitectureZoneView) => trustRank(zone.trust);
  zones.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  const limit = options.thresholds.secretHolders;
  return {
    zones,
    secrets: [...secrets.entries()]
      .map(([secret, holders]) => ({ secret, holders, overBudget: holders.length > limit }))
      .sort((a, b) => b.holders.length - a.holders.length || a.secret.localeCompare(b.secret)),
  };
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
    place: at(flow.range),
  };
}

function extentOf(component: ArchitectureComponent): OffsetRange {
  const end = component.node?.range?.[1];
  return end !== undefined && end > component.range.start ? { start: component.range.start, end } : component.range;
}
