import type { AnalysisOptions } from '../../core/options';
import type { LineIndex } from '../../core/positions';
import type { Finding, OffsetRange } from '../../core/types';
import { rangeOf } from '../../core/tree';
import type { ArchitectureComponent, ComponentType } from '../../model/architecture';
import { composeHostAccess, publishedOnAllInterfaces, portRange, readService, isExternallyReachable } from '../../rules/shared/exposure';
import { composeHostMounts, kubernetesHostMounts, runtimeSocketOf } from '../../rules/shared/hostMounts';
import { hostLevelAccess } from '../../rules/shared/podSecurity';
import type { WorkspaceDocument } from '../../workspace/documents';
// The boundary view this diagram is drawn from; when it moves, only these two imports change.
import { architectureBoundaries } from '../../workspace/architectureBoundaries';
import { computeTrustBoundaries } from '../../workspace/trustBoundaries';
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
  type DiagramSystemKind,
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
}

export interface DiagramScope {
  /** Only the systems that hold something of this file (the active file's project). */
  readonly file?: string;
}

/** An offset place in a file, as the boundary views give them. */
interface Place {
  readonly file: string;
  readonly range: OffsetRange;
}

/**
 * The diagram of a workspace, from the trust-boundary view (the same data as the tree view):
 * one system per deployment unit or model file, so nothing is merged by name across files.
 *
 * - A compose file is one unit (with `compose.override.yaml` beside `compose.yaml`, which
 *   Compose merges by default, per the compose-spec); its networks are zones, a service on
 *   several networks is drawn in the least trusted one and linked to the others, and published
 *   ports on all interfaces are arrows from an "outside" zone.
 * - Kubernetes manifests of one folder are one unit (`kubectl apply -f dir/`), unless two files
 *   define the same object: then they are alternatives and each file is its own unit. Namespaces
 *   are zones; LoadBalancer/NodePort Services and Ingresses are reached from "outside".
 * - Each architecture model file (ours or Threagile's) is one unit, with nested zones.
 *
 * Every finding of a unit's files sits on exactly one element: the smallest zone, component or
 * arrow whose definition contains it, else on the system (`otherFindings`), so the counts add up
 * to what the Problems panel shows for those files.
 */
export function buildDiagramGraph(documents: readonly WorkspaceDocument[], options: AnalysisOptions, sources: DiagramSources, scope: DiagramScope = {}): DiagramGraph {
  const units = deploymentUnits(documents);
  const display = displayNames(units.flatMap((unit) => unit.files));
  const builders = units.filter((unit) => !scope.file || unit.files.includes(scope.file)).map((unit) => new SystemBuilder(unit, display, options, sources));
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

function sourceOf(sources: DiagramSources, place: Place | undefined): DiagramSource | undefined {
  if (!place) return undefined;
  const lines = sources.lines(place.file);
  return lines ? { file: place.file, range: { start: lines.positionAt(place.range.start), end: lines.positionAt(place.range.end) } } : undefined;
}

interface Unit {
  readonly kind: DiagramSystemKind;
  readonly key: string;
  /** The first one names the unit (the base file of a compose project), the rest sorted. */
  readonly files: readonly string[];
  readonly documents: readonly WorkspaceDocument[];
}

function deploymentUnits(documents: readonly WorkspaceDocument[]): Unit[] {
  const units: Unit[] = [];
  const composeByFile = groupBy(documents.filter((document) => document.compose), (document) => composeProjectFile(document.file, documents));
  for (const [file, group] of composeByFile) units.push({ kind: 'compose', key: `compose:${file}`, files: [file, ...unique(group.map((document) => document.file)).filter((other) => other !== file)], documents: group });
  const manifests = documents.filter((document) => document.kubernetes.length > 0);
  for (const [folder, group] of groupBy(manifests, (document) => folderOf(document.file))) {
    if (definesAnObjectTwice(group) || new Set(group.map((document) => document.file)).size === 1) {
      for (const [file, fileGroup] of groupBy(group, (document) => document.file)) units.push({ kind: 'kubernetes', key: `kubernetes:${file}`, files: [file], documents: fileGroup });
    } else {
      units.push({ kind: 'kubernetes', key: `kubernetes:${folder}/`, files: unique(group.map((document) => document.file)), documents: group });
    }
  }
  const models = documents.filter((document) => document.architecture);
  for (const [file, group] of groupBy(models, (document) => document.file)) {
    units.push({ kind: group[0].architecture!.dialect === 'threagile' ? 'threagile' : 'architecture', key: `${group[0].architecture!.dialect}:${file}`, files: [file], documents: group });
  }
  return units.sort((a, b) => compareText(a.key, b.key));
}

const OVERRIDE = /^(.*\/)?(compose|docker-compose)\.override\.(ya?ml)$/;

/** The file Compose merges `file` into by default: `compose.override.yaml` → `compose.yaml` beside it, when that is in the workspace. */
function composeProjectFile(file: string, documents: readonly WorkspaceDocument[]): string {
  const match = OVERRIDE.exec(file);
  if (!match) return file;
  const base = `${match[1] ?? ''}${match[2]}.${match[3]}`;
  return documents.some((document) => document.file === base && document.compose) ? base : file;
}

function definesAnObjectTwice(documents: readonly WorkspaceDocument[]): boolean {
  const seen = new Map<string, string>();
  for (const document of documents) {
    for (const object of document.kubernetes) {
      if (!object.name) continue;
      const identity = `${object.namespace ?? 'default'}/${object.objectKind}/${object.name}`;
      const first = seen.get(identity);
      if (first !== undefined && first !== document.file) return true;
      seen.set(identity, document.file);
    }
  }
  return false;
}

class SystemBuilder {
  private readonly id: string;
  private readonly zones = new Map<string, MutableZone>();
  private readonly nodes = new Map<string, MutableNode>();
  private readonly edges: MutableEdge[] = [];
  /** Where findings may sit: the smallest extent containing a finding wins, the first registered on a tie. */
  private readonly extents: Extent[] = [];

  constructor(
    private readonly unit: Unit,
    private readonly display: (file: string) => string,
    private readonly options: AnalysisOptions,
    private readonly sources: DiagramSources,
  ) {
    this.id = this.local(unit.key);
  }

  get files(): readonly string[] {
    return this.unit.files;
  }

  /** Reads the unit's zones, components and arrows. */
  collect(): void {
    if (this.unit.kind === 'compose' || this.unit.kind === 'kubernetes') this.addDeployment();
    else this.addModel();
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
    const label = this.unit.key.endsWith('/') ? `${folderLabel(this.display(first))}/` : this.unit.files.map(this.display).join(' + ');
    return { id: this.id, label, kind: this.unit.kind, source: this.source({ file: first, range: { start: 0, end: 0 } }), zones, nodes, edges: withIds, otherFindings };
  }

  // --- compose files and Kubernetes manifests -------------------------------------------------

  private addDeployment(): void {
    const documents = this.unit.kind === 'compose' ? this.unit.documents.map((document) => ({ ...document, kubernetes: [] })) : this.unit.documents.map((document) => ({ ...document, compose: undefined }));
    const boundaries = computeTrustBoundaries(documents, this.options);
    const secrets = secretIndex(boundaries.secrets);
    for (const zone of boundaries.zones) {
      this.zone(zone.id, zone.label, zone.source === 'compose-network' ? 'compose-network' : 'kubernetes-namespace', zone.trust, undefined, zone.place);
    }
    const components = new Map(boundaries.zones.flatMap((zone) => zone.components.map((component) => [component.id, component] as const)));
    const byPlace = new Map<string, string>();
    for (const component of components.values()) {
      const zoneIds = component.zones.map((id) => this.qualify(id));
      // A service on several networks is drawn where it is most exposed, and linked to the others.
      const primary = [...zoneIds].sort((a, b) => trustOrder(this.zones.get(a)?.trust) - trustOrder(this.zones.get(b)?.trust))[0];
      this.node(component.id, component.label, component.type, undefined, primary, zoneIds.filter((id) => id !== primary), component.place, component.extent, component.secrets.map(secrets));
      byPlace.set(placeKey(component.place), this.qualify(component.id));
    }
    for (const component of components.values()) {
      for (const flow of component.outbound) {
        const kind: DiagramEdgeKind = flow.label.startsWith('can reach') ? 'reachability' : 'flow';
        this.edge(flow.from, flow.to, kind, flow.label, flow.crossesBoundary, flow.missingControls, flow.place, []);
      }
    }
    if (this.unit.kind === 'compose') this.addComposeExposure(byPlace);
    else this.addKubernetesExposure(byPlace);
  }

  /** Published ports on all interfaces: reachable from any network that reaches the host. */
  private addComposeExposure(byPlace: Map<string, string>): void {
    for (const document of this.unit.documents) {
      const model = document.compose;
      if (!model) continue;
      const at = (range: OffsetRange) => placeIn(document, range);
      for (const mount of composeHostMounts(model)) this.tcbAt(at(mount.range), runtimeSocketOf(mount) ? `mounts the ${runtimeSocketOf(mount)} socket` : undefined);
      for (const service of model.services) {
        const node = byPlace.get(placeKey(at(service.keyRange)));
        if (!node) continue;
        if (service.image) this.nodes.get(node)!.detail = service.image.value;
        const access = composeHostAccess(model.tree, service);
        if (access.length > 0) this.markTcb(node, access.map((item) => `host access (${item.reason})`));
        const published = service.ports.filter(publishedOnAllInterfaces);
        if (published.length === 0) continue;
        const outside = this.outside('any host network');
        const ports = published.map((port) => (port.published ? `${port.published} → ${port.target ?? '?'}` : `${port.target ?? '?'} (random host port)`));
        const extents = published.map((port) => at(portRange(model.tree, port)));
        this.edgeBetween(outside, node, 'exposure', `publishes ${ports.join(', ')} on all interfaces`, true, [], extents[0], extents);
      }
    }
  }

  /** LoadBalancer and NodePort Services and Ingresses take traffic from outside the cluster. */
  private addKubernetesExposure(byPlace: Map<string, string>): void {
    for (const document of this.unit.documents) {
      const at = (range: OffsetRange) => placeIn(document, range);
      for (const object of document.kubernetes) {
        const node = byPlace.get(placeKey(at(object.anchor)));
        if (!node) continue;
        if (object.podSpec) {
          const access = hostLevelAccess(object);
          if (access.length > 0) this.markTcb(node, access.map((item) => `host access (${item.reason})`));
          for (const mount of kubernetesHostMounts(object)) this.tcbAt(at(mount.range), runtimeSocketOf(mount) ? `mounts the ${runtimeSocketOf(mount)} socket` : undefined);
        }
        const service = readService(object);
        if (service && isExternallyReachable(service)) {
          const outside = this.outside('outside the cluster');
          const typeRange = rangeOf(service.typeNode);
          const extents = [typeRange, ...service.ports.map((port) => rangeOf(port.node))].filter((range): range is OffsetRange => range !== undefined).map(at);
          this.edgeBetween(outside, node, 'exposure', `Service of type ${service.type}`, true, [], extents[0] ?? at(object.anchor), extents);
        } else if (object.objectKind === 'Ingress') {
          const outside = this.outside('outside the cluster');
          const spec = object.tree.get(object.root, 'spec');
          const specRange = rangeOf(spec);
          this.edgeBetween(outside, node, 'exposure', 'HTTP routes from outside the cluster', true, [], at(object.anchor), specRange ? [at(specRange)] : []);
        }
      }
    }
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

  /** Marks the component whose definition holds `place` (a host mount) as part of the TCB. */
  private tcbAt(place: Place, reason: string | undefined): void {
    if (!reason) return;
    for (const node of this.nodes.values()) {
      const extent = node.extent;
      if (extent && extent.file === place.file && extent.range.start <= place.range.start && place.range.end <= extent.range.end) this.markTcb(node.id, [reason]);
    }
  }

  private markTcb(node: string, reasons: readonly string[]): void {
    const target = this.nodes.get(node);
    if (!target) return;
    const all = [...(target.tcb?.reasons ?? []), ...reasons];
    target.tcb = { reasons: unique(all) };
  }

  // --- architecture models ---------------------------------------------------------------------

  private addModel(): void {
    const boundaries = architectureBoundaries(this.unit.documents, this.options);
    const secrets = secretIndex(boundaries.secrets);
    // Facts the architecture view does not carry yet (nesting, the trusted core, a flow's whole
    // definition), read from the model under the view's ids; they belong in the view itself.
    const components = new Map<string, ArchitectureComponent>();
    const parents = new Map<string, string>();
    const zoneNames = new Map<string, { label: string; detail?: string }>();
    const flowExtents = new Map<string, Place>();
    for (const document of this.unit.documents) {
      const model = document.architecture!;
      const at = (range: OffsetRange) => placeIn(document, range);
      for (const component of model.components) components.set(`architecture:${document.file}#${component.id}`, component);
      for (const zone of model.zones) {
        const id = `architecture:${document.file}#zone:${zone.id}`;
        if (zone.parent) parents.set(id, `architecture:${document.file}#zone:${zone.parent.value}`);
        // The view appends how a level was derived to the label; the drawing keeps that for the tooltip.
        zoneNames.set(id, { label: zone.label ?? zone.id, detail: zone.derivedTrust ? `trust ${zone.derivedTrust.reason}` : undefined });
      }
      for (const flow of model.flows) {
        const end = flow.node?.range?.[1];
        flowExtents.set(placeKey(at(flow.range)), at(end !== undefined && end > flow.range.start ? { start: flow.range.start, end } : flow.range));
      }
    }
    for (const zone of boundaries.zones) {
      const parent = parents.get(zone.id);
      const kind: DiagramZoneKind = zone.id.endsWith('#zone:(none)') ? 'no-zone' : 'architecture-zone';
      const name = zoneNames.get(zone.id);
      this.zone(zone.id, name?.label ?? zone.label, kind, zone.trust, parent, zone.place, zone.extent, name?.detail);
    }
    for (const zone of this.zones.values()) if (zone.parent !== undefined && !this.zones.has(zone.parent)) zone.parent = undefined;
    breakParentCycles(this.zones);
    for (const zone of boundaries.zones) {
      for (const view of zone.components) {
        const component = components.get(view.id);
        const tcb = component?.inTcb ? { reasons: [component.tcb?.value ? 'stated in the model (tcb: true)' : `its type (${component.componentType}) belongs to the trusted core`] } : undefined;
        this.node(view.id, view.label, modelNodeKind(component?.componentType), component?.type?.value, this.qualify(zone.id), [], view.place, view.extent, view.secrets.map(secrets), tcb);
      }
    }
    for (const zone of boundaries.zones) {
      for (const view of zone.components) {
        for (const flow of view.outbound) {
          const extent = flowExtents.get(placeKey(flow.place));
          this.edge(flow.from, flow.to, 'flow', flow.label, flow.crossesBoundary, flow.missingControls, flow.place, extent ? [extent] : [flow.place]);
        }
      }
    }
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

  private node(id: string, label: string, kind: DiagramNodeKind, detail: string | undefined, zone: string, alsoIn: string[], place: Place, extent: Place, secrets: DiagramSecret[], tcb?: { reasons: string[] }): void {
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
  detail?: string;
  tcb?: { reasons: string[] };
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

function modelNodeKind(type: ComponentType | undefined): DiagramNodeKind {
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

/** Files shown relative to the folder all of them share, decoded from URIs. */
function displayNames(files: readonly string[]): (file: string) => string {
  const decoded = (file: string) => {
    const path = file.replace(/^file:\/\/[^/]*/, '');
    try {
      return decodeURIComponent(path);
    } catch {
      return path;
    }
  };
  const folders = unique(files.map((file) => folderOf(decoded(file))));
  let common = folders[0] ?? '';
  for (const folder of folders) while (common && folder !== common && !folder.startsWith(`${common}/`)) common = folderOf(common) === common ? '' : folderOf(common);
  return (file) => {
    const path = decoded(file);
    return common && path.startsWith(`${common}/`) ? path.slice(common.length + 1) : path;
  };
}

function folderLabel(fileLabel: string): string {
  const folder = folderOf(fileLabel);
  return folder === '.' ? '.' : folder;
}

function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : slash === 0 ? '/' : file.slice(0, slash);
}

/** A range of a document's segment as a place in its file. */
function placeIn(document: WorkspaceDocument, range: OffsetRange): Place {
  return { file: document.file, range: { start: range.start + document.offset, end: range.end + document.offset } };
}

function placeKey(place: Place): string {
  return `${place.file}\u0000${place.range.start}`;
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
