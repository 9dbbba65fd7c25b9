import type { ValueOrigin } from '../sourceMap';
import { kMap, kSeq, stringAt, type KMap, type KNode } from './nodes';
import { BuildError } from './problems';
import { parseGroupVersion } from './resource';

/**
 * Where Kustomize's built-in transformers write: a path of field names ('/'-separated, `\/` for a
 * slash inside a name, `[]` marking a list, lists otherwise traversed implicitly), limited to
 * objects of a group/version/kind, and whether missing fields on the way are created.
 */
export interface FieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly path: string;
  readonly create?: boolean;
}

/** How a created field starts out: an empty map for labels, a scalar for a name or a namespace. */
export type CreateKind = 'map' | 'scalar' | undefined;

/** Called with the node found at the end of the path and a way to replace it. */
export type FieldSetter = (node: KNode, replace: (next: KNode) => void) => void;

/**
 * Applies `setter` at every place `spec` names in `object` (Kustomize's fieldspec filter). Created
 * fields take the enclosing map's producer and `provenance` as their value origin.
 * Throws `BuildError` when the path runs into a value that is neither a map nor a list.
 */
export function applyFieldSpec(object: KMap, spec: FieldSpec, setter: FieldSetter, createKind: CreateKind, provenance?: ValueOrigin, objectGvk?: ObjectGvk): void {
  if (!specMatches(spec, objectGvk ?? gvkOfObject(object))) return;
  visit(object, splitPath(spec.path), () => undefined);

  function visit(node: KNode, path: readonly string[], replace: (next: KNode) => void): void {
    if (path.length === 0) {
      setter(node, replace);
      return;
    }
    if (node.kind === 'scalar') {
      if (node.data === null) return;
      throw new BuildError(`expected a map or a list at '${spec.path}' but found a value`);
    }
    if (node.kind === 'seq') {
      node.items.forEach((item, index) => visit(item, path, (next) => (node.items[index] = next)));
      return;
    }
    const raw = path[0];
    const isSeq = raw.endsWith('[]');
    const name = isSeq ? raw.slice(0, -2) : raw;
    if (name === '') throw new BuildError('cannot set or create an empty field name');
    let kind: 'map' | 'seq' | 'scalar' | undefined;
    let create = false;
    if (!spec.create || createKind === undefined || isSeq) {
      if (isSeq) kind = 'seq';
    } else if (path.length <= 1) {
      create = true;
      kind = createKind;
    } else {
      create = true;
      kind = 'map';
    }
    let entry = node.entries.find((candidate) => candidate.key === name);
    if (!entry) {
      if (!create) return;
      const created: KNode = kind === 'scalar' ? { kind: 'scalar', data: '', origin: node.origin, value: provenance } : kMap([], node.origin, provenance);
      entry = { key: name, keyOrigin: node.origin, keyValue: provenance, value: created };
      node.entries.push(entry);
    }
    const target = entry;
    if (target.value.kind === 'scalar' && target.value.data === null && kind !== undefined && kind !== 'scalar') {
      target.value = kind === 'seq' ? kSeq([], target.value.origin, provenance) : kMap([], target.value.origin, provenance);
    }
    visit(target.value, path.slice(1), (next) => (target.value = next));
  }
}

/** An object's kind, group and version, computed once when many field specs are tried on it. */
export interface ObjectGvk {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
}

export function gvkOfObject(object: KMap): ObjectGvk {
  const { group, version } = parseGroupVersion(stringAt(object, 'apiVersion') ?? '');
  return { kind: stringAt(object, 'kind') ?? '', group, version };
}

export function specMatches(spec: FieldSpec, gvk: ObjectGvk): boolean {
  return (!spec.kind || spec.kind === gvk.kind) && (!spec.group || spec.group === gvk.group) && (!spec.version || spec.version === gvk.version);
}

/** Splits on '/', except where escaped as `\/` (annotation keys such as `nginx.ingress.kubernetes.io/auth-secret`). */
export function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '/') {
      current += '/';
      i++;
    } else if (path[i] === '/') {
      parts.push(current);
      current = '';
    } else current += path[i];
  }
  parts.push(current);
  return parts;
}

const spec = (path: string, kind?: string, group?: string, version?: string, create = true): FieldSpec => ({ path, kind, group, version, create });

/** `metadata/<field>` and the pod template (and CronJob job template) `metadata/<field>` of each workload kind. */
function objectAndTemplateSpecs(field: 'labels' | 'annotations', statefulSetGroup?: string): FieldSpec[] {
  return [
    spec(`metadata/${field}`),
    spec(`spec/template/metadata/${field}`, 'ReplicationController', undefined, 'v1'),
    ...['Deployment', 'ReplicaSet', 'DaemonSet'].map((kind) => spec(`spec/template/metadata/${field}`, kind)),
    spec(`spec/template/metadata/${field}`, 'StatefulSet', statefulSetGroup),
    spec(`spec/template/metadata/${field}`, 'Job', 'batch'),
    spec(`spec/jobTemplate/metadata/${field}`, 'CronJob', 'batch'),
    spec(`spec/jobTemplate/spec/template/metadata/${field}`, 'CronJob', 'batch'),
  ];
}

/** Labels on objects, their pod templates and StatefulSet claim templates (Kustomize's default metadata/template label specs). */
export const TEMPLATE_LABEL_SPECS: readonly FieldSpec[] = [...objectAndTemplateSpecs('labels', 'apps'), spec('spec/volumeClaimTemplates[]/metadata/labels', 'StatefulSet', 'apps')];

const affinitySelectors = (kind: string): FieldSpec[] =>
  [
    'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
    'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
    'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
    'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
    'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
  ].map((path) => spec(path, kind, 'apps', undefined, false));

/** `commonLabels` (and `labels` with includeSelectors): objects, templates and selectors. */
export const COMMON_LABEL_SPECS: readonly FieldSpec[] = [
  spec('spec/selector', 'Service', undefined, 'v1'),
  spec('spec/selector', 'ReplicationController', undefined, 'v1'),
  spec('spec/selector/matchLabels', 'Deployment'),
  ...affinitySelectors('Deployment'),
  spec('spec/selector/matchLabels', 'ReplicaSet'),
  spec('spec/selector/matchLabels', 'DaemonSet'),
  spec('spec/selector/matchLabels', 'StatefulSet', 'apps'),
  ...affinitySelectors('StatefulSet'),
  spec('spec/selector/matchLabels', 'Job', 'batch', undefined, false),
  spec('spec/jobTemplate/spec/selector/matchLabels', 'CronJob', 'batch', undefined, false),
  spec('spec/selector/matchLabels', 'PodDisruptionBudget', 'policy', undefined, false),
  spec('spec/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', undefined, false),
  spec('spec/ingress/from/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', undefined, false),
  spec('spec/egress/to/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', undefined, false),
  ...TEMPLATE_LABEL_SPECS,
];

export const METADATA_LABELS_SPEC: FieldSpec = spec('metadata/labels');

export const COMMON_ANNOTATION_SPECS: readonly FieldSpec[] = objectAndTemplateSpecs('annotations');

export const REPLICA_SPECS: readonly FieldSpec[] = ['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => spec('spec/replicas', kind));

/** Namespace fields beyond metadata.namespace: a Namespace object's own name, and service references. */
export const NAMESPACE_SPECS: readonly FieldSpec[] = [
  spec('metadata/name', 'Namespace'),
  spec('spec/service/namespace', 'APIService', 'apiregistration.k8s.io'),
  spec('spec/conversion/webhook/clientConfig/service/namespace', 'CustomResourceDefinition', 'apiextensions.k8s.io', undefined, false),
];

/** Where container images live; Kustomize also updates any `containers`/`initContainers` list anywhere. */
export const IMAGE_SPECS: readonly FieldSpec[] = [
  spec('spec/containers[]/image'),
  spec('spec/initContainers[]/image'),
  spec('spec/template/spec/containers[]/image'),
  spec('spec/template/spec/initContainers[]/image'),
];

/** A field of one kind that holds the name of an object of another kind. */
export interface NameReference {
  /** The kind referred to (only non-empty parts are compared). */
  readonly target: { readonly group?: string; readonly version?: string; readonly kind: string };
  /** The referring fields. */
  readonly referrers: readonly FieldSpec[];
}

/** Pod specs by workload kind, with the version the Pod entries are limited to. */
const POD_SPEC_AT: ReadonlyArray<[kind: string, path: string, version?: string]> = [
  ['Pod', 'spec', 'v1'],
  ['PodTemplate', 'template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['ReplicaSet', 'spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
];

function inPodSpecs(fields: readonly string[], kinds: readonly string[] = POD_SPEC_AT.map(([kind]) => kind)): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const [kind, base, version] of POD_SPEC_AT) {
    if (!kinds.includes(kind)) continue;
    for (const field of fields) out.push({ kind, version, path: `${base}/${field}` });
  }
  return out;
}

/** Workloads whose pod template can name a service account, a claim or a priority class. */
const POD_TEMPLATE_WORKLOADS: ReadonlyArray<[kind: string, path: string]> = [
  ['Pod', 'spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['ReplicationController', 'spec/template/spec'],
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
];

const inWorkloads = (field: string): FieldSpec[] => POD_TEMPLATE_WORKLOADS.map(([kind, base]) => ({ kind, path: `${base}/${field}` }));

/**
 * The references Kustomize fixes when it renames an object (name prefix or suffix, content hash
 * of a generated ConfigMap/Secret): Kustomize's default name-reference configuration.
 */
export const NAME_REFERENCES: readonly NameReference[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({ target: { kind }, referrers: [{ kind: 'HorizontalPodAutoscaler', path: 'spec/scaleTargetRef/name' }] })),
  {
    target: { version: 'v1', kind: 'ConfigMap' },
    referrers: [
      ...inPodSpecs([
        'volumes/configMap/name',
        'containers/env/valueFrom/configMapKeyRef/name',
        'initContainers/env/valueFrom/configMapKeyRef/name',
        'containers/envFrom/configMapRef/name',
        'initContainers/envFrom/configMapRef/name',
        'volumes/projected/sources/configMap/name',
      ]),
      { kind: 'Node', path: 'spec/configSource/configMap' },
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap' },
    ],
  },
  {
    target: { version: 'v1', kind: 'Secret' },
    referrers: [
      ...inPodSpecs([
        'volumes/secret/secretName',
        'containers/env/valueFrom/secretKeyRef/name',
        'initContainers/env/valueFrom/secretKeyRef/name',
        'containers/envFrom/secretRef/name',
        'initContainers/envFrom/secretRef/name',
        'imagePullSecrets/name',
        'volumes/projected/sources/secret/name',
      ]),
      { kind: 'Ingress', path: 'spec/tls/secretName' },
      { kind: 'Ingress', path: 'metadata/annotations/ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret' },
      { kind: 'ServiceAccount', path: 'imagePullSecrets/name' },
      ...['secretName', 'adminSecretName', 'userSecretName', 'secretRef'].map((field) => ({ kind: 'StorageClass', path: `parameters/${field}` })),
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      { kind: 'Service', group: 'serving.knative.dev', version: 'v1', path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name' },
      { kind: 'PersistentVolume', path: 'spec/azureFile/secretName' },
    ],
  },
  {
    target: { version: 'v1', kind: 'Service' },
    referrers: [
      { kind: 'StatefulSet', group: 'apps', path: 'spec/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/service/name' },
      { kind: 'Ingress', path: 'spec/defaultBackend/service/name' },
      { kind: 'APIService', group: 'apiregistration.k8s.io', path: 'spec/service/name' },
      { kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', path: 'webhooks/clientConfig/service' },
      { kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', path: 'webhooks/clientConfig/service' },
    ],
  },
  { target: { group: 'rbac.authorization.k8s.io', kind: 'Role' }, referrers: [{ kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', path: 'roleRef/name' }] },
  {
    target: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    referrers: [
      { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', path: 'roleRef/name' },
      { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', path: 'roleRef/name' },
    ],
  },
  {
    target: { version: 'v1', kind: 'ServiceAccount' },
    referrers: [
      { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', path: 'subjects' },
      { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', path: 'subjects' },
      ...inWorkloads('serviceAccountName'),
    ],
  },
  { target: { version: 'v1', kind: 'PersistentVolumeClaim' }, referrers: inWorkloads('volumes/persistentVolumeClaim/claimName') },
  {
    target: { version: 'v1', kind: 'PersistentVolume' },
    referrers: [
      { kind: 'PersistentVolumeClaim', path: 'spec/volumeName' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
    ],
  },
  {
    target: { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' },
    referrers: [
      { kind: 'PersistentVolume', path: 'spec/storageClassName' },
      { kind: 'PersistentVolumeClaim', path: 'spec/storageClassName' },
      { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/storageClassName' },
    ],
  },
  { target: { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' }, referrers: inWorkloads('priorityClassName') },
  {
    target: { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
    referrers: [{ kind: 'ValidatingAdmissionPolicyBinding', group: 'admissionregistration.k8s.io', path: 'spec/policyName' }],
  },
];
