import { defineRule } from '../rule';
import { valueTextRange } from '../../core/tree';
import { namespaceOf } from '../../model/kubernetes';
import { builtIn, DefinedObjects, nameDistance, requiredReferences, type ReferencedKind } from '../../model/references';

/** What happens at start-up when the object is missing (kubelet and admission behaviour). */
const AT_START: Readonly<Record<ReferencedKind, (via: string) => string>> = {
  Secret: (via) => (via.includes('volume') ? 'the pod stays in ContainerCreating (FailedMount) until it exists' : 'the container stays in CreateContainerConfigError until it exists'),
  ConfigMap: (via) => (via.includes('volume') ? 'the pod stays in ContainerCreating (FailedMount) until it exists' : 'the container stays in CreateContainerConfigError until it exists'),
  ServiceAccount: () => 'the ServiceAccount admission refuses the pod, so its controller creates none',
};

const WORKLOAD_KINDS = /^(Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob)$/;

export const danglingReference = defineRule({
  id: 'FF025',
  pattern: 'FF',
  severity: 'info',
  title: 'Reference to a Secret, ConfigMap, ServiceAccount or scale target the files do not define',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter non-existent-service-account, env-value-from, dangling-hpa', 'KICS HPA Targets Invalid Object, Service Account Name Undefined Or Empty', 'Checkov CKV_K8S_158 (HPA target)'],
  guidance: {
    why: 'Fail fast means finding a broken reference when the files are reviewed, not when the pod will not start. A pod spec that names a Secret or ConfigMap (`secretKeyRef`, `configMapKeyRef`, `envFrom`, a volume) or a `serviceAccountName` that does not exist is accepted by the API server; the kubelet then holds the container in CreateContainerConfigError (or the volume in FailedMount), and a missing ServiceAccount stops its controller from creating pods at all. An autoscaler whose `scaleTargetRef` names no object scales nothing. The rule only speaks where the analysed files define objects of that kind in that namespace and none of that name in any namespace (so a name missing from them is a real gap, not partial input): a ConfigMap or ServiceAccount counts as missing when the workload\'s own file defines others of its namespace; a Secret, which is often created out of band (kubectl, a vault operator), only when its name is a near miss (one or two letters off) of a Secret the files define; references marked `optional: true`, names an interpolation decides, the `default` ServiceAccount and `kube-root-ca.crt` are left out, and so are Secrets that a SealedSecret, ExternalSecret or cert-manager Certificate of the same files creates.',
    fix: 'Fix the name, add the missing object to the manifests, or, for a value the pod can do without, mark the reference `optional: true` and handle its absence in the program.',
    bad: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: shop\ntype: Opaque\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:2.3.1\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db-credential, key: password}',
    good: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: shop\ntype: Opaque\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:2.3.1\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db-credentials, key: password}',
  },
  checkWorkspace(documents, context) {
    const defined = new DefinedObjects(documents);
    const scaleTargets = new Map<string, Set<string>>();
    for (const document of documents) {
      for (const object of document.kubernetes) {
        if (object.name !== undefined && WORKLOAD_KINDS.test(object.kind)) {
          const key = `${object.kind}/${namespaceOf(object)}`;
          scaleTargets.set(key, new Set([...(scaleTargets.get(key) ?? []), object.name]));
        }
      }
    }
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const namespace = namespaceOf(object);
        const seen = new Set<string>();
        for (const reference of requiredReferences(object)) {
          const key = `${reference.kind}/${reference.name}`;
          if (seen.has(key) || builtIn(reference.kind, reference.name)) continue;
          seen.add(key);
          if (defined.definedAnywhere(reference.kind, reference.name)) continue;
          // Secrets are often created out of band (kubectl, a vault operator): only a near miss of a
          // defined one is evidence. ConfigMaps and ServiceAccounts count as missing when the
          // workload's own file defines others of the namespace.
          const names = reference.kind === 'Secret' ? defined.defined('Secret', namespace) : defined.defined(reference.kind, namespace, document.file);
          if (!names) continue;
          const nearMiss = [...names].find((name) => nameDistance(name, reference.name) !== undefined);
          if (reference.kind === 'Secret' && !nearMiss) continue;
          context.report({
            document,
            range: reference.range,
            message: `${object.kind} "${object.name ?? '?'}" needs ${reference.kind} "${reference.name}" (${reference.via}), but the analysed files define ${nearMiss ? `${reference.kind} "${nearMiss}"` : `other ${reference.kind}s`} in namespace "${namespace}" and not this one: ${AT_START[reference.kind](reference.via)}.`,
          });
        }
        if (object.kind !== 'HorizontalPodAutoscaler' || !object.apiVersion.startsWith('autoscaling/')) continue;
        const target = object.tree.map(object.tree.map(object.root, 'spec'), 'scaleTargetRef');
        const kind = object.tree.string(target, 'kind');
        const nameNode = object.tree.get(target, 'name');
        const name = object.tree.string(target, 'name');
        if (!kind || !name || /\{\{|\$\{/.test(name)) continue;
        const names = scaleTargets.get(`${kind}/${namespace}`);
        if (!names || names.has(name) || defined.customResources.has(namespace)) continue;
        context.report({
          document,
          range: valueTextRange(object.tree.text, nameNode) ?? object.subjectRange,
          message: `HorizontalPodAutoscaler "${object.name ?? '?'}" scales ${kind} "${name}", but the analysed files define other ${kind}s in namespace "${namespace}" and not this one: it scales nothing, and the workload it was meant for keeps a fixed size.`,
        });
      }
    }
  },
});
