import { rangeOf, type YamlTree } from '../../core/tree';
import { ownValue, TRUST_LEVELS, type AnalysisOptions, type TrustLevel } from '../../core/options';
import type { OffsetRange } from '../../core/types';
import { serviceList, type ComposeService } from '../../model/compose';
import { declaredContainers, namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import { isDatastoreImage } from '../../model/names';
import { placeIn, type AnalyzedDocument, type Place } from '../../model/documents';
import { folderOf } from '../../model/systems';
import { isEmptySelector, matches, objectLabels, podLabels, type LabelSelector } from '../../model/labels';
import { networkPolicy } from '../../model/networkPolicies';
import { ingressBackends, readService } from '../../model/services';

export type { Place };

export interface BoundaryFlow {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** The flow leaves the zone(s) its source sits in. */
  readonly crossesBoundary: boolean;
  readonly missingControls: readonly string[];
  readonly place?: Place;
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
}

export interface BoundaryZone {
  readonly id: string;
  readonly label: string;
  readonly source: 'compose-network' | 'kubernetes-namespace';
  readonly trust?: TrustLevel;
  readonly place?: Place;
  readonly components: BoundaryComponent[];
}

/** Bounds the answer on huge clusters: flows beyond this are left out (the tree view stays usable). */
const MAX_FLOWS = 2000;

/** The view's id of a compose service: services of one project folder are one component across override files. */
export function composeComponentId(file: string, service: string): string {
  return `compose:${folderOf(file)}:${service}`;
}

/** The view's id of a Kubernetes workload. */
export function workloadComponentId(object: KubernetesObject): string {
  return `k8s:${namespaceOf(object)}/${object.kind}/${object.name ?? '?'}`;
}

/**
 * Trust zones from what the deployment files already say: compose networks (per project folder;
 * services with no `networks:` are on the project's `default`) and Kubernetes namespaces.
 * Components are services and workloads; flows come from depends_on/links, shared networks to a
 * datastore, Service → workload selectors, Ingress → Service backends and NetworkPolicy ingress.
 */
export function deploymentZones(documents: readonly AnalyzedDocument[], options: AnalysisOptions): BoundaryZone[] {
  const builder = new Builder(options);
  for (const document of documents) if (document.compose) builder.addCompose(document);
  const kubernetes = documents.flatMap((document) => document.kubernetes.map((object) => ({ document, object })));
  builder.addKubernetes(kubernetes);
  return builder.result();
}

class Builder {
  private readonly zones = new Map<string, BoundaryZone>();
  private readonly components = new Map<string, BoundaryComponent>();
  private flows = 0;

  constructor(private readonly options: AnalysisOptions) {}

  addCompose(document: AnalyzedDocument): void {
    const model = document.compose!;
    const project = folderOf(document.file);
    const at = (range: OffsetRange) => placeIn(document, range);
    const definedNetworks = new Map(model.networks.map((network) => [network.name, network]));
    const added: Array<{ service: ComposeService; id: string }> = [];
    for (const service of model.services) {
      const id = composeComponentId(document.file, service.name);
      const networks = service.networks.length > 0 ? service.networks.map((n) => n.name) : isHostNetwork(model.tree, service) ? ['host'] : ['default'];
      const zoneIds = networks.map((network) => {
        const zoneId = `compose:${project}:network:${network}`;
        const defined = definedNetworks.get(network);
        this.zone(zoneId, network, 'compose-network', ownValue(this.options.networkZones, network), defined ? at(defined.range) : undefined);
        return zoneId;
      });
      const extent = at(rangeOf(service.node) ? { start: service.keyRange.start, end: rangeOf(service.node)!.end } : service.keyRange);
      this.component(id, service.name, isDatastoreImage(service.image?.value) ? 'datastore' : 'service', at(service.keyRange), extent, zoneIds);
      added.push({ service, id });
    }
    for (const { service, id } of added) {
      if (!service.node) continue;
      for (const key of ['depends_on', 'links']) {
        const pair = model.tree.pair(service.node, key);
        if (!pair) continue;
        for (const target of serviceList(model.tree, model.tree.resolve(pair.value))) {
          const name = key === 'links' ? target.split(':')[0] : target;
          const targetId = composeComponentId(document.file, name);
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
        if (shared) this.flow(source.id, id, `can reach over network ${this.zones.get(shared)!.label}`, undefined, component.place);
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
        this.zone(`k8s:namespace:${object.name}`, object.name, 'kubernetes-namespace', ownValue(this.options.namespaceZones, object.name), at(object.subjectRange));
        continue;
      }
      const extent = at(rangeOf(object.root) ?? object.subjectRange);
      const zoneId = `k8s:namespace:${namespace}`;
      if (object.podSpec) {
        this.zone(zoneId, namespace, 'kubernetes-namespace', ownValue(this.options.namespaceZones, namespace));
        const id = workloadComponentId(object);
        const images = declaredContainers(object).map((container) => container.image?.value);
        this.component(id, `${object.kind} ${object.name ?? '?'}`, images.some(isDatastoreImage) ? 'datastore' : 'workload', at(object.subjectRange), extent, [zoneId]);
        workloads.push({ id, namespace, labels: podLabels(object) });
      } else if (readService(object) && object.name) {
        this.zone(zoneId, namespace, 'kubernetes-namespace', ownValue(this.options.namespaceZones, namespace));
        const id = `k8s:${namespace}/Service/${object.name}`;
        this.component(id, `Service ${object.name}`, 'service', at(object.subjectRange), extent, [zoneId]);
        services.push({ id, namespace, name: object.name, selector: readService(object)!.selector });
      } else if (object.kind === 'Ingress' && object.name) {
        this.zone(zoneId, namespace, 'kubernetes-namespace', ownValue(this.options.namespaceZones, namespace));
        const id = `k8s:${namespace}/Ingress/${object.name}`;
        this.component(id, `Ingress ${object.name}`, 'gateway', at(object.subjectRange), extent, [zoneId]);
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
        const ingressId = `k8s:${namespace}/Ingress/${object.name}`;
        for (const backend of ingressBackends(object)) {
          const target = `k8s:${namespace}/Service/${backend}`;
          if (this.components.has(target)) this.flow(ingressId, target, 'forwards to', undefined, at(object.subjectRange));
        }
      } else if (networkPolicy(object) && object.name) {
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
    const component: BoundaryComponent = { id, label, type, place, extent, zones: [...zones], inbound: [], outbound: [], secrets: [] };
    this.components.set(id, component);
    return component;
  }

  private flow(from: string, to: string, label: string, missingControls: string[] | undefined, place?: Place): void {
    if (this.flows >= MAX_FLOWS) return;
    const source = this.components.get(from);
    const target = this.components.get(to);
    if (!source || !target) return;
    if (source.outbound.some((flow) => flow.to === to && flow.label === label)) return;
    const crossesBoundary = !target.zones.every((zone) => source.zones.includes(zone)) || !source.zones.some((zone) => target.zones.includes(zone));
    const flow: BoundaryFlow = { from, to, label, crossesBoundary, missingControls: missingControls ?? [], place };
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
