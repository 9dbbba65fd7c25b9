import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from '../core/yaml';
import { keyRange, rangeOf, scalarText, valueTextRange, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { stringItems, type ListItem } from './common';
import type { AnalyzedDocument } from './documents';
import { namespaceOf, type KubernetesObject } from './kubernetes';
import { matches, podLabels, readLabels, readSelector, type LabelSelector } from './labels';
import { perObject } from './perObject';

/**
 * Service-mesh facts: which workloads an Istio or Linkerd proxy fronts, which mesh policies select
 * them, and what those policies allow. One reading for every rule of the mesh family, the
 * model ↔ deployment drift rules and the trust-boundary view.
 *
 * Semantics follow the projects' reference documentation:
 * - Istio: `security.istio.io` AuthorizationPolicy, RequestAuthentication and PeerAuthentication
 *   (istio/api `security/v1beta1/*.proto`): a policy applies to the workloads of its namespace,
 *   narrowed by `selector`; in the root namespace (`istio-system` by default) to every namespace.
 *   A policy with `targetRefs` attaches to a gateway, waypoint or Service instead of pods by label.
 *   Authorization: CUSTOM, then DENY, then "no ALLOW policy → allow", then "an ALLOW rule matches →
 *   allow", else deny. A rule matches when one `from` source, one `to` operation and every `when`
 *   condition match; an absent field matches anything, so `rules: [{}]` matches every request.
 * - Linkerd: `policy.linkerd.io` Server, AuthorizationPolicy, ServerAuthorization,
 *   MeshTLSAuthentication and NetworkAuthentication (linkerd2 `charts/linkerd-crds`); the
 *   `config.linkerd.io/default-inbound-policy` annotation on a pod template or its namespace sets
 *   what ports no Server selects accept. An AuthorizationPolicy with no `requiredAuthenticationRefs`
 *   authorizes unauthenticated clients from every network (linkerd2 policy-controller).
 */

/** Istio's default root namespace: policies there apply mesh-wide. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

export type MeshName = 'istio' | 'linkerd';

/** Why a workload's traffic goes through a mesh proxy, and where that is written. */
export interface MeshEnrolment {
  readonly mesh: MeshName;
  /** `label istio-injection: enabled on namespace "shop"`, `annotation linkerd.io/inject: enabled`. */
  readonly reason: string;
  readonly document: AnalyzedDocument;
  readonly range: OffsetRange;
}

const ISTIO_API = /^security\.istio\.io\//;
const ISTIO_NETWORKING_API = /^networking\.istio\.io\//;
const LINKERD_POLICY_API = /^policy\.linkerd\.io\//;

export function isIstioSecurity(object: KubernetesObject, kind: 'AuthorizationPolicy' | 'RequestAuthentication' | 'PeerAuthentication'): boolean {
  return object.kind === kind && ISTIO_API.test(object.apiVersion);
}

export function isLinkerdPolicy(object: KubernetesObject, kind: 'Server' | 'AuthorizationPolicy' | 'ServerAuthorization' | 'MeshTLSAuthentication' | 'NetworkAuthentication' | 'HTTPRoute'): boolean {
  return object.kind === kind && LINKERD_POLICY_API.test(object.apiVersion);
}

/** A label or annotation of a map, with the range of its value. */
interface Marking {
  readonly value: string;
  readonly range: OffsetRange;
}

function marking(tree: YamlTree, metadata: YAMLMap | undefined, section: 'labels' | 'annotations', key: string): Marking | undefined {
  const node = metadata ? tree.get(tree.get(metadata, section), key) : undefined;
  const value = scalarText(node);
  const range = valueTextRange(tree.text, node);
  return value !== undefined && range ? { value: value.trim(), range } : undefined;
}

/** Where mesh settings of the pods are written: the pod template's metadata, or a bare Pod's own. */
function podMetadata(object: KubernetesObject): YAMLMap | undefined {
  return object.podSpec?.metadata ?? (object.kind === 'Pod' ? object.metadata : undefined);
}

/** A pod-level mesh annotation of a workload (`config.linkerd.io/default-inbound-policy`). */
export function podAnnotation(object: KubernetesObject, key: string): Marking | undefined {
  return marking(object.tree, podMetadata(object), 'annotations', key);
}

function podMarking(object: KubernetesObject, key: string): Marking | undefined {
  return marking(object.tree, podMetadata(object), 'labels', key) ?? marking(object.tree, podMetadata(object), 'annotations', key);
}

/** An annotation of a Namespace object (`linkerd.io/inject`, `config.linkerd.io/default-inbound-policy`). */
export function namespaceAnnotation(namespace: KubernetesObject, key: string): Marking | undefined {
  return marking(namespace.tree, namespace.metadata, 'annotations', key);
}

/** Every Kubernetes object of the documents, with its document. */
export function placedObjects(documents: readonly AnalyzedDocument[]): PlacedObject[] {
  return documents.flatMap((document) => document.kubernetes.map((object) => ({ document, object })));
}

export type NamespaceIndex = ReadonlyMap<string, PlacedObject>;

/** Namespace objects by name (the first definition wins). */
export function namespaceObjects(objects: readonly PlacedObject[]): NamespaceIndex {
  const namespaces = new Map<string, PlacedObject>();
  for (const placed of objects) {
    const { object } = placed;
    if (object.kind === 'Namespace' && object.apiVersion === 'v1' && object.name && !namespaces.has(object.name)) namespaces.set(object.name, placed);
  }
  return namespaces;
}

/**
 * The meshes a workload is enrolled in, from its pod template (`sidecar.istio.io/inject: "true"`,
 * `istio.io/dataplane-mode: ambient`, `linkerd.io/inject: enabled`) or its Namespace in the
 * workspace (`istio-injection: enabled`, `istio.io/rev`, ambient, `linkerd.io/inject`). A pod-level
 * opt-out wins over its namespace, as the injectors read it.
 */
export function meshEnrolment(document: AnalyzedDocument, object: KubernetesObject, namespaces: NamespaceIndex): MeshEnrolment[] {
  if (!object.podSpec) return [];
  const found: MeshEnrolment[] = [];
  const namespace = namespaces.get(namespaceOf(object));
  const istioOptOut = podMarking(object, 'sidecar.istio.io/inject')?.value === 'false' && podMarking(object, 'istio.io/dataplane-mode')?.value !== 'ambient';
  const podIstio = (() => {
    const inject = podMarking(object, 'sidecar.istio.io/inject');
    if (inject?.value === 'true') return { reason: 'sidecar.istio.io/inject: "true" on its pods', range: inject.range };
    const ambient = marking(object.tree, podMetadata(object), 'labels', 'istio.io/dataplane-mode');
    return ambient?.value === 'ambient' ? { reason: 'istio.io/dataplane-mode: ambient on its pods', range: ambient.range } : undefined;
  })();
  if (podIstio) found.push({ mesh: 'istio', ...podIstio, document });
  else if (namespace && !istioOptOut && marking(object.tree, podMetadata(object), 'labels', 'istio.io/dataplane-mode')?.value !== 'none') {
    const tree = namespace.object.tree;
    const metadata = namespace.object.metadata;
    const injection = marking(tree, metadata, 'labels', 'istio-injection');
    const revision = marking(tree, metadata, 'labels', 'istio.io/rev');
    const ambient = marking(tree, metadata, 'labels', 'istio.io/dataplane-mode');
    const where = `on namespace "${namespace.object.name}"`;
    if (injection?.value === 'enabled') found.push({ mesh: 'istio', reason: `istio-injection: enabled ${where}`, range: injection.range, document: namespace.document });
    else if (revision && injection?.value !== 'disabled') found.push({ mesh: 'istio', reason: `istio.io/rev: ${revision.value} ${where}`, range: revision.range, document: namespace.document });
    else if (ambient?.value === 'ambient') found.push({ mesh: 'istio', reason: `istio.io/dataplane-mode: ambient ${where}`, range: ambient.range, document: namespace.document });
  }
  const podLinkerd = podAnnotation(object, 'linkerd.io/inject');
  if (podLinkerd && /^(?:enabled|ingress)$/.test(podLinkerd.value)) found.push({ mesh: 'linkerd', reason: `linkerd.io/inject: ${podLinkerd.value} on its pods`, range: podLinkerd.range, document });
  else if (namespace && podLinkerd?.value !== 'disabled') {
    const inject = namespaceAnnotation(namespace.object, 'linkerd.io/inject');
    if (inject && /^(?:enabled|ingress)$/.test(inject.value)) found.push({ mesh: 'linkerd', reason: `linkerd.io/inject: ${inject.value} on namespace "${namespace.object.name}"`, range: inject.range, document: namespace.document });
  }
  return found;
}

// ---- Istio authorization ----

/** A `from[].source` of an Istio rule: each field ANDed, each list ORed. */
export interface IstioSource {
  readonly node: YAMLMap;
  /** Field name → its values (`principals`, `notPrincipals`, `namespaces`, `ipBlocks`, …). */
  readonly fields: ReadonlyMap<string, readonly ListItem[]>;
  /** Field name → the range of its key. */
  readonly keys: ReadonlyMap<string, OffsetRange>;
}

export interface IstioRule {
  readonly node: Node;
  /** Range of the rule item (a `- {}` or the first key of a block rule). */
  readonly range: OffsetRange;
  /** Empty when the rule has no `from` (any source). */
  readonly from: readonly IstioSource[];
  /** `to[].operation` maps; empty when the rule has no `to` (any operation). */
  readonly to: readonly YAMLMap[];
  /** `when` conditions by key (`request.headers[x-user]`, `request.auth.claims[iss]`). */
  readonly when: ReadonlyArray<{ readonly key: string; readonly node: YAMLMap }>;
}

export interface IstioAuthorizationPolicy {
  readonly object: KubernetesObject;
  readonly spec?: YAMLMap;
  /** ALLOW when not written. */
  readonly action: string;
  readonly actionNode?: Scalar;
  readonly selector?: LabelSelector;
  /** `targetRef`/`targetRefs` kinds and names: the policy attaches to a gateway, waypoint or Service. */
  readonly targetRefs: ReadonlyArray<{ readonly kind: string; readonly name: string }>;
  readonly rules: readonly IstioRule[];
  readonly rulesNode?: YAMLSeq;
  /** `istio.io/dry-run: "true"`: evaluated and logged, never enforced. */
  readonly dryRun: boolean;
}

/** Source fields an Istio rule can test. */
const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const;

export const istioAuthorizationPolicy: (object: KubernetesObject) => IstioAuthorizationPolicy | undefined = perObject(readIstioAuthorizationPolicy);

function readIstioAuthorizationPolicy(object: KubernetesObject): IstioAuthorizationPolicy | undefined {
  if (!isIstioSecurity(object, 'AuthorizationPolicy')) return undefined;
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  const actionNode = tree.scalar(spec, 'action');
  const rulesNode = tree.seq(spec, 'rules');
  const rules: IstioRule[] = [];
  for (const item of tree.items(rulesNode)) {
    const range = rangeOf(item);
    if (!range) continue;
    const from = tree.items(tree.get(item, 'from')).flatMap((entry) => {
      const source = tree.map(entry, 'source');
      if (!source) return [];
      const fields = new Map<string, ListItem[]>();
      const keys = new Map<string, OffsetRange>();
      for (const field of SOURCE_FIELDS) {
        const pair = tree.pair(source, field);
        if (!pair) continue;
        fields.set(field, stringItems(tree, source, field));
        const key = keyRange(pair);
        if (key) keys.set(field, key);
      }
      return [{ node: source, fields, keys }];
    });
    const to = tree.items(tree.get(item, 'to')).flatMap((entry) => {
      const operation = tree.map(entry, 'operation');
      return operation ? [operation] : [];
    });
    const when = tree.items(tree.get(item, 'when')).flatMap((condition) => {
      const key = isMap(condition) ? tree.string(condition, 'key') : undefined;
      return key !== undefined && isMap(condition) ? [{ key, node: condition }] : [];
    });
    rules.push({ node: item, range, from, to, when });
  }
  return {
    object,
    spec,
    action: (scalarText(actionNode) ?? 'ALLOW').trim().toUpperCase(),
    actionNode,
    selector: readSelector(tree, tree.get(spec, 'selector')),
    targetRefs: targetRefsOf(tree, spec),
    rules,
    rulesNode,
    dryRun: scalarText(tree.get(tree.get(object.metadata, 'annotations'), 'istio.io/dry-run'))?.trim() === 'true',
  };
}

function targetRefsOf(tree: YamlTree, spec: YAMLMap | undefined): Array<{ kind: string; name: string }> {
  const refs = [tree.get(spec, 'targetRef'), ...tree.items(tree.get(spec, 'targetRefs'))];
  return refs.flatMap((ref) => (isMap(ref) ? [{ kind: tree.string(ref, 'kind') ?? '?', name: tree.string(ref, 'name') ?? '?' }] : []));
}

/** How an Istio policy (AuthorizationPolicy, RequestAuthentication, PeerAuthentication) reaches pods. */
export interface IstioPolicyScope {
  readonly namespace: string;
  readonly selector?: LabelSelector;
  readonly targetRefs: ReadonlyArray<{ readonly kind: string; readonly name: string }>;
}

export function istioPolicyScope(object: KubernetesObject): IstioPolicyScope {
  const spec = object.tree.map(object.root, 'spec');
  return { namespace: namespaceOf(object), selector: readSelector(object.tree, object.tree.get(spec, 'selector')), targetRefs: targetRefsOf(object.tree, spec) };
}

/**
 * Whether an Istio policy applies to a workload's pods: `selects` when its namespace (or the
 * root namespace) and selector say so, `attached` when it attaches through `targetRefs` (to a
 * gateway, a waypoint or a Service: whether those serve the workload is not decided here), else `no`.
 * PeerAuthentication ignores selectors in the root namespace (its reference says so).
 */
export function istioPolicyReaches(policy: KubernetesObject, workload: KubernetesObject): 'selects' | 'attached' | 'no' {
  const scope = istioPolicyScope(policy);
  const namespace = namespaceOf(workload);
  const root = scope.namespace === ISTIO_ROOT_NAMESPACE;
  if (!root && scope.namespace !== namespace) return 'no';
  if (scope.targetRefs.length > 0) return 'attached';
  if (root && scope.selector && isIstioSecurity(policy, 'PeerAuthentication')) return 'no';
  return !scope.selector || matches(scope.selector, podLabels(workload)) ? 'selects' : 'no';
}

/** A source field's values, or undefined when the source does not test it. */
export function sourceValues(source: IstioSource, field: (typeof SOURCE_FIELDS)[number]): readonly ListItem[] | undefined {
  return source.fields.get(field);
}

/** Source fields that name who calls (peer or request identity, namespace, service account). */
export const IDENTITY_FIELDS = ['principals', 'requestPrincipals', 'namespaces', 'serviceAccounts'] as const;

/**
 * Whether an ALLOW rule requires a valid request token: every way it can match (each `from`
 * source, or the rule itself when it has none) tests `requestPrincipals` or a JWT claim.
 */
export function ruleRequiresToken(rule: IstioRule): boolean {
  const claimCondition = rule.when.some((condition) => /^request\.auth\.(?:principal|claims|audiences|presenter)/.test(condition.key));
  if (claimCondition) return true;
  return rule.from.length > 0 && rule.from.every((source) => (sourceValues(source, 'requestPrincipals')?.length ?? 0) > 0);
}

/** A DENY rule that rejects requests without a token: `notRequestPrincipals: ["*"]`. */
export function ruleDeniesMissingToken(rule: IstioRule): boolean {
  return rule.from.some((source) => sourceValues(source, 'notRequestPrincipals')?.some((item) => item.value.trim() === '*') === true) && rule.to.length === 0;
}

/** Whether any of an ALLOW rule's operations narrows paths or methods (resource-level authorization). */
export function ruleNarrowsOperations(tree: YamlTree, rule: IstioRule): boolean {
  return rule.to.length > 0 && rule.to.every((operation) => ['paths', 'methods', 'notPaths', 'notMethods'].some((key) => tree.pair(operation, key) !== undefined));
}

// ---- Istio RequestAuthentication and PeerAuthentication ----

/** Enforced mTLS mode a PeerAuthentication sets for the whole workload (`mtls.mode`), upper case. */
export function peerAuthenticationMode(object: KubernetesObject): string | undefined {
  if (!isIstioSecurity(object, 'PeerAuthentication')) return undefined;
  return object.tree.string(object.tree.get(object.tree.map(object.root, 'spec'), 'mtls'), 'mode')?.trim().toUpperCase();
}

// ---- Istio DestinationRule ----

/** One client-side TLS setting of a DestinationRule, and where it sits. */
export interface DestinationTls {
  readonly mode: string;
  readonly modeNode: Scalar;
  /** The `tls` map. */
  readonly tls: YAMLMap;
  /** `trafficPolicy`, `portLevelSettings port 5432`, `subset "v2"`. */
  readonly where: string;
}

export interface DestinationRuleFacts {
  readonly host?: string;
  readonly hostRange?: OffsetRange;
  readonly tls: readonly DestinationTls[];
}

export const destinationRule: (object: KubernetesObject) => DestinationRuleFacts | undefined = perObject(readDestinationRule);

function readDestinationRule(object: KubernetesObject): DestinationRuleFacts | undefined {
  if (object.kind !== 'DestinationRule' || !ISTIO_NETWORKING_API.test(object.apiVersion)) return undefined;
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  const hostNode = tree.get(spec, 'host');
  const tls: DestinationTls[] = [];
  const readPolicy = (policy: unknown, where: string) => {
    const add = (map: unknown, label: string) => {
      const tlsMap = tree.map(map, 'tls');
      const modeNode = tree.scalar(tlsMap, 'mode');
      const mode = scalarText(modeNode);
      if (tlsMap && modeNode && mode !== undefined) tls.push({ mode: mode.trim().toUpperCase(), modeNode, tls: tlsMap, where: label });
    };
    add(policy, where);
    for (const setting of tree.items(tree.get(policy, 'portLevelSettings'))) add(setting, `${where === 'trafficPolicy' ? '' : `${where} `}portLevelSettings port ${scalarText(tree.get(tree.get(setting, 'port'), 'number')) ?? '?'}`);
  };
  readPolicy(tree.get(spec, 'trafficPolicy'), 'trafficPolicy');
  for (const subset of tree.items(tree.get(spec, 'subsets'))) readPolicy(tree.get(subset, 'trafficPolicy'), `subset "${tree.string(subset, 'name') ?? '?'}"`);
  return { host: scalarText(hostNode), hostRange: valueTextRange(tree.text, hostNode), tls };
}

/**
 * Whether a host name resolves to Services inside the cluster: `*.local` / `*.cluster.local`
 * wildcards, `<name>.<namespace>.svc[.cluster.local]`, or a short name of a Service in the
 * workspace (resolved in the rule's namespace). Undefined when it names something else.
 */
export function clusterServicesOf(host: string, ruleNamespace: string, services: ReadonlyArray<{ readonly name: string; readonly namespace: string }>): { readonly wildcard: boolean; readonly services: ReadonlyArray<{ readonly name: string; readonly namespace: string }> } | undefined {
  const text = host.trim().toLowerCase();
  if (/^\*\.(?:svc\.)?(?:cluster\.)?local$/.test(text) || text === '*.svc') return { wildcard: true, services };
  const namespaceWildcard = /^\*\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(text);
  if (namespaceWildcard) return { wildcard: true, services: services.filter((service) => service.namespace === namespaceWildcard[1]) };
  const qualified = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(text);
  if (qualified) return { wildcard: false, services: services.filter((service) => service.name === qualified[1] && service.namespace === qualified[2]) };
  const dotted = /^([a-z0-9-]+)\.([a-z0-9-]+)$/.exec(text);
  const candidates = dotted ? services.filter((service) => service.name === dotted[1] && service.namespace === dotted[2]) : !text.includes('.') ? services.filter((service) => service.name === text && service.namespace === ruleNamespace) : [];
  return candidates.length > 0 ? { wildcard: false, services: candidates } : undefined;
}

// ---- Linkerd ----

/** The Linkerd default inbound policies and what each admits. */
export const LINKERD_DEFAULT_POLICIES: Readonly<Record<string, { readonly admits: string; readonly unauthenticated: boolean; readonly byNetwork: boolean }>> = {
  'all-unauthenticated': { admits: 'every client, meshed or not, from any network', unauthenticated: true, byNetwork: false },
  audit: { admits: 'every client, meshed or not, from any network (only logging the ones no policy allows)', unauthenticated: true, byNetwork: false },
  'cluster-unauthenticated': { admits: 'every client on the cluster\'s networks, meshed or not, trusted for where it sits', unauthenticated: true, byNetwork: true },
  'all-authenticated': { admits: 'every meshed client, from this cluster or a linked one', unauthenticated: false, byNetwork: false },
  'cluster-authenticated': { admits: 'every meshed client on the cluster\'s networks', unauthenticated: false, byNetwork: true },
  deny: { admits: 'no client', unauthenticated: false, byNetwork: false },
};

export interface LinkerdServer {
  readonly object: KubernetesObject;
  readonly podSelector?: LabelSelector;
  /** Port name or number as written. */
  readonly port?: string;
  /** `accessPolicy` (deny when not written) and its value node. */
  readonly accessPolicy: string;
  readonly accessPolicyNode?: Scalar;
}

export const linkerdServer: (object: KubernetesObject) => LinkerdServer | undefined = perObject((object) => {
  if (!isLinkerdPolicy(object, 'Server')) return undefined;
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  const accessPolicyNode = tree.scalar(spec, 'accessPolicy');
  return { object, podSelector: readSelector(tree, tree.get(spec, 'podSelector')), port: tree.string(spec, 'port'), accessPolicy: scalarText(accessPolicyNode)?.trim() ?? 'deny', accessPolicyNode };
});

/** A reference of a Linkerd AuthorizationPolicy to an authentication object. */
export interface LinkerdAuthenticationRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly node: YAMLMap;
}

export interface LinkerdAuthorizationPolicy {
  readonly object: KubernetesObject;
  readonly targetKind?: string;
  readonly targetName?: string;
  readonly authentications: readonly LinkerdAuthenticationRef[];
  /** The `requiredAuthenticationRefs` key, when written. */
  readonly refsKey?: OffsetRange;
}

export const linkerdAuthorizationPolicy: (object: KubernetesObject) => LinkerdAuthorizationPolicy | undefined = perObject((object) => {
  if (!isLinkerdPolicy(object, 'AuthorizationPolicy')) return undefined;
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  const target = tree.map(spec, 'targetRef');
  const pair = tree.pair(spec, 'requiredAuthenticationRefs');
  return {
    object,
    targetKind: tree.string(target, 'kind'),
    targetName: tree.string(target, 'name'),
    authentications: tree.items(tree.get(spec, 'requiredAuthenticationRefs')).flatMap((ref) => (isMap(ref) ? [{ kind: tree.string(ref, 'kind') ?? '?', name: tree.string(ref, 'name') ?? '?', namespace: tree.string(ref, 'namespace'), node: ref }] : [])),
    refsKey: pair ? keyRange(pair) : undefined,
  };
});

/** Identities a MeshTLSAuthentication or a ServerAuthorization's `client.meshTLS` accepts. */
export function meshTlsIdentities(object: KubernetesObject): readonly ListItem[] {
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  if (isLinkerdPolicy(object, 'MeshTLSAuthentication')) return stringItems(tree, spec, 'identities');
  if (isLinkerdPolicy(object, 'ServerAuthorization')) return stringItems(tree, tree.get(tree.get(spec, 'client'), 'meshTLS'), 'identities');
  return [];
}

/**
 * An identity pattern that matches every meshed workload, whatever its namespace: `*`, or a
 * `*.`-suffix match on the trust domain alone (`*.cluster.local`,
 * `*.serviceaccount.identity.linkerd.cluster.local`). `*.shop.serviceaccount…` names one namespace.
 */
export function matchesEveryIdentity(pattern: string): boolean {
  const text = pattern.trim().toLowerCase();
  return text === '*' || /^\*\.(?:(?:serviceaccount\.)?identity\.linkerd\.)?(?:cluster\.)?local$/.test(text) || /^\*\.(?:serviceaccount\.)?identity\.linkerd\.[^*]+$/.test(text);
}

/** Whether a Linkerd HTTPRoute matches only probe and metrics paths (what NetworkAuthentication is documented for). */
export function routeMatchesOnlyProbes(route: KubernetesObject): boolean {
  const tree = route.tree;
  const paths = tree.items(tree.get(tree.map(route.root, 'spec'), 'rules')).flatMap((rule) => tree.items(tree.get(rule, 'matches')).map((match) => tree.string(tree.get(match, 'path'), 'value')));
  return paths.length > 0 && paths.every((path) => path !== undefined && /^\/(?:health\w*|healthz|livez|readyz|ready|live|ping|metrics|status)\b/i.test(path));
}

/** The `config.linkerd.io/default-inbound-policy` in force for a workload: its pods', else its namespace's. */
export function linkerdDefaultPolicy(document: AnalyzedDocument, object: KubernetesObject, namespaces: NamespaceIndex): { readonly value: string; readonly document: AnalyzedDocument; readonly range: OffsetRange; readonly on: 'pods' | 'namespace' } | undefined {
  const key = 'config.linkerd.io/default-inbound-policy';
  const own = podAnnotation(object, key);
  if (own) return { value: own.value, document, range: own.range, on: 'pods' };
  const namespace = namespaces.get(namespaceOf(object));
  const inherited = namespace ? namespaceAnnotation(namespace.object, key) : undefined;
  return inherited && namespace ? { value: inherited.value, document: namespace.document, range: inherited.range, on: 'namespace' } : undefined;
}

/** The container ports a workload declares: name and number as written. */
export function containerPorts(object: KubernetesObject): Array<{ readonly name?: string; readonly number?: string; readonly node: YAMLMap; readonly container: string }> {
  const tree = object.tree;
  return (object.podSpec?.containers ?? [])
    .filter((container) => container.kind === 'container')
    .flatMap((container) => tree.items(tree.get(container.node, 'ports')).flatMap((port) => (isMap(port) ? [{ name: tree.string(port, 'name'), number: tree.string(port, 'containerPort'), node: port, container: container.name ?? '?' }] : [])));
}

/** Whether a Linkerd Server selects a workload's pods on a given port (name or number). */
export function serverSelects(server: LinkerdServer, workload: KubernetesObject, port: { readonly name?: string; readonly number?: string }): boolean {
  if (namespaceOf(server.object) !== namespaceOf(workload)) return false;
  if (server.podSelector && !matches(server.podSelector, podLabels(workload))) return false;
  return server.port !== undefined && (server.port === port.name || server.port === port.number);
}

/** `metadata.labels` and `annotations` read as one string map (for inject flags written in either). */
export function labelsAndAnnotations(tree: YamlTree, metadata: YAMLMap | undefined): Record<string, string> {
  return { ...readLabels(tree, tree.get(metadata, 'annotations')), ...readLabels(tree, tree.get(metadata, 'labels')) };
}

/** A list node's items as scalars (for `hosts`-style fields). */
export function scalarItems(tree: YamlTree, node: Node | undefined): Scalar[] {
  if (isScalar(node)) return [node];
  return isSeq(node) ? tree.items(node).filter((item): item is Scalar => isScalar(item)) : [];
}

// ---- what the deployed mesh enforces for one workload ----

/** A deployment object together with the document it comes from. */
export interface PlacedObject {
  readonly document: AnalyzedDocument;
  readonly object: KubernetesObject;
}

/** The mesh objects of a set of documents, sorted by kind once so that per-workload questions stay cheap. */
export interface MeshContext {
  readonly namespaces: NamespaceIndex;
  readonly authorizationPolicies: ReadonlyArray<{ readonly document: AnalyzedDocument; readonly policy: IstioAuthorizationPolicy }>;
  readonly requestAuthentications: readonly PlacedObject[];
  readonly peerAuthentications: readonly PlacedObject[];
}

export function meshContext(objects: readonly PlacedObject[]): MeshContext {
  return {
    namespaces: namespaceObjects(objects),
    authorizationPolicies: objects.flatMap(({ document, object }) => {
      const policy = istioAuthorizationPolicy(object);
      return policy ? [{ document, policy }] : [];
    }),
    requestAuthentications: objects.filter(({ object }) => isIstioSecurity(object, 'RequestAuthentication')),
    peerAuthentications: objects.filter(({ object }) => isIstioSecurity(object, 'PeerAuthentication')),
  };
}

/** The policy that decides a control, for related information and the view. */
export interface Evidence {
  readonly document: AnalyzedDocument;
  readonly range: OffsetRange;
  /** `PeerAuthentication "default" (STRICT)`. */
  readonly label: string;
}

/** The Istio PeerAuthentications that apply to a workload, most specific first (workload, namespace, mesh). */
function peerAuthenticationChain(workload: KubernetesObject, mesh: MeshContext): PlacedObject[] {
  const namespace = namespaceOf(workload);
  const level = ({ object }: PlacedObject) => {
    const scope = istioPolicyScope(object);
    return scope.namespace === namespace && scope.selector ? 0 : scope.namespace === namespace ? 1 : 2;
  };
  return mesh.peerAuthentications.filter(({ object }) => istioPolicyReaches(object, workload) === 'selects').sort((a, b) => level(a) - level(b));
}

/**
 * Whether mutual TLS is required for every inbound connection of a workload: the Istio
 * PeerAuthentication mode that applies (workload over namespace over mesh, UNSET inheriting) is
 * STRICT, or its Linkerd default inbound policy admits only authenticated clients
 * (`all-authenticated`, `cluster-authenticated`). `evidence` names the deciding object either way.
 */
export function mtlsEnforcement(document: AnalyzedDocument, workload: KubernetesObject, mesh: MeshContext): { readonly enforced: boolean; readonly evidence?: Evidence } {
  const linkerd = linkerdDefaultPolicy(document, workload, mesh.namespaces);
  if (linkerd && /^(?:all|cluster)-authenticated$/.test(linkerd.value)) return { enforced: true, evidence: { document: linkerd.document, range: linkerd.range, label: `config.linkerd.io/default-inbound-policy: ${linkerd.value}` } };
  for (const placed of peerAuthenticationChain(workload, mesh)) {
    const mode = peerAuthenticationMode(placed.object);
    if (mode === undefined || mode === 'UNSET') continue;
    return { enforced: mode === 'STRICT', evidence: { document: placed.document, range: placed.object.subjectRange, label: `PeerAuthentication "${placed.object.name ?? '?'}" (${mode})` } };
  }
  return { enforced: false };
}

/** How a workload's inbound requests are checked for a token (JWT) by the mesh. */
export type TokenRequirement = 'required' | 'validated-only' | 'none';

/**
 * Whether Istio requires a valid token for a workload: a RequestAuthentication reaches it and
 * either a DENY policy rejects requests without one (`notRequestPrincipals: ["*"]`) or every ALLOW
 * rule that reaches it requires `requestPrincipals` (or a JWT claim). `validated-only`: tokens are
 * validated when present but a request without one is let through.
 */
export function tokenRequirement(workload: KubernetesObject, mesh: MeshContext): { readonly requirement: TokenRequirement; readonly evidence?: Evidence } {
  const authentication = mesh.requestAuthentications.find(({ object }) => istioPolicyReaches(object, workload) === 'selects');
  if (!authentication) return { requirement: 'none' };
  return requirementOf(enforcedAuthorizationPolicies(workload, mesh)) ?? { requirement: 'validated-only', evidence: { document: authentication.document, range: authentication.object.subjectRange, label: `RequestAuthentication "${authentication.object.name ?? '?'}"` } };
}

/** `required` with the deciding policy when a DENY rule rejects token-less requests or every ALLOW rule needs a token. */
function requirementOf(policies: ReadonlyArray<{ readonly document: AnalyzedDocument; readonly policy: IstioAuthorizationPolicy }>): { readonly requirement: TokenRequirement; readonly evidence: Evidence } | undefined {
  const deny = policies.find(({ policy }) => policy.action === 'DENY' && policy.rules.some(ruleDeniesMissingToken));
  if (deny) return { requirement: 'required', evidence: { document: deny.document, range: deny.policy.object.subjectRange, label: `AuthorizationPolicy "${deny.policy.object.name ?? '?'}" (DENY without a token)` } };
  const allows = policies.filter(({ policy }) => policy.action === 'ALLOW');
  if (allows.length > 0 && allows.flatMap(({ policy }) => policy.rules).every(ruleRequiresToken)) return { requirement: 'required', evidence: { document: allows[0].document, range: allows[0].policy.object.subjectRange, label: `AuthorizationPolicy "${allows[0].policy.object.name ?? '?'}" (requestPrincipals)` } };
  return undefined;
}

/** Istio AuthorizationPolicies that select a workload's pods and are enforced (not dry-run). */
export function enforcedAuthorizationPolicies(workload: KubernetesObject, mesh: MeshContext): Array<{ readonly document: AnalyzedDocument; readonly policy: IstioAuthorizationPolicy }> {
  return mesh.authorizationPolicies.filter(({ policy }) => !policy.dryRun && istioPolicyReaches(policy.object, workload) === 'selects');
}

/** Whether two label selectors select the same pods by their text (absent ≡ absent). */
function sameSelector(a: LabelSelector | undefined, b: LabelSelector | undefined): boolean {
  if (!a || !b) return !a && !b;
  return JSON.stringify(Object.entries(a.matchLabels).sort()) === JSON.stringify(Object.entries(b.matchLabels).sort()) && JSON.stringify(a.expressions) === JSON.stringify(b.expressions);
}

/**
 * Whether Istio requires a token for the scope of a RequestAuthentication when no workload it
 * selects is in sight: the enforced AuthorizationPolicies of its namespace (or the root namespace)
 * that select the same pods (same selector, or none) decide, as `tokenRequirement` does per workload.
 */
export function tokenRequirementOfScope(authentication: PlacedObject, mesh: MeshContext): { readonly requirement: TokenRequirement; readonly evidence?: Evidence } {
  const scope = istioPolicyScope(authentication.object);
  const policies = mesh.authorizationPolicies.filter(({ policy }) => {
    if (policy.dryRun || policy.targetRefs.length > 0) return false;
    const namespace = namespaceOf(policy.object);
    if (namespace !== scope.namespace && namespace !== ISTIO_ROOT_NAMESPACE) return false;
    return !policy.selector || sameSelector(policy.selector, scope.selector);
  });
  return requirementOf(policies) ?? { requirement: 'validated-only' };
}

/**
 * Whether Istio authorizes a workload's requests per resource: at least one enforced ALLOW policy
 * selects it and every ALLOW rule that does names the methods or paths it grants. Without an ALLOW
 * policy Istio allows everything; a rule without `to` grants every path and method.
 */
export function operationAuthorization(workload: KubernetesObject, mesh: MeshContext): { readonly perResource: boolean; readonly evidence?: Evidence } {
  const allows = enforcedAuthorizationPolicies(workload, mesh).filter(({ policy }) => policy.action === 'ALLOW');
  if (allows.length === 0) return { perResource: false };
  const coarse = allows.find(({ policy }) => policy.rules.some((rule) => !ruleNarrowsOperations(policy.object.tree, rule)));
  const deciding = coarse ?? allows[0];
  return {
    perResource: !coarse,
    evidence: { document: deciding.document, range: deciding.policy.object.subjectRange, label: `AuthorizationPolicy "${deciding.policy.object.name ?? '?'}"${coarse ? ' (a rule grants every path and method)' : ''}` },
  };
}
