import { Document, isNode, type Node } from '../core/yaml';
import { imageProduct } from '../model/images';
import { isDatastoreImage } from '../model/names';
import { TRUST_LEVELS } from '../core/options';
import { fileLabel, systemLabel, type TrustBoundaryView, type ViewedComponent, type ViewedFlow, type ViewedSystem, type ViewedZone } from './trustBoundaries';

/**
 * `sbd export threagile`: a Threagile model skeleton (threagile_version 1.0.0) of what the
 * trust-boundary view derived from compose files and Kubernetes manifests, so a threat model
 * starts from the deployed truth instead of a blank file.
 *
 * - technical assets: compose services and Kubernetes workloads (type `datastore` for a database
 *   image, `process` otherwise; the technology from well-known images, `unknown-technology`
 *   otherwise) and Ingresses (`reverse-proxy`); one `external-entity` per system for what reaches
 *   its published ports, LoadBalancer/NodePort Services and Ingresses. Kubernetes Services are
 *   not assets: a link to a Service goes to the workloads it selects.
 * - trust boundaries: one `execution-environment` per compose file or manifest folder, nesting one
 *   boundary per compose network (`network-virtual-lan`) or namespace
 *   (`network-policy-namespace-isolation` when a NetworkPolicy is in it, else
 *   `execution-environment`: a namespace alone separates no traffic). Threagile puts an asset in
 *   one boundary: a service on several networks goes into the least trusted one.
 * - communication links: depends_on/links, Service → workload, Ingress → Service, NetworkPolicy
 *   admissions (`ip_filtered: true`), and the reach of every service on a datastore's network.
 * - data assets: each secret, processed by the components that hold it; a link to a datastore
 *   that holds a secret the caller holds too authenticates with `credentials`.
 * - shared runtimes: the Docker host of a compose file, the cluster of a manifest folder.
 *
 * What the deployment does not say (ratings, encryption, protocols of unknown services, how calls
 * are authenticated) is filled with Threagile's most neutral value and a `# set:` comment, so the
 * file loads in Threagile (every enumeration set, ids unique, `^[a-z0-9-]+$`) and reads back
 * without unknown ids. Architecture and Threagile models among the inputs are not exported.
 */
export interface ThreagileExport {
  readonly text: string;
  readonly counts: { readonly technicalAssets: number; readonly trustBoundaries: number; readonly communicationLinks: number; readonly dataAssets: number; readonly sharedRuntimes: number };
  /** Systems left out (architecture and Threagile models), as `display` names them. */
  readonly skipped: readonly string[];
}

export interface ThreagileExportOptions {
  /** The model's date, YYYY-MM-DD. */
  readonly date: string;
  /** A file as the reader should see it (relative to the working folder). */
  readonly display: (file: string) => string;
}

/** Threagile technologies of well-known images (by the product's name, `imageProduct`). */
const TECHNOLOGIES: ReadonlyArray<[RegExp, string]> = [
  [/(?:^|\/)(?:kafka|rabbitmq|nats|activemq|artemis|pulsar)(?:$|[-/])/, 'message-queue'],
  [/(?:^|\/)(?:elasticsearch|opensearch|solr|meilisearch|typesense)(?:$|[-/])/, 'search-index'],
  [/(?:^|\/)minio(?:$|[-/])/, 'file-storage'],
  [/(?:^|\/)vault(?:$|[-/])/, 'vault'],
  [/(?:^|\/)(?:keycloak|dex|authentik|authelia|zitadel)(?:$|[-/])|goauthentik\/server/, 'identity-provider'],
  [/(?:^|\/)(?:openldap|ldap)(?:$|[-/])/, 'ldap-server'],
  [/(?:^|\/)(?:nginx|traefik|haproxy|envoy|caddy|ingress-nginx)(?:$|[-/])/, 'reverse-proxy'],
  [/(?:^|\/)(?:httpd|apache)(?:$|[-/])/, 'web-server'],
  [/(?:^|\/)(?:prometheus|grafana|alertmanager|loki|node-exporter|jaeger|zipkin)(?:$|[-/])/, 'monitoring'],
  [/(?:^|\/)(?:jenkins|drone|woodpecker|gitlab-runner)(?:$|[-/])/, 'build-pipeline'],
  [/(?:^|\/)(?:gitea|gitlab(?:-ce|-ee)?|gogs|forgejo)(?:$|[-/])/, 'sourcecode-repository'],
  [/(?:^|\/)(?:registry|harbor[-\w]*|nexus3?)(?:$|[-/])/, 'artifact-registry'],
  [/(?:^|\/)(?:smtp|postfix|mailhog|mailpit)(?:$|[-/])/, 'mail-server'],
];

/** Protocols of a datastore by its image: SQL databases, the rest spoken by NoSQL clients. */
const SQL_IMAGE = /(?:^|\/)(?:postgres(?:ql)?|postgis|timescaledb|mysql|mariadb|mssql|oracle|cockroach|clickhouse|questdb)/;

type Yaml = Record<string, unknown>;

export function threagileSkeleton(view: TrustBoundaryView, options: ThreagileExportOptions): ThreagileExport {
  const systems = view.systems.filter((system) => system.kind === 'compose' || system.kind === 'kubernetes');
  const skipped = view.systems.filter((system) => !systems.includes(system)).map((system) => systemLabel(system, options.display));
  const ids = new Allocator('id');
  const titles = { asset: new Allocator('title'), boundary: new Allocator('title'), runtime: new Allocator('title'), data: new Allocator('title') };
  const comments: Array<{ path: readonly string[]; comment: string }> = [];
  const dataAssets: Yaml = {};
  const technicalAssets: Yaml = {};
  const trustBoundaries: Yaml = {};
  const sharedRuntimes: Yaml = {};
  let links = 0;

  // Secrets first: assets refer to them by id.
  const dataIdOf = new Map<string, string>();
  const exported = new Set(systems.flatMap((system) => zonesOf(view, system).flatMap((zone) => zone.components.map((component) => component.id))));
  for (const secret of view.secrets) {
    const holders = secret.holders.filter((holder) => exported.has(holder.component));
    if (holders.length === 0) continue;
    const id = ids.take(`secret-${slug(secret.secret.replace(/^the value of /, '').replace(/^secret\b/i, ''))}`);
    const title = titles.data.take(secret.secret);
    dataIdOf.set(secret.secret, id);
    dataAssets[title] = {
      id,
      description: `Held by ${holders.length} component${holders.length === 1 ? '' : 's'} of the deployment.`,
      usage: 'devops',
      tags: [],
      origin: 'the deployment',
      owner: '',
      quantity: 'very-few',
      confidentiality: 'confidential',
      integrity: 'critical',
      availability: 'operational',
      justification_cia_rating: 'A credential: whoever reads it acts as its holders.',
    };
    comments.push({ path: ['data_assets', title, 'owner'], comment: ' set: who decides who may hold it' });
  }

  for (const system of systems) {
    const label = systemLabel(system, options.display);
    const qualifier = slug(label);
    const zones = zonesOf(view, system);
    const components = new Map<string, { component: ViewedComponent; zone: ViewedZone }>();
    // Zones come least trusted first: a component on several networks lands in the first.
    for (const zone of zones) for (const component of zone.components) if (!components.has(component.id)) components.set(component.id, { component, zone });
    const isServiceObject = (component: ViewedComponent) => system.kind === 'kubernetes' && component.type === 'service';
    const assetIdOf = new Map<string, string>();
    const assetTitleOf = new Map<string, string>();
    for (const { component } of components.values()) {
      if (isServiceObject(component)) continue;
      assetIdOf.set(component.id, ids.take(slug(idBase(component)), qualifier));
      assetTitleOf.set(component.id, titles.asset.take(component.label, label));
    }
    // A Service is the workloads it routes to.
    const targetsOf = (id: string): string[] => {
      const entry = components.get(id);
      if (!entry) return [];
      if (!isServiceObject(entry.component)) return assetIdOf.has(id) ? [id] : [];
      return entry.component.outbound.filter((flow) => flow.label === 'routes to').map((flow) => flow.to).filter((to) => assetIdOf.has(to));
    };

    const assetsInZone = new Map<string, string[]>();
    const running: string[] = [];
    for (const { component, zone } of components.values()) {
      const id = assetIdOf.get(component.id);
      if (!id) continue;
      const title = assetTitleOf.get(component.id)!;
      const technology = technologyOf(component);
      const custom = technology === 'unknown-technology';
      const otherZones = zones.filter((other) => other !== zone && other.components.includes(component)).map((other) => other.label);
      const linksOut: Yaml = {};
      const linkTitles = new Allocator('title');
      // A datastore answers calls: that it could reach another over a shared network is no communication.
      const outbound = component.type === 'datastore' ? component.outbound.filter((flow) => flow.kind !== 'reachability') : component.outbound;
      for (const [targetId, flows] of groupFlows(outbound, targetsOf)) {
        const target = components.get(targetId)!.component;
        const shared = component.secrets.filter((secret) => target.secrets.includes(secret));
        const authenticated = target.type === 'datastore' && shared.length > 0;
        const linkTitle = linkTitles.take(`${flows[0].label} ${target.label}`);
        linksOut[linkTitle] = {
          target: assetIdOf.get(targetId)!,
          description: `${flows.map((flow) => flow.label).join('; ')} (${fileLabel(flows[0].place?.file ?? system.files[0], options.display)}).${flows.every((flow) => flow.kind === 'reachability') ? ' Reachable, not declared: remove the link if they do not talk.' : ''}`,
          protocol: protocolOf(component, target),
          authentication: authenticated ? 'credentials' : 'none',
          authorization: authenticated ? 'technical-user' : 'none',
          tags: [],
          vpn: false,
          ip_filtered: flows.some((flow) => flow.label.startsWith('allowed by NetworkPolicy')),
          readonly: false,
          usage: 'business',
          data_assets_sent: [],
          data_assets_received: [],
        };
        links++;
        const at = ['technical_assets', title, 'communication_links', linkTitle];
        if (!authenticated) comments.push({ path: [...at, 'authentication'], comment: ' set: the deployment does not show how this call is authenticated' });
        else comments.push({ path: [...at, 'authentication'], comment: ` both hold ${shared.join(', ')}` });
      }
      technicalAssets[title] = {
        id,
        description: [`${component.detail ?? component.type} in ${label}`, otherZones.length > 0 ? `also on ${otherZones.join(', ')}` : undefined, component.tcb ? `trusted computing base: ${component.tcb.reasons.join('; ')}` : undefined].filter(Boolean).join('; ') + '.',
        type: component.type === 'datastore' ? 'datastore' : 'process',
        usage: 'business',
        used_as_client_by_human: false,
        out_of_scope: false,
        justification_out_of_scope: '',
        size: 'service',
        technology,
        tags: [],
        internet: false,
        machine: 'container',
        encryption: 'none',
        owner: '',
        confidentiality: 'internal',
        integrity: 'important',
        availability: 'important',
        justification_cia_rating: '',
        multi_tenant: false,
        redundant: false,
        custom_developed_parts: custom,
        data_assets_processed: component.secrets.map((secret) => dataIdOf.get(secret)).filter((data): data is string => data !== undefined),
        data_assets_stored: [],
        data_formats_accepted: [],
        communication_links: linksOut,
      };
      comments.push({ path: ['technical_assets', title, 'confidentiality'], comment: ' set: rate confidentiality, integrity and availability' });
      if (component.type === 'datastore') comments.push({ path: ['technical_assets', title, 'encryption'], comment: ' set: how the data is encrypted at rest' });
      if (custom) comments.push({ path: ['technical_assets', title, 'technology'], comment: ` set: ${component.images?.[0] ?? 'its image'} is not a product this export knows` });
      assetsInZone.set(zone.id, [...(assetsInZone.get(zone.id) ?? []), id]);
      running.push(id);
    }

    // What reaches the system from outside: one external entity per kind of outside.
    const exposures = [...components.values()].flatMap(({ component }) => (component.exposures ?? []).map((exposure) => ({ component, exposure })));
    for (const [from, group] of groupBy(exposures, (entry) => entry.exposure.from)) {
      const id = ids.take(slug(`outside ${label}`));
      const title = titles.asset.take(`Clients ${from.startsWith('outside') ? from : `on ${from}`} (${label})`);
      const linksIn: Yaml = {};
      const linkTitles = new Allocator('title');
      for (const { component, exposure } of group) {
        for (const targetId of targetsOf(component.id)) {
          const linkTitle = linkTitles.take(`${exposure.label} to ${components.get(targetId)!.component.label}`);
          linksIn[linkTitle] = {
            target: assetIdOf.get(targetId)!,
            description: `${exposure.label} (${fileLabel(exposure.place.file, options.display)}).`,
            protocol: 'unknown-protocol',
            authentication: 'none',
            authorization: 'none',
            tags: [],
            vpn: false,
            ip_filtered: false,
            readonly: false,
            usage: 'business',
            data_assets_sent: [],
            data_assets_received: [],
          };
          links++;
          comments.push({ path: ['technical_assets', title, 'communication_links', linkTitle, 'protocol'], comment: ' set: the protocol served there (https, http…) and how callers are authenticated' });
        }
      }
      technicalAssets[title] = {
        id,
        description: `Whatever reaches ${label} from ${from}: who that is, the deployment does not say.`,
        type: 'external-entity',
        usage: 'business',
        used_as_client_by_human: false,
        out_of_scope: false,
        justification_out_of_scope: '',
        size: 'system',
        technology: 'client-system',
        tags: [],
        internet: false,
        machine: 'virtual',
        encryption: 'none',
        owner: '',
        confidentiality: 'public',
        integrity: 'operational',
        availability: 'operational',
        justification_cia_rating: '',
        multi_tenant: false,
        redundant: false,
        custom_developed_parts: false,
        data_assets_processed: [],
        data_assets_stored: [],
        data_formats_accepted: [],
        communication_links: linksIn,
      };
      comments.push({ path: ['technical_assets', title, 'internet'], comment: ' set: true when this is the internet' });
    }

    const nested: string[] = [];
    for (const zone of zones) {
      const inside = assetsInZone.get(zone.id) ?? [];
      if (inside.length === 0) continue;
      const id = ids.take(slug(`${zone.source === 'compose-network' ? 'network' : 'namespace'} ${zone.label}`), qualifier);
      const title = titles.boundary.take(`${zone.source === 'compose-network' ? 'Network' : 'Namespace'} ${zone.label}`, label);
      const policies = zone.networkPolicies ?? [];
      const type = zone.source === 'compose-network' ? (zone.label === 'host' ? 'execution-environment' : 'network-virtual-lan') : policies.length > 0 ? 'network-policy-namespace-isolation' : 'execution-environment';
      const level = zone.trust ? `trust level ${zone.trust} (${TRUST_LEVELS.indexOf(zone.trust) + 1} of ${TRUST_LEVELS.length})` : 'no trust level configured';
      const kind = zone.source === 'compose-network' ? (zone.label === 'host' ? "the host's network namespace (network_mode: host)" : `compose network ${zone.label}`) : `namespace ${zone.label}${policies.length > 0 ? `, isolated by NetworkPolicy ${policies.join(', ')}` : ', no NetworkPolicy: it separates no traffic'}`;
      trustBoundaries[title] = { id, description: `${kind}; ${level}.`, type, tags: [], technical_assets_inside: inside, trust_boundaries_nested: [] };
      nested.push(id);
    }
    if (nested.length > 0) {
      const id = ids.take(slug(`${system.kind === 'compose' ? 'compose' : 'manifests'} ${label}`));
      const title = titles.boundary.take(`${system.kind === 'compose' ? 'Compose project' : 'Manifests'} ${label}`);
      trustBoundaries[title] = { id, description: `Everything ${label} deploys.`, type: 'execution-environment', tags: [], technical_assets_inside: [], trust_boundaries_nested: nested };
    }
    if (running.length > 0) {
      const id = ids.take(slug(`${system.kind === 'compose' ? 'docker host' : 'cluster'} ${label}`));
      const title = titles.runtime.take(system.kind === 'compose' ? `Docker host of ${label}` : `Kubernetes cluster of ${label}`);
      sharedRuntimes[title] = { id, description: system.kind === 'compose' ? 'Compose runs every service of the file on one Docker host.' : 'The manifests are applied to one cluster.', tags: [], technical_assets_running: running };
    }
  }

  const inputs = systems.map((system) => systemLabel(system, options.display));
  const model: Yaml = {
    threagile_version: '1.0.0',
    title: `Deployment of ${inputs.length > 0 ? shorten(inputs) : 'nothing'}`,
    date: options.date,
    author: { name: '', homepage: '' },
    management_summary_comment: 'Derived from the deployment files by sbd export threagile: a starting point, not a threat model.',
    business_criticality: 'important',
    business_overview: { description: '', images: [] },
    technical_overview: { description: `Derived from ${inputs.join(', ') || 'no deployment file'}.`, images: [] },
    questions: {},
    abuse_cases: {},
    security_requirements: {},
    tags_available: [],
    data_assets: dataAssets,
    technical_assets: technicalAssets,
    trust_boundaries: trustBoundaries,
    shared_runtimes: sharedRuntimes,
    individual_risk_categories: {},
    risk_tracking: {},
  };
  const document = new Document(model);
  document.commentBefore = [
    ' Threagile model skeleton derived by `sbd export threagile` from the deployment:',
    ...inputs.map((input) => `   ${input}`),
    ' It is a starting point, not a threat model: assets, boundaries, links and secrets are what the',
    ' files deploy; ratings, encryption, protocols and authentication they do not state carry a',
    ' neutral value and a "set:" comment. Review every one before you rely on what Threagile reports.',
  ].join('\n');
  const business = document.get('business_criticality', true);
  if (isNode(business)) (business as Node).comment = ' set: how critical the system is to the business';
  for (const { path, comment } of comments) {
    const node = document.getIn(path, true);
    if (isNode(node)) (node as Node).comment = comment;
  }
  const written = document.toString({ lineWidth: 0 });
  const text = written.endsWith('\n') ? written : `${written}\n`;
  return {
    text,
    counts: { technicalAssets: Object.keys(technicalAssets).length, trustBoundaries: Object.keys(trustBoundaries).length, communicationLinks: links, dataAssets: Object.keys(dataAssets).length, sharedRuntimes: Object.keys(sharedRuntimes).length },
    skipped,
  };
}

function zonesOf(view: TrustBoundaryView, system: ViewedSystem): ViewedZone[] {
  return view.zones.filter((zone) => zone.system === system.id);
}

/** Flows of one component grouped by the asset they reach (a Service stands for its workloads). */
function groupFlows(flows: readonly ViewedFlow[], targetsOf: (id: string) => string[]): Map<string, ViewedFlow[]> {
  const byTarget = new Map<string, ViewedFlow[]>();
  for (const flow of flows) {
    for (const target of targetsOf(flow.to)) byTarget.set(target, [...(byTarget.get(target) ?? []), flow]);
  }
  return byTarget;
}

/** A workload's id is its name (`Deployment api` → `api`); an Ingress keeps its kind, as it often shares the name of what it routes to. */
function idBase(component: ViewedComponent): string {
  if (component.type === 'gateway') return component.label;
  return component.label.replace(/^(?:Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|Pod) /, '');
}

function technologyOf(component: ViewedComponent): string {
  if (component.type === 'gateway') return 'reverse-proxy';
  for (const image of component.images ?? []) {
    const product = imageProduct(image) ?? '';
    const known = TECHNOLOGIES.find(([pattern]) => pattern.test(product));
    if (known) return known[1];
    if (isDatastoreImage(image)) return 'database';
  }
  return 'unknown-technology';
}

function protocolOf(source: ViewedComponent, target: ViewedComponent): string {
  if (source.type === 'gateway') return 'http';
  if (target.type !== 'datastore') return 'unknown-protocol';
  const images = (target.images ?? []).map((image) => imageProduct(image) ?? '');
  if (images.some((image) => SQL_IMAGE.test(image))) return 'sql-access-protocol';
  return technologyOf(target) === 'database' ? 'nosql-access-protocol' : 'unknown-protocol';
}

/** Threagile ids: letters, digits and hyphens; ours lower case. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'x';
}

function shorten(inputs: readonly string[]): string {
  return inputs.length <= 3 ? inputs.join(', ') : `${inputs.slice(0, 3).join(', ')} and ${inputs.length - 3} more`;
}

/** Unique names: the name itself, else qualified (`api-shop`, `api (shop.yaml)`), else numbered. */
class Allocator {
  private readonly taken = new Set<string>();
  constructor(private readonly style: 'id' | 'title') {}

  take(base: string, qualifier?: string): string {
    const qualified = qualifier === undefined ? undefined : this.style === 'id' ? `${base}-${qualifier}` : `${base} (${qualifier})`;
    for (const candidate of [base, qualified]) if (candidate !== undefined && this.claim(candidate)) return candidate;
    const stem = qualified ?? base;
    for (let n = 2; ; n++) {
      const candidate = this.style === 'id' ? `${stem}-${n}` : `${stem} ${n}`;
      if (this.claim(candidate)) return candidate;
    }
  }

  private claim(candidate: string): boolean {
    if (this.taken.has(candidate)) return false;
    this.taken.add(candidate);
    return true;
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
