import { defineRule } from '../rule';
import { namespaceLabel, namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import type { AnalyzedDocument } from '../../model/documents';
import { matches, podLabels, type LabelSelector } from '../../model/labels';
import { networkPolicy } from '../../model/networkPolicies';
import { readService } from '../../model/services';
import { valueTextRange } from '../../core/tree';
import { appendTo } from '../../core/collections';

/** Policy kinds of CNI plugins whose selection we do not evaluate: their namespaces are left alone. */
const OTHER_POLICY_KINDS = new Set(['CiliumNetworkPolicy', 'NetworkPolicy/projectcalico.org', 'AdminNetworkPolicy']);
const CLUSTER_WIDE_POLICY_KINDS = new Set(['CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy', 'ClusterNetworkPolicy', 'BaselineAdminNetworkPolicy']);

/** Batch pods run to completion and accept no connections worth a policy of their own. */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

interface Policy {
  readonly object: KubernetesObject;
  readonly document: AnalyzedDocument;
  readonly selector: LabelSelector | undefined;
  readonly governsIngress: boolean;
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
    why: 'A pod that no NetworkPolicy selects for ingress accepts connections from every pod in the cluster: the namespace is a name, not a boundary, and one compromised pod anywhere can reach it. Zones become real only when a policy says who may cross. A policy counts only for the directions its `policyTypes` name: an Egress-only policy leaves ingress open. Judged for namespaces the files analysed own (they create the Namespace, or hold its NetworkPolicies), once per namespace with the other workloads related; a namespace created elsewhere (kube-system, an operator\'s) may have policies out of sight. Jobs and CronJobs, pods on the host network (which policies do not govern), pods a LoadBalancer Service of their namespace exposes as the entry point (an ingress controller, a public gateway: every client must reach them, so isolation is not the remedy; a NodePort, often opened for node-level clients, does not count) and namespaces governed by Cilium or Calico policies are not judged.',
    fix: 'Add a default-deny NetworkPolicy to the namespace (`podSelector: {}` with `policyTypes: [Ingress]`), then allow each needed flow explicitly.',
    bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:2.3.1',
    good: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]',
  },
  checkWorkspace(documents, context) {
    const policies = new Map<string, Policy[]>();
    const otherPolicyNamespaces = new Set<string>();
    const createdNamespaces = new Set<string>();
    // Selectors of LoadBalancer Services: the pods they pick are the entry point every client must reach.
    // (A NodePort opens node addresses, often for node-level clients such as agents: not judged an entry point.)
    const entryPoints = new Map<string, LabelSelector[]>();
    let clusterWidePolicy = false;
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const qualified = object.apiVersion.startsWith('projectcalico.org/') ? `${object.kind}/projectcalico.org` : object.kind;
        if (CLUSTER_WIDE_POLICY_KINDS.has(object.kind)) clusterWidePolicy = true;
        if (OTHER_POLICY_KINDS.has(qualified)) otherPolicyNamespaces.add(namespaceOf(object));
        if (object.kind === 'Namespace' && object.apiVersion === 'v1' && object.name) createdNamespaces.add(object.name);
        const service = readService(object);
        if (service?.selector && Object.keys(service.selector.matchLabels).length > 0 && service.type === 'LoadBalancer') appendTo(entryPoints, namespaceOf(object), service.selector);
        const policy = networkPolicy(object);
        if (!policy) continue;
        const list = policies.get(namespaceOf(object)) ?? [];
        list.push({ object, document, selector: policy.podSelector, governsIngress: policy.governsIngress });
        policies.set(namespaceOf(object), list);
      }
    }
    if (clusterWidePolicy) return;
    // Workloads no policy isolates for ingress, grouped by namespace: one finding per namespace.
    const open = new Map<string, Array<{ object: KubernetesObject; document: AnalyzedDocument }>>();
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const spec = object.podSpec?.node;
        if (!spec || RUN_TO_COMPLETION.has(object.kind) || object.tree.boolean(spec, 'hostNetwork') === true) continue;
        const namespace = namespaceOf(object);
        const inNamespace = policies.get(namespace) ?? [];
        // A namespace neither created nor governed by these files may have policies out of sight.
        if (otherPolicyNamespaces.has(namespace) || (inNamespace.length === 0 && (object.namespace === undefined || !createdNamespaces.has(namespace)))) continue;
        const labels = podLabels(object);
        // A policy with no (or an empty) podSelector selects every pod of its namespace.
        if (inNamespace.some((policy) => policy.governsIngress && (!policy.selector || matches(policy.selector, labels)))) continue;
        // Exposed by a LoadBalancer Service: the entry point every client must reach.
        if ((entryPoints.get(namespace) ?? []).some((selector) => matches(selector, labels))) continue;
        appendTo(open, namespace, { object, document });
      }
    }
    for (const [namespace, workloads] of open) {
      const [{ object, document }, ...others] = workloads;
      const inNamespace = policies.get(namespace) ?? [];
      const egressOnly = inNamespace.filter((policy) => !policy.governsIngress);
      const tree = object.tree;
      const namespaceNode = object.metadata ? tree.get(object.metadata, 'namespace') : undefined;
      const where = namespaceLabel(object);
      const who = others.length > 0 ? `${object.kind} "${object.name ?? '?'}" and ${others.length} more workload${others.length > 1 ? 's' : ''} in ${where}` : `${object.kind} "${object.name ?? '?'}" in ${where}`;
      const why =
        inNamespace.length === 0
          ? `the namespace has no NetworkPolicy in the files analysed`
          : egressOnly.length === inNamespace.length
            ? `its ${inNamespace.length > 1 ? `${inNamespace.length} NetworkPolicies govern` : 'NetworkPolicy governs'} egress only (policyTypes without Ingress)`
            : `none of the ${inNamespace.length} NetworkPolicies there selects ${others.length > 0 ? 'them' : 'it'} for ingress`;
      context.report({
        document,
        range: (object.namespace !== undefined ? valueTextRange(tree.text, namespaceNode) : undefined) ?? object.subjectRange,
        message: `${who} ${others.length > 0 ? 'are' : 'is'} isolated by no NetworkPolicy: ${why}, so every pod in the cluster can connect to ${others.length > 0 ? 'them' : 'it'}.`,
        relatedElsewhere: [
          ...others.slice(0, MAX_RELATED).map((other) => ({ message: `${other.object.kind} "${other.object.name ?? '?'}" is not isolated either`, document: other.document, range: other.object.subjectRange })),
          ...inNamespace.slice(0, 5).map((policy) => ({ message: policy.governsIngress ? `NetworkPolicy "${policy.object.name ?? '?'}" does not select these pods` : `NetworkPolicy "${policy.object.name ?? '?'}" governs egress only`, document: policy.document, range: policy.object.subjectRange })),
        ],
      });
    }
  },
});

const MAX_RELATED = 20;
