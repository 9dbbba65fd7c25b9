import { rangeOf, type YamlTree } from '../../core/tree';
import { ownValue, TRUST_LEVELS, type AnalysisOptions, type TrustLevel } from '../../core/options';
import type { OffsetRange } from '../../core/types';
import { serviceList, type ComposeService } from '../../model/compose';
import { declaredContainers, namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import { isDatastoreImage } from '../../model/names';
import { placeIn, type AnalyzedDocument, type Place } from '../../model/documents';
import { isEmptySelector, matches, objectLabels, podLabels, type LabelSelector } from '../../model/labels';
import { networkPolicy } from '../../model/networkPolicies';
import { ingressBackends, isExternallyReachable, readService } from '../../model/services';
import { composeHostAccess, publishedOnAllInterfaces } from '../../model/compose';
import { composeHostMounts, kubernetesHostMounts } from '../../model/hostMounts';
import { hostLevelAccess } from '../../model/podSecurity';
import { portRange } from '../../rules/shared/exposure';
import { runtimeSocketOf } from '../../rules/shared/hostMounts';
import type { ViewedSystem } from './systems';

export type { Place };

export interface BoundaryFlow {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** The flow leaves the zone(s) its source sits in. */
  readonly crossesBoundary: boolean;
  readonly missingControls: readonly string[];
  readonly place?: Place;
  /** declared (depends_on, Service → pods, Ingress → Service, NetworkPolicy) or possible without being declared (a shared network). */
  readonly kind: 'flow' | 'reachability';
}

/** What reaches a component from outside its system: published ports, LoadBalancer/NodePort Services, Ingresses. */
export interface BoundaryExposure {
  /** `any host network` (compose) or `outside the cluster` (Kubernetes). */
  readonly from: string;
  readonly label: string;
  readonly place: Place;
  /** The text that makes it reachable (ports, `type:`, the Ingress spec): findings inside it belong to the exposure. */
  readonly extents: readonly Place[];
}

export interface BoundaryComponent {
  readonly id: string;
  readonly label: string;
  readonly type: 'service' | 'datastore' | 'workload' | 'gateway';
  /** The name to reveal. */
  readonly place: Place;
  /** The whole definition: findings inside it count for the component. */
  readonly extent: Place;
  readonly zones: readonly string[];
  readonly inbound: BoundaryFlow[];
  readonly outbound: BoundaryFlow[];
  /** Labels of the secrets it holds (filled in by the view from the model's secret holding). */
  readonly secrets: string[];
  /** The image of a compose service, the kind of a Kubernetes object. */
  detail?: string;
  /** The images its containers run (as written; empty for Services and Ingresses). */
  readonly images: string[];
  /** Set when it shares the host (privileged, host namespaces, the runtime socket): part of the trusted computing base. */
  tcb?: { readonly reasons: readonly string[] };
  readonly exposures: BoundaryExposure[];
}

export interface BoundaryZone {
  readonly id: string;
  readonly label: string;
  readonly source: 'compose-network' | 'kubernetes-namespace';
  readonly trust?: TrustLevel;
  readonly place?: Place;
  readonly components: BoundaryComponent[];
  /** Names of the NetworkPolicies of a Kubernetes namespace: without one, a namespace separates no traffic. */
  readonly networkPolicies?: readonly string[];
}

/** Bounds the answer on huge clusters: flows beyond this are left out (the tree view stays usable). */
const MAX_FLOWS = 2000;

/** The view's id of a compose service: one per compose file (its override file adds to it, see `composeProjectFile`). */
export function composeComponentId(projectFile: string, service: string): string {
  return `compose:${projectFile}:${service}`;
}

/** The view's id of a Kubernetes workload, qualified by its system (a folder or a file) so same-named objects of two systems never merge. */
export function workloadComponentId(system: string, object: KubernetesObject): string {
  return `k8s:${system}:${namespaceOf(object)}/${object.kind}/${object.name ?? '?'}`;
}

/**
 * Trust zones from what the deployment files already say: compose networks (per project folder;
 * services with no `networks:` are on the project's `default`) and Kubernetes namespaces.
 * Components are services and workloads; flows come from depends_on/links, shared networks to a
 * datastore, Service → workload selectors, Ingress → Service backends and NetworkPolicy ingress.
 */
export function deploymentZones(system: ViewedSystem, options: AnalysisOptions): BoundaryZone[] {
  const builder = new Builder(options, system.kind === 'compose' ? system.files[0] : system.id.slice(system.id.indexOf(':') + 1));
  if (system.kind === 'compose') for (const document of system.documents) if (document.compose) builder.addCompose(document);
  if (system.kind === 'kubernetes') builder.addKubernetes(system.documents.flatMap((document) => document.kubernetes.map((object) => ({ document, object }))));
  return builder.result();
}

/** A component's extent holds `place` (a host mount). */
function holds(extent: Place, place: Place): boolean {
  return extent.file === place.file && extent.range.start <= place.range.start && place.range.end <= extent.range.end;
}

class Builder {
  private readonly zones = new Map<string, BoundaryZone>();
  private readonly components = new Map<string, BoundaryComponent>();
  private flows = 0;

  /** `unit`: the compose project's base file, or the manifests' folder or file. */
  constructor(
    private readonly options: AnalysisOptions,
    private readonly unit: string,
  ) {}

  addCompose(document: AnalyzedDocument): void {
    const model = document.compose!;
    const project = this.unit;
    const at = (range: OffsetRange) => placeIn(document, range);
    const definedNetworks = new Map(model.networks.map((network) => [network.name, network]));
    const added: Array<{ service: ComposeService; id: string }> = [];
    for (const service of model.services) {
      const id = composeComponentId(project, service.name);
      const networks = service.networks.length > 0 ? service.networks.map((n) => n.name) : isHostNetwork(model.tree, service) ? ['host'] : ['default'];
      const zoneIds = networks.map((network) => {
        const zoneId = `compose:${project}:network:${network}`;
        const defined = definedNetworks.get(network);
        this.zone(zoneId, network, 'compose-network', ownValue(this.options.networkZones, network), defined ? at(defined.range) : undefined);
        return zoneId;
      });
      const extent = at(rangeOf(service.node) ? { start: service.keyRange.start, end: rangeOf(service.node)!.end } : service.keyRange);
      const component = this.component(id, service.name, isDatastoreImage(service.image?.value) ? 'datastore' : 'service', at(service.keyRange), extent, zoneIds);
      if (service.image && !component.detail) component.detail = service.image.value;
      if (service.image && !component.images.includes(service.image.value)) component.images.push(service.image.value);
      this.markTcb(component, composeHostAccess(model.tree, service).map((access) => `host access (${access.reason})`));
      const published = service.ports.filter(publishedOnAllInterfaces);
      if (published.length > 0) {
        const ports = published.map((port) => (port.published ? `${port.published} → ${port.target ?? '?'}` : `${port.target ?? '?'} (random host port)`));
        const extents = published.map((port) => at(portRange(model.tree, port)));
        component.exposures.push({ from: 'any host network', label: `publishes ${ports.join(', ')} on all interfaces`, place: extents[0], extents });
      }
      added.push({ service, id });
    }
    for (const mount of composeHostMounts(model)) {
      const socket = runtimeSocketOf(mount);
      if (!socket) continue;
      for (const { id } of added) {
        const component = this.components.get(id)!;
        if (holds(component.extent, at(mount.range))) this.markTcb(component, [`mounts the ${socket} socket`]);
      }
    }
    for (const { service, id } of added) {
      if (!service.node) continue;
      for (const key of ['depends_on', 'links']) {
        const pair = model.tree.pair(service.node, key);
        if (!pair) continue;
        for (const target of serviceList(model.tree, model.tree.resolve(pair.value))) {
          const name = key === 'links' ? target.split(':')[0] : target;
          const targetId = composeComponentId(project, name);
          if (this.components.has(targetId)) this.flow(id, targetId, key === 'links' ? 'links to' : 'depends on', undefined, at(rangeOf(pair.key)!));
        }
      }
    }
    // Every service on a datastore's network can reach it, whether or not a flow was declared.
    for (const { id } of added) {
      const component = this.components.get(id)!;
      if (component.type !== 'datastore') continue;
      for (const other of added) {
        const source = this.components.get(other.id)!;
        if (source.id === id || source.outbound.some((flow) => flow.to === id)) continue;
        const shared = source.zones.find((zone) => component.zones.includes(zone));
        if (shared) this.flow(source.id, id, `can reach over network ${this.zones.get(shared)!.label}`, undefined, component.place, 'reachability');
      }
    }
  }

  addKubernetes(objects: ReadonlyArray<{ document: AnalyzedDocument; object: KubernetesObject }>): void {
    const workloads: Array<{ id: string; namespace: string; labels: Readonly<Record<string, string>> }> = [];
    const services: Array<{ id: string; namespace: string; name: string; selector?: LabelSelector }> = [];
    const namespaceLabels = new Map<string, Record<string, string>>();
    for (const { document, object } of objects) {
      const at = (range: OffsetRange) => placeIn(document, range);
      const namespace = object.namespace ?? 'default';
      if (object.kind === 'Namespace' && object.name) {
        namespaceLabels.set(object.name, { ...objectLabels(object), 'kubernetes.io/metadata.name': object.name });
        this.zone(`k8s:${this.unit}:namespace:${object.name}`, object.name, 'kubernetes-namespace', ownValue(this.options.namespaceZones, object.name), at(object.subjectRange));
        continue;
      }
      const extent = at(rangeOf(object.root) ?? object.subjectRange);
      const zoneId = `k8s:${this.unit}:namespace:${namespace}`;
      if (object.podSpec) {
        this.zone(zoneId, namespace, 'kubernetes-namespace', ownValue(this.options.namespaceZones, namespace));
        const id = workloadComponentId(this.unit, object);
        const images = declaredContainers(object).map((container) => container.image?.value);
        const component = this.component(id, `${object.kind} ${object.name ?? '?'}`, images.some(isDatastoreImage) ? 'datastore' : 'workload', at(object.subjectRange), extent, [zoneId]);
        component.detail ??= object.kind;
        for (const image of images) if (image !== undefined && !component.images.includes(image)) component.images.push(image);
        this.markTcb(component, hostLevelAccess(object).map((access) => `host access (${access.reason})`));
        for (const mount of kubernetesHostMounts(object)) {
          const socket = runtimeSocketOf(mount);
          if (socket) this.markTcb(component, [`mounts the ${socket} socket`]);
        }
        workloads.push({ id, namespace, labels: podLabels(object) });
      } else if (readService(object) && object.name) {
        this.zone(zoneId, namespace, 'kubernetes-namespace', ownValue(this.options.namespaceZones, namespace));
        const id = `k8s:${this.unit}:${namespace}/Service/${object.name}`;
        const service = readService(object)!;
        const component = this.component(id, `Service ${object.name}`, 'service', at(object.subjectRange), extent, [zoneId]);
        component.detail ??= `Service (${service.type})`;
        if (isExternallyReachable(service)) {
          const extents = [rangeOf(service.typeNode), ...service.ports.map((port) => rangeOf(port.node))].filter((range): range is OffsetRange => range !== undefined).map(at);
          component.exposures.push({ from: 'outside the cluster', label: `Service of type ${service.type}`, place: extents[0] ?? at(object.subjectRange), extents });
        }
        services.push({ id, namespace, name: object.name, selector: service.selector });
      } else if (object.kind === 'Ingress' && object.name) {
        this.zone(zoneId, namespace, 'kubernetes-namespace', ownValue(this.options.namespaceZones, namespace));
        const id = `k8s:${this.unit}:${namespace}/Ingress/${object.name}`;
        const component = this.component(id, `Ingress ${object.name}`, 'gateway', at(object.subjectRange), extent, [zoneId]);
        component.detail ??= 'Ingress';
        const spec = rangeOf(object.tree.get(object.root, 'spec'));
        component.exposures.push({ from: 'outside the cluster', label: 'HTTP routes from outside the cluster', place: at(object.subjectRange), extents: spec ? [at(spec)] : [] });
      }
    }
    for (const service of services) {
      if (!service.selector || isEmptySelector(service.selector)) continue;
      for (const workload of workloads) {
        if (workload.namespace === service.namespace && matches(service.selector, workload.labels)) this.flow(service.id, workload.id, 'routes to', undefined, this.components.get(service.id)!.place);
      }
    }
    for (const { document, object } of objects) {
      const at = (range: OffsetRange) => placeIn(document, range);
      const namespace = object.namespace ?? 'default';
      if (object.kind === 'Ingress' && object.name) {
        const ingressId = `k8s:${this.unit}:${namespace}/Ingress/${object.name}`;
        for (const backend of ingressBackends(object)) {
          const target = `k8s:${this.unit}:${namespace}/Service/${backend}`;
          if (this.components.has(target)) this.flow(ingressId, target, 'forwards to', undefined, at(object.subjectRange));
        }
      } else if (networkPolicy(object) && object.name) {
        const zoneId = `k8s:${this.unit}:namespace:${namespace}`;
        const zone = this.zones.get(zoneId);
        if (zone) this.zones.set(zoneId, { ...zone, networkPolicies: [...(zone.networkPolicies ?? []), object.name] });
        this.policyFlows(object, namespace, workloads, namespaceLabels, at(object.subjectRange));
      }
    }
  }

  private policyFlows(object: KubernetesObject, namespace: string, workloads: ReadonlyArray<{ id: string; namespace: string; labels: Readonly<Record<string, string>> }>, namespaceLabels: Map<string, Record<string, string>>, place: Place): void {
    const policy = networkPolicy(object)!;
    const podSelector = policy.podSelector ?? { matchLabels: {}, expressions: [] };
    const selected = workloads.filter((w) => w.namespace === namespace && matches(podSelector, w.labels));
    for (const rule of policy.ingress) {
      for (const { pods, namespaces } of rule.from) {
        if (!pods && !namespaces) continue; // ipBlock: outside the cluster's workloads
        const sources = workloads.filter((w) => {
          const inNamespace = namespaces ? matches(namespaces, namespaceLabels.get(w.namespace) ?? { 'kubernetes.io/metadata.name': w.namespace }) : w.namespace === namespace;
          return inNamespace && (!pods || matches(pods, w.labels));
        });
        for (const source of sources) for (const target of selected) if (source.id !== target.id) this.flow(source.id, target.id, `allowed by NetworkPolicy ${object.name}`, undefined, place);
      }
    }
  }

  private zone(id: string, label: string, source: BoundaryZone['source'], trust: TrustLevel | undefined, place?: Place): BoundaryZone {
    let zone = this.zones.get(id);
    if (!zone) {
      zone = { id, label, source, trust, place, components: [] };
      this.zones.set(id, zone);
    } else if (!zone.place && place) {
      zone = { ...zone, place };
      this.zones.set(id, zone);
    }
    return zone;
  }

  /** A component defined twice (a compose override file) is one component: the first definition places it. */
  private component(id: string, label: string, type: BoundaryComponent['type'], place: Place, extent: Place, zones: string[]): BoundaryComponent {
    const existing = this.components.get(id);
    if (existing) {
      for (const zone of zones) if (!existing.zones.includes(zone)) (existing.zones as string[]).push(zone);
      return existing;
    }
    const component: BoundaryComponent = { id, label, type, place, extent, zones: [...zones], inbound: [], outbound: [], secrets: [], exposures: [], images: [] };
    this.components.set(id, component);
    return component;
  }

  private markTcb(component: BoundaryComponent, reasons: readonly string[]): void {
    if (reasons.length === 0) return;
    component.tcb = { reasons: [...new Set([...(component.tcb?.reasons ?? []), ...reasons])].sort() };
  }

  private flow(from: string, to: string, label: string, missingControls: string[] | undefined, place?: Place, kind: BoundaryFlow['kind'] = 'flow'): void {
    if (this.flows >= MAX_FLOWS) return;
    const source = this.components.get(from);
    const target = this.components.get(to);
    if (!source || !target) return;
    if (source.outbound.some((flow) => flow.to === to && flow.label === label)) return;
    const crossesBoundary = !target.zones.every((zone) => source.zones.includes(zone)) || !source.zones.some((zone) => target.zones.includes(zone));
    const flow: BoundaryFlow = { from, to, label, crossesBoundary, missingControls: missingControls ?? [], place, kind };
    source.outbound.push(flow);
    target.inbound.push(flow);
    this.flows++;
  }

  result(): BoundaryZone[] {
    for (const component of this.components.values()) {
      for (const zoneId of component.zones) this.zones.get(zoneId)?.components.push(component);
    }
    const rank = (zone: BoundaryZone) => (zone.trust ? TRUST_LEVELS.indexOf(zone.trust) : -1);
    const zones = [...this.zones.values()].filter((zone) => zone.components.length > 0 || zone.place).sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
    return zones;
  }
}

function isHostNetwork(tree: YamlTree, service: ComposeService): boolean {
  return service.node !== undefined && tree.string(service.node, 'network_mode') === 'host';
}
