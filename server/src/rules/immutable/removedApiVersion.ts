import { defineRule } from '../rule';
import { fix } from '../../core/edits';
import { valueTextRange } from '../../core/tree';

interface Removal {
  readonly removedIn: string;
  readonly replacement: string;
  /** The replacement accepts the object unchanged, so swapping `apiVersion` is the whole fix. */
  readonly mechanical: boolean;
}

const WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'];

/**
 * API versions Kubernetes no longer serves, by `apiVersion` and kind (`*` = every kind of that
 * group version), from the Kubernetes "Deprecated API Migration Guide". The replacement of
 * workload versions needs `spec.selector`, so only group versions whose objects carry over
 * unchanged are fixed mechanically.
 */
const REMOVED: ReadonlyArray<{ readonly apiVersion: string; readonly kinds: readonly string[] | '*'; readonly removal: Removal }> = [
  { apiVersion: 'extensions/v1beta1', kinds: WORKLOADS, removal: { removedIn: 'v1.16', replacement: 'apps/v1', mechanical: false } },
  { apiVersion: 'apps/v1beta1', kinds: '*', removal: { removedIn: 'v1.16', replacement: 'apps/v1', mechanical: false } },
  { apiVersion: 'apps/v1beta2', kinds: '*', removal: { removedIn: 'v1.16', replacement: 'apps/v1', mechanical: false } },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], removal: { removedIn: 'v1.16', replacement: 'networking.k8s.io/v1', mechanical: true } },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], removal: { removedIn: 'v1.16', replacement: 'nothing (PodSecurityPolicy was removed in v1.25; use Pod Security admission)', mechanical: false } },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removal: { removedIn: 'v1.22', replacement: 'networking.k8s.io/v1', mechanical: false } },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], removal: { removedIn: 'v1.22', replacement: 'networking.k8s.io/v1', mechanical: false } },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'rbac.authorization.k8s.io/v1', mechanical: true } },
  { apiVersion: 'rbac.authorization.k8s.io/v1alpha1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'rbac.authorization.k8s.io/v1', mechanical: true } },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'admissionregistration.k8s.io/v1', mechanical: false } },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'apiextensions.k8s.io/v1', mechanical: false } },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'apiregistration.k8s.io/v1', mechanical: true } },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'certificates.k8s.io/v1', mechanical: false } },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'coordination.k8s.io/v1', mechanical: true } },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.22', replacement: 'scheduling.k8s.io/v1', mechanical: true } },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removal: { removedIn: 'v1.22', replacement: 'storage.k8s.io/v1', mechanical: true } },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removal: { removedIn: 'v1.25', replacement: 'batch/v1', mechanical: true } },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], removal: { removedIn: 'v1.25', replacement: 'discovery.k8s.io/v1', mechanical: false } },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], removal: { removedIn: 'v1.25', replacement: 'events.k8s.io/v1', mechanical: false } },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], removal: { removedIn: 'v1.25', replacement: 'autoscaling/v2', mechanical: false } },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removal: { removedIn: 'v1.25', replacement: 'policy/v1', mechanical: false } },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removal: { removedIn: 'v1.25', replacement: 'nothing: use Pod Security admission (namespace labels) or a policy engine', mechanical: false } },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removal: { removedIn: 'v1.25', replacement: 'node.k8s.io/v1', mechanical: true } },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], removal: { removedIn: 'v1.26', replacement: 'autoscaling/v2', mechanical: true } },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: '*', removal: { removedIn: 'v1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1', mechanical: true } },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removal: { removedIn: 'v1.27', replacement: 'storage.k8s.io/v1', mechanical: true } },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: '*', removal: { removedIn: 'v1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1', mechanical: true } },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: '*', removal: { removedIn: 'v1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1', mechanical: true } },
];

/** The removal that applies to an object, if Kubernetes no longer serves its `apiVersion` for its kind. */
export function removedApi(apiVersion: string, kind: string): Removal | undefined {
  return REMOVED.find((entry) => entry.apiVersion === apiVersion && (entry.kinds === '*' || entry.kinds.includes(kind)))?.removal;
}

export const removedApiVersion = defineRule({
  id: 'IMM006',
  pattern: 'IMM',
  alsoPattern: 'FF',
  severity: 'warning',
  title: 'Object uses an API version Kubernetes has removed',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['kube-linter no-extensions-v1beta', 'KICS Object Is Using A Deprecated API Version', 'Trivy KSV107'],
  guidance: {
    why: 'Immutable infrastructure rebuilds every environment from the files in version control, and a rollback is a redeploy. An object in an API version the cluster no longer serves cannot be applied: the file no longer describes anything a current cluster can run, so a rebuild or rollback fails at the worst moment, and the object has drifted from its source (the cluster converted it when it was upgraded). Some removed versions also carried weaker defaults (e.g. `extensions/v1beta1` workloads without a required selector).',
    fix: 'Move to the replacement version named in the finding and adjust the fields it changed (the Kubernetes "Deprecated API Migration Guide" lists them); for PodSecurityPolicy, use Pod Security admission labels on the namespace.',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: Role\nmetadata:\n  name: reader\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["get"]',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["get"]',
  },
  checkKubernetes(object, context) {
    const removal = removedApi(object.apiVersion, object.kind);
    if (!removal) return;
    const tree = object.tree;
    const node = tree.get(object.root, 'apiVersion');
    const range = valueTextRange(tree.text, node);
    if (!range) return;
    context.report({
      range,
      message: `${object.kind} "${object.name ?? '?'}" uses ${object.apiVersion}, removed in Kubernetes ${removal.removedIn}: clusters since then refuse to apply it; the replacement is ${removal.replacement}.`,
      fixes: removal.mechanical ? fix(`Use ${removal.replacement}`, [{ ...range, newText: removal.replacement }], false) : undefined,
    });
  },
});
