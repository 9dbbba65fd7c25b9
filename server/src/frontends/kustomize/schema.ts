/**
 * What Kustomize 5.x knows about built-in Kubernetes types. It compiles in the Kubernetes v1.21.2
 * OpenAPI schema and uses it for three things this module restates:
 *
 * - which apiVersion/kind pairs have a schema at all (others, CRDs included, merge as plain JSON:
 *   a patch's list replaces the base's list);
 * - which lists merge element by element in a strategic merge patch, and on which keys
 *   (`x-kubernetes-patch-strategy: merge` with `x-kubernetes-list-map-keys`, else
 *   `x-kubernetes-patch-merge-key`; a merge list without a key is a set of primitives);
 * - which kinds are cluster-scoped (never given a namespace).
 *
 * Source: the Kubernetes v1.21.2 API (OpenAPI v2 extensions on core/v1, apps/v1, batch/v1, ...).
 */

/** Kinds with a schema, by apiVersion (list kinds left out: Kustomize expands them). */
const KNOWN: Record<string, string> = {
  v1: 'Binding ComponentStatus ConfigMap Endpoints Event LimitRange Namespace Node PersistentVolume PersistentVolumeClaim Pod PodTemplate ReplicationController ResourceQuota Secret Service ServiceAccount',
  'admissionregistration.k8s.io/v1': 'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1': 'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1': 'CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1': 'CustomResourceDefinition',
  'apiregistration.k8s.io/v1': 'APIService',
  'apiregistration.k8s.io/v1beta1': 'APIService',
  'apps/v1': 'ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet',
  'authentication.k8s.io/v1': 'TokenRequest TokenReview',
  'authentication.k8s.io/v1beta1': 'TokenReview',
  'authorization.k8s.io/v1': 'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'authorization.k8s.io/v1beta1': 'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'autoscaling/v1': 'HorizontalPodAutoscaler Scale',
  'autoscaling/v2beta1': 'HorizontalPodAutoscaler',
  'autoscaling/v2beta2': 'HorizontalPodAutoscaler',
  'batch/v1': 'CronJob Job',
  'batch/v1beta1': 'CronJob',
  'certificates.k8s.io/v1': 'CertificateSigningRequest',
  'certificates.k8s.io/v1beta1': 'CertificateSigningRequest',
  'coordination.k8s.io/v1': 'Lease',
  'coordination.k8s.io/v1beta1': 'Lease',
  'discovery.k8s.io/v1': 'EndpointSlice',
  'discovery.k8s.io/v1beta1': 'EndpointSlice',
  'events.k8s.io/v1': 'Event',
  'events.k8s.io/v1beta1': 'Event',
  'extensions/v1beta1': 'Ingress',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'FlowSchema PriorityLevelConfiguration',
  'networking.k8s.io/v1': 'Ingress IngressClass NetworkPolicy',
  'networking.k8s.io/v1beta1': 'Ingress IngressClass',
  'node.k8s.io/v1': 'RuntimeClass',
  'node.k8s.io/v1beta1': 'RuntimeClass',
  'policy/v1': 'PodDisruptionBudget',
  'policy/v1beta1': 'Eviction PodDisruptionBudget PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'rbac.authorization.k8s.io/v1beta1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'scheduling.k8s.io/v1': 'PriorityClass',
  'scheduling.k8s.io/v1beta1': 'PriorityClass',
  'storage.k8s.io/v1': 'CSIDriver CSINode StorageClass VolumeAttachment',
  'storage.k8s.io/v1beta1': 'CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment',
};

/** Cluster-scoped kinds, by apiVersion. Any other kind (CRDs included) counts as namespaced. */
const CLUSTER_SCOPED: Record<string, string> = {
  v1: 'ComponentStatus Namespace Node NodeProxyOptions PersistentVolume',
  'admissionregistration.k8s.io/v1': 'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1': 'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1': 'CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1': 'CustomResourceDefinition',
  'apiregistration.k8s.io/v1': 'APIService',
  'apiregistration.k8s.io/v1beta1': 'APIService',
  'certificates.k8s.io/v1': 'CertificateSigningRequest',
  'certificates.k8s.io/v1beta1': 'CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'FlowSchema PriorityLevelConfiguration',
  'networking.k8s.io/v1': 'IngressClass',
  'networking.k8s.io/v1beta1': 'IngressClass',
  'node.k8s.io/v1': 'RuntimeClass',
  'node.k8s.io/v1beta1': 'RuntimeClass',
  'policy/v1beta1': 'PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1': 'ClusterRole ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1beta1': 'ClusterRole ClusterRoleBinding',
  'scheduling.k8s.io/v1': 'PriorityClass',
  'scheduling.k8s.io/v1beta1': 'PriorityClass',
  'storage.k8s.io/v1': 'CSIDriver CSINode StorageClass VolumeAttachment',
  'storage.k8s.io/v1beta1': 'CSIDriver CSINode StorageClass VolumeAttachment',
};

/** apiVersion → kinds: asked for every object many times per build, so no key strings are built per call. */
function indexKinds(table: Record<string, string>): Map<string, Set<string>> {
  return new Map(Object.entries(table).map(([apiVersion, kinds]) => [apiVersion, new Set(kinds.split(' '))]));
}

const knownKinds = indexKinds(KNOWN);
const clusterScopedKinds = indexKinds(CLUSTER_SCOPED);

export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return clusterScopedKinds.get(apiVersion)?.has(kind) ?? false;
}

/** A node of the schema: the fields below it that matter to a strategic merge. */
export interface SchemaShape {
  readonly fields: Readonly<Record<string, SchemaField>>;
}

export interface SchemaField {
  /** Merge keys of a strategic list (`[]` for a list of primitives merged as a set); absent for a map. */
  readonly mergeKeys?: readonly string[];
  /** Shape of the map (or of each list element) below. */
  readonly shape?: SchemaShape;
}

const shape = (fields: Record<string, SchemaField>): SchemaShape => ({ fields });
const list = (mergeKeys: string[], element?: SchemaShape): SchemaField => ({ mergeKeys, shape: element });
const at = (inner: SchemaShape): SchemaField => ({ shape: inner });

const conditions = list(['type']);
const objectMeta = shape({ finalizers: list([]), ownerReferences: list(['uid']) });
const container = shape({
  env: list(['name']),
  ports: list(['containerPort', 'protocol']),
  volumeDevices: list(['devicePath']),
  volumeMounts: list(['mountPath']),
});
const ephemeralContainer = shape({ env: list(['name']), volumeDevices: list(['devicePath']), volumeMounts: list(['mountPath']) });
const volume = shape({ ephemeral: at(shape({ volumeClaimTemplate: at(shape({ metadata: at(objectMeta) })) })) });
const podSpec = shape({
  containers: list(['name'], container),
  initContainers: list(['name'], container),
  ephemeralContainers: list(['name'], ephemeralContainer),
  hostAliases: list(['ip']),
  imagePullSecrets: list(['name']),
  topologySpreadConstraints: list(['topologyKey', 'whenUnsatisfiable']),
  volumes: list(['name'], volume),
});
const podTemplateSpec = shape({ metadata: at(objectMeta), spec: at(podSpec) });
const withStatusConditions = shape({ conditions });
const jobSpec = shape({ template: at(podTemplateSpec) });
const workload = (status = true): SchemaShape =>
  shape({ metadata: at(objectMeta), spec: at(shape({ template: at(podTemplateSpec) })), ...(status ? { status: at(withStatusConditions) } : {}) });

const ROOTS: Record<string, SchemaShape> = {
  'v1 Pod': shape({ metadata: at(objectMeta), spec: at(podSpec), status: at(shape({ conditions, podIPs: list(['ip']) })) }),
  'v1 PodTemplate': shape({ metadata: at(objectMeta), template: at(podTemplateSpec) }),
  'v1 ReplicationController': workload(),
  'apps/v1 Deployment': workload(),
  'apps/v1 ReplicaSet': workload(),
  'apps/v1 DaemonSet': workload(),
  'apps/v1 StatefulSet': workload(),
  'batch/v1 Job': workload(),
  'batch/v1 CronJob': shape({ metadata: at(objectMeta), spec: at(shape({ jobTemplate: at(shape({ metadata: at(objectMeta), spec: at(jobSpec) })) })) }),
  'batch/v1beta1 CronJob': shape({ metadata: at(objectMeta), spec: at(shape({ jobTemplate: at(shape({ metadata: at(objectMeta), spec: at(jobSpec) })) })) }),
  'v1 Service': shape({ metadata: at(objectMeta), spec: at(shape({ ports: list(['port', 'protocol']) })), status: at(withStatusConditions) }),
  'v1 ServiceAccount': shape({ metadata: at(objectMeta), secrets: list(['name']) }),
  'v1 Namespace': shape({ metadata: at(objectMeta), status: at(withStatusConditions) }),
  'v1 PersistentVolumeClaim': shape({ metadata: at(objectMeta), status: at(withStatusConditions) }),
  'v1 Node': shape({ metadata: at(objectMeta), spec: at(shape({ podCIDRs: list([]) })), status: at(shape({ addresses: list(['type']), conditions })) }),
  'v1 ComponentStatus': shape({ metadata: at(objectMeta), conditions }),
  'policy/v1 PodDisruptionBudget': shape({ metadata: at(objectMeta), status: at(withStatusConditions) }),
  'policy/v1beta1 PodDisruptionBudget': shape({ metadata: at(objectMeta), status: at(withStatusConditions) }),
  'apiregistration.k8s.io/v1 APIService': shape({ metadata: at(objectMeta), status: at(withStatusConditions) }),
  'apiregistration.k8s.io/v1beta1 APIService': shape({ metadata: at(objectMeta), status: at(withStatusConditions) }),
  'storage.k8s.io/v1 CSINode': shape({ metadata: at(objectMeta), spec: at(shape({ drivers: list(['name']) })) }),
  'storage.k8s.io/v1beta1 CSINode': shape({ metadata: at(objectMeta), spec: at(shape({ drivers: list(['name']) })) }),
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration': shape({ metadata: at(objectMeta), webhooks: list(['name']) }),
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration': shape({ metadata: at(objectMeta), webhooks: list(['name']) }),
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration': shape({ metadata: at(objectMeta), webhooks: list(['name']) }),
  'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration': shape({ metadata: at(objectMeta), webhooks: list(['name']) }),
};

const metadataOnly = shape({ metadata: at(objectMeta) });

/**
 * The schema root of an object, or undefined when Kustomize has no schema for it (CRDs, and
 * built-in kinds at versions newer than v1.21 such as autoscaling/v2): such objects merge as JSON.
 */
export function schemaFor(apiVersion: string, kind: string): SchemaShape | undefined {
  const key = `${apiVersion} ${kind}`;
  const root = ROOTS[key];
  if (root) return root;
  return knownKinds.get(apiVersion)?.has(kind) ? metadataOnly : undefined;
}
