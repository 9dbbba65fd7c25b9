import { generatedUnitOf } from '../../analysis/frontEnds';
import type { LineIndex } from '../../core/positions';
import type { Finding, OffsetRange } from '../../core/types';
import type { Place } from '../../model/documents';
import { chartTemplatesFolder, fileLabel, systemLabel, type TrustBoundaryView, type ViewedComponent, type ViewedSystem, type ViewedZone } from '../trustBoundaries';
import {
  compareText,
  trustOrder,
  type DiagramEdge,
  type DiagramEdgeKind,
  type DiagramFinding,
  type DiagramGraph,
  type DiagramNode,
  type DiagramNodeKind,
  type DiagramSecret,
  type DiagramSource,
  type DiagramSystem,
  type DiagramTrustLevel,
  type DiagramZone,
  type DiagramZoneKind,
} from './graph';

/** What the builder needs from its host besides the documents: findings and line positions of a file. */
export interface DiagramSources {
  /** Findings of `file` as the user sees them (suppressions applied), offsets into the whole file. */
  findings(file: string): readonly Finding[];
  /** Line index of `file`'s current text; undefined when the file is unknown. */
  lines(file: string): LineIndex | undefined;
  /**
   * A place in a rendered chart's or built overlay's text moved to the template, values, base or
   * patch line behind it (undefined when nothing maps); places of files are given as they are.
   * Without it, places are taken as they are.
   */
  mapPlace?(place: Place): Place | undefined;
}

export interface DiagramScope {
  /** Only the systems that hold something of this file (the active file's project). */
  readonly file?: string;
}

/**
 * The diagram of a workspace, drawn from the trust-boundary view (`trustBoundaryView`, the same
 * data as the tree view): one system per compose file, manifest folder (or file) or model file.
 * A service on several networks is drawn in the least trusted one and linked to the others; what
 * a system exposes (published ports on all interfaces, LoadBalancer/NodePort Services, Ingresses)
 * is an arrow from an "outside" zone; model zones nest.
 *
 * Every finding of a system's files sits on exactly one element: the smallest zone, component or
 * arrow whose definition contains it, else on the system (`otherFindings`), so the counts add up
 * to what the Problems panel shows for those files.
 */
export function buildDiagramGraph(view: TrustBoundaryView, sources: DiagramSources, scope: DiagramScope = {}): DiagramGraph {
  const displayFile = displayNames(view.systems.flatMap((system) => system.files));
  const display = (file: string) => fileLabel(file, displayFile);
  const zonesBySystem = groupBy(view.zones, (zone) => zone.system);
  const secrets = secretIndex(view.secrets);
  const builders = view.systems.filter((system) => !scope.file || system.files.includes(scope.file)).map((system) => new SystemBuilder(system, zonesBySystem.get(system.id) ?? [], secrets, display, displayFile, sources));
  for (const builder of builders) builder.collect();
  const others = attributeFindings(builders, sources);
  const systems = builders.map((builder) => builder.finish(others.get(builder) ?? []));
  systems.sort((a, b) => compareText(a.label, b.label) || compareText(a.id, b.id));
  const title = scope.file ? `Trust boundaries of ${display(scope.file)}` : 'Trust boundaries of the workspace';
  return { title, systems };
}

/**
 * Puts each finding of the drawn files on the smallest zone, component or arrow whose
 * definition contains it; the rest go to the first system (in file order) drawn from that file.
 */
function attributeFindings(builders: readonly SystemBuilder[], sources: DiagramSources): Map<SystemBuilder, DiagramFinding[]> {
  const others = new Map<SystemBuilder, DiagramFinding[]>();
  const files = unique(builders.flatMap((builder) => builder.files));
  for (const file of files) {
    const candidates = builders.flatMap((builder) => builder.extentsIn(file)).sort((a, b) => length(a.place.range) - length(b.place.range) || a.order - b.order);
    const owner = builders.find((builder) => builder.files.includes(file))!;
    for (const finding of sources.findings(file)) {
      const start = finding.range.start;
      const holder = candidates.find((extent) => extent.place.range.start <= start && start <= extent.place.range.end);
      const diagramFinding: DiagramFinding = { ruleId: finding.ruleId, severity: finding.severity, message: finding.message, source: sourceOf(sources, { file, range: finding.range }) };
      if (holder) holder.target.findings.push(diagramFinding);
      else others.set(owner, [...(others.get(owner) ?? []), diagramFinding]);
    }
  }
  return others;
}

function sourceOf(sources: DiagramSources, given: Place | undefined): DiagramSource | undefined {
  const place = given && sources.mapPlace ? sources.mapPlace(given) : given;
  if (!place) return undefined;
  const lines = sources.lines(place.file);
  return lines ? { file: place.file, range: { start: lines.positionAt(place.range.start), end: lines.positionAt(place.range.end) } } : undefined;
}

class SystemBuilder {
  private readonly id: string;
  private readonly zones = new Map<string, MutableZone>();
  private readonly nodes = new Map<string, MutableNode>();
  private readonly edges: MutableEdge[] = [];
  /** Where findings may sit: the smallest extent containing a finding wins, the first registered on a tie. */
  private readonly extents: Extent[] = [];

  constructor(
    private readonly unit: ViewedSystem,
    private readonly viewZones: readonly ViewedZone[],
    private readonly secrets: (name: string) => DiagramSecret,
    /** A file or unit as shown (`fileLabel`). */
    private readonly display: (file: string) => string,
    /** A real file as shown. */
    private readonly displayFile: (file: string) => string,
    private readonly sources: DiagramSources,
  ) {
    this.id = this.local(unit.id);
  }

  get files(): readonly string[] {
    return this.unit.files;
  }

  /** Reads the system's zones, components and arrows from the view. */
  collect(): void {
    for (const zone of this.viewZones) this.zone(zone.id, zone.name ?? zone.label, zoneKind(zone), zone.trust, zone.parent, zone.place, zone.extent, zone.detail);
    breakParentCycles(this.zones);
    const components = new Map<string, { component: ViewedComponent; zones: string[] }>();
    for (const zone of this.viewZones) {
      for (const component of zone.components) {
        const entry = components.get(component.id) ?? { component, zones: [] };
        entry.zones.push(this.qualify(zone.id));
        components.set(component.id, entry);
      }
    }
    for (const { component, zones: listed } of components.values()) {
      // In the order the file lists them, so that among equally trusted zones the first one written wins.
      const zones = component.zones ? component.zones.map((id) => this.qualify(id)).filter((id) => listed.includes(id)) : listed;
      // A service on several networks is drawn where it is most exposed, and linked to the others.
      const primary = [...zones].sort((a, b) => trustOrder(this.zones.get(a)?.trust) - trustOrder(this.zones.get(b)?.trust))[0];
      const kind = component.componentType !== undefined ? modelNodeKind(component.componentType) : (component.type as DiagramNodeKind);
      this.node(component.id, component.name ?? component.label, kind, component.detail, primary, zones.filter((id) => id !== primary), component.place, component.extent, component.secrets.map(this.secrets), component.tcb);
    }
    for (const { component } of components.values()) {
      for (const flow of component.outbound) {
        const extents = 'extent' in flow && flow.extent ? [flow.extent] : [];
        this.edge(flow.from, flow.to, flow.kind, flow.label, flow.crossesBoundary, flow.missingControls, flow.place, extents);
      }
      for (const exposure of component.exposures ?? []) {
        this.edgeBetween(this.outside(exposure.from), this.qualify(component.id), 'exposure', exposure.label, true, [], exposure.place, exposure.extents);
      }
    }
  }

  extentsIn(file: string): Extent[] {
    return this.extents.filter((extent) => extent.place.file === file);
  }

  /** The system, once findings are attributed. */
  finish(otherFindings: DiagramFinding[]): DiagramSystem {
    const zones = orderZones([...this.zones.values()]);
    const zoneRank = new Map(zones.map((zone, index) => [zone.id, index]));
    const nodes = [...this.nodes.values()]
      .map((node) => ({ ...node, alsoIn: [...node.alsoIn].sort((a, b) => zoneRank.get(a)! - zoneRank.get(b)!) }))
      .sort((a, b) => zoneRank.get(a.zone)! - zoneRank.get(b.zone)! || compareText(a.label, b.label) || compareText(a.id, b.id));
    const edges = [...this.edges].sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to) || compareText(a.label, b.label));
    const numbered = new Map<string, number>();
    const withIds = edges.map((edge) => {
      const key = `${edge.from}>${edge.to}`;
      const index = numbered.get(key) ?? 0;
      numbered.set(key, index + 1);
      return { ...edge, id: `${key}#${index}` };
    });
    const first = this.unit.files[0];
    const label = systemLabel(this.unit, this.displayFile);
    return { id: this.id, label, kind: this.unit.kind, source: this.source({ file: first, range: { start: 0, end: 0 } }), zones, nodes, edges: withIds, otherFindings };
  }

  /** The zone and node arrows from outside start at, created on first use; `who` names what is outside. */
  private outside(who: string): string {
    const zoneId = `${this.id}|outside`;
    const nodeId = `${zoneId}|clients`;
    if (!this.zones.has(zoneId)) {
      this.zones.set(zoneId, { id: zoneId, label: 'outside', kind: 'outside', trust: 'untrusted', findings: [] });
      this.nodes.set(nodeId, { id: nodeId, label: who, kind: 'external', zone: zoneId, alsoIn: [], secrets: [], findings: [], source: undefined });
    }
    return nodeId;
  }

  // --- shared ----------------------------------------------------------------------------------

  private qualify(id: string): string {
    return `${this.id}|${this.local(id)}`;
  }

  /** Ids name files as the labels do (relative), so no machine path ends up in a drawing's ids. */
  private local(id: string): string {
    let result = id;
    for (const file of this.unit.files) result = result.split(file).join(this.display(file));
    for (const file of this.unit.files) result = result.split(folderOf(file)).join(folderOf(this.display(file)));
    return result;
  }

  private zone(id: string, label: string, kind: DiagramZoneKind, trust: DiagramTrustLevel | undefined, parent: string | undefined, place?: Place, extent?: Place, detail?: string): void {
    const qualified = this.qualify(id);
    if (this.zones.has(qualified)) return;
    const zone: MutableZone = { id: qualified, label, kind, detail, trust, parent: parent === undefined ? undefined : this.qualify(parent), source: this.source(place), findings: [] };
    this.zones.set(qualified, zone);
    const where = extent ?? place;
    if (where) this.addExtent(where, zone);
  }

  private node(id: string, label: string, kind: DiagramNodeKind, detail: string | undefined, zone: string, alsoIn: string[], place: Place, extent: Place, secrets: DiagramSecret[], tcb?: { readonly reasons: readonly string[] }): void {
    const qualified = this.qualify(id);
    const node: MutableNode = { id: qualified, label, kind, detail, zone, alsoIn, source: this.source(place), secrets: secrets.sort((a, b) => compareText(a.name, b.name)), tcb, findings: [], extent };
    this.nodes.set(qualified, node);
    this.addExtent(extent, node);
  }

  private edge(from: string, to: string, kind: DiagramEdgeKind, label: string, crossesBoundary: boolean, missingControls: readonly string[], place: Place | undefined, extents: readonly Place[]): void {
    this.edgeBetween(this.qualify(from), this.qualify(to), kind, label, crossesBoundary, missingControls, place, extents);
  }

  private edgeBetween(from: string, to: string, kind: DiagramEdgeKind, label: string, crossesBoundary: boolean, missingControls: readonly string[], place: Place | undefined, extents: readonly Place[]): void {
    if (!this.nodes.has(from) || !this.nodes.has(to)) return;
    const edge: MutableEdge = { from, to, kind, label, crossesBoundary, missingControls: [...missingControls], source: this.source(place), findings: [] };
    this.edges.push(edge);
    for (const extent of extents) this.addExtent(extent, edge);
  }

  private source(place: Place | undefined): DiagramSource | undefined {
    return sourceOf(this.sources, place);
  }

  private addExtent(place: Place, target: { findings: DiagramFinding[] }): void {
    this.extents.push({ place, target, order: this.extents.length });
  }
}

interface Extent {
  readonly place: Place;
  readonly target: { findings: DiagramFinding[] };
  readonly order: number;
}

interface MutableZone extends DiagramZone {
  parent?: string;
  findings: DiagramFinding[];
}

interface MutableNode extends DiagramNode {
  findings: DiagramFinding[];
  /** The whole definition, for finding attribution and TCB facts. */
  extent?: Place;
}

interface MutableEdge extends Omit<DiagramEdge, 'id'> {
  findings: DiagramFinding[];
}

function secretIndex(entries: ReadonlyArray<{ secret: string; holders: ReadonlyArray<unknown>; overBudget: boolean }>): (name: string) => DiagramSecret {
  const byName = new Map(entries.map((entry) => [entry.secret, entry]));
  return (name) => ({ name, holders: byName.get(name)?.holders.length ?? 1, overBudget: byName.get(name)?.overBudget ?? false });
}

function zoneKind(zone: ViewedZone): DiagramZoneKind {
  if (zone.source !== 'architecture') return zone.source;
  return zone.id.endsWith('#zone:(none)') ? 'no-zone' : 'architecture-zone';
}

function modelNodeKind(type: string | undefined): DiagramNodeKind {
  switch (type) {
    case 'gateway':
    case 'datastore':
    case 'vault':
    case 'queue':
      return type;
    case 'external-system':
      return 'external';
    default:
      return 'component';
  }
}

/** Least trusted first, unassigned last, then by label; every parent directly before its children. */
function orderZones(zones: readonly MutableZone[]): DiagramZone[] {
  const compare = (a: DiagramZone, b: DiagramZone) => trustOrder(a.trust) - trustOrder(b.trust) || compareText(a.label, b.label) || compareText(a.id, b.id);
  const children = new Map<string | undefined, MutableZone[]>();
  for (const zone of zones) children.set(zone.parent, [...(children.get(zone.parent) ?? []), zone]);
  const ordered: DiagramZone[] = [];
  const visit = (parent: string | undefined) => {
    for (const zone of [...(children.get(parent) ?? [])].sort(compare)) {
      ordered.push(zone);
      visit(zone.id);
    }
  };
  visit(undefined);
  return ordered;
}

/** A zone nested in itself (a → b → a) is drawn at the top level instead. */
function breakParentCycles(zones: Map<string, MutableZone>): void {
  for (const zone of [...zones.values()].sort((a, b) => compareText(a.id, b.id))) {
    const seen = new Set<string>([zone.id]);
    for (let current = zone.parent; current !== undefined; current = zones.get(current)?.parent) {
      if (seen.has(current)) {
        zone.parent = undefined;
        break;
      }
      seen.add(current);
    }
  }
}

/**
 * Real files shown relative to the folder all of them share, decoded from URIs (`fileLabel` adds
 * what a unit id stands for).
 */
function displayNames(files: readonly string[]): (file: string) => string {
  const decoded = (file: string) => {
    const path = file.replace(/^file:\/\/[^/]*/, '');
    try {
      return decodeURIComponent(path);
    } catch {
      return path;
    }
  };
  // A chart's templates show under the chart's name (`argo-cd/templates/…`): the folder above the chart counts.
  const folderShown = (file: string) => {
    const unit = generatedUnitOf(file);
    return unit?.kind === 'helm' ? folderOf(folderOf(chartTemplatesFolder(decoded(unit.source)))) : folderOf(decoded(unit?.source ?? file));
  };
  const folders = unique(files.map(folderShown));
  let common = folders[0] ?? '';
  for (const folder of folders) while (common && folder !== common && !folder.startsWith(`${common}/`)) common = folderOf(common) === common ? '' : folderOf(common);
  return (file) => {
    const path = decoded(file);
    return common && path.startsWith(`${common}/`) ? path.slice(common.length + 1) : path;
  };
}

function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : slash === 0 ? '/' : file.slice(0, slash);
}

function length(range: OffsetRange): number {
  return range.end - range.start;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)].sort((a, b) => compareText(String(a), String(b)));
}
