import { defineRule } from '../rule';
import { namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import type { AnalyzedDocument } from '../../model/documents';
import { matches, podLabels, type LabelSelector } from '../../model/labels';
import { networkPolicy } from '../../model/networkPolicies';
import { valueTextRange } from '../../core/tree';

/** Policy kinds of CNI plugins whose selection we do not evaluate: their namespaces are left alone. */
const OTHER_POLICY_KINDS = new Set(['CiliumNetworkPolicy', 'NetworkPolicy/projectcalico.org', 'AdminNetworkPolicy']);
const CLUSTER_WIDE_POLICY_KINDS = new Set(['CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy', 'ClusterNetworkPolicy', 'BaselineAdminNetworkPolicy']);

/** Batch pods run to completion and accept no connections worth a policy of their own. */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

interface Policy {
  readonly object: KubernetesObject;
  readonly document: AnalyzedDocument;
  readonly selector: LabelSelector | undefined;
}

export const workloadWithoutNetworkPolicy = defineRule({
  id: 'BND004',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'info',
  title: 'Workload not isolated by any NetworkPolicy',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter non-isolated-pod', 'Checkov CKV2_K8S_6', 'Trivy KSV038', 'Polaris missingNetworkPolicy'],
  guidance: {
    why: 'A pod that no NetworkPolicy selects accepts connections from every pod in the cluster: the namespace is a name, not a boundary, and one compromised pod anywhere can reach it. Zones become real only when a policy says who may cross. Looks across all files; Jobs and CronJobs, pods on the host network (which policies do not govern) and namespaces governed by Cilium or Calico policies are not judged.',
    fix: 'Add a default-deny NetworkPolicy to the namespace (`podSelector: {}` with `policyTypes: [Ingress]`), then allow each needed flow explicitly.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:2.3.1',
    good: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]',
  },
  checkWorkspace(documents, context) {
    const policies = new Map<string, Policy[]>();
    const otherPolicyNamespaces = new Set<string>();
    let clusterWidePolicy = false;
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const qualified = object.apiVersion.startsWith('projectcalico.org/') ? `${object.kind}/projectcalico.org` : object.kind;
        if (CLUSTER_WIDE_POLICY_KINDS.has(object.kind)) clusterWidePolicy = true;
        if (OTHER_POLICY_KINDS.has(qualified)) otherPolicyNamespaces.add(namespaceOf(object));
        const policy = networkPolicy(object);
        if (!policy) continue;
        const list = policies.get(namespaceOf(object)) ?? [];
        list.push({ object, document, selector: policy.podSelector });
        policies.set(namespaceOf(object), list);
      }
    }
    if (clusterWidePolicy) return;
    const elsewhere = [...policies.values()].flat();
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const spec = object.podSpec?.node;
        if (!spec || RUN_TO_COMPLETION.has(object.kind) || object.tree.boolean(spec, 'hostNetwork') === true) continue;
        const namespace = namespaceOf(object);
        if (otherPolicyNamespaces.has(namespace)) continue;
        const inNamespace = policies.get(namespace) ?? [];
        const labels = podLabels(object);
        // A policy with no (or an empty) podSelector selects every pod of its namespace.
        if (inNamespace.some((policy) => !policy.selector || matches(policy.selector, labels))) continue;
        const tree = object.tree;
        const namespaceNode = object.metadata ? tree.get(object.metadata, 'namespace') : undefined;
        context.report({
          document,
          range: (object.namespace !== undefined ? valueTextRange(tree.text, namespaceNode) : undefined) ?? object.subjectRange,
          message:
            inNamespace.length > 0
              ? `${object.kind} "${object.name ?? '?'}" in namespace "${namespace}" is selected by no NetworkPolicy there (${inNamespace.length} in the namespace): every pod in the cluster can connect to it.`
              : `${object.kind} "${object.name ?? '?'}": namespace "${namespace}" has no NetworkPolicy, so every pod in the cluster can connect to it.`,
          relatedElsewhere:
            inNamespace.length > 0
              ? inNamespace.slice(0, 5).map((policy) => ({ message: `NetworkPolicy "${policy.object.name ?? '?'}" does not select its pods`, document: policy.document, range: policy.object.subjectRange }))
              : elsewhere.slice(0, 3).map((policy) => ({ message: `NetworkPolicy "${policy.object.name ?? '?'}" governs namespace "${namespaceOf(policy.object)}" only`, document: policy.document, range: policy.object.subjectRange })),
        });
      }
    }
  },
});
