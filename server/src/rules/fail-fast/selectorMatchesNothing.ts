import { defineRule } from '../rule';
import { valueTextRange } from '../../core/tree';
import { namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import type { AnalyzedDocument } from '../../model/documents';
import { isEmptySelector, matches, podLabels, type LabelSelector } from '../../model/labels';
import { networkPolicy } from '../../model/networkPolicies';
import { DefinedObjects } from '../../model/references';
import { readService } from '../../model/services';

function describeSelector(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`);
  return [...labels, ...(selector.expressions.length > 0 ? [`${selector.expressions.length} expression(s)`] : [])].join(', ');
}

const TEMPLATED = /\{\{|\$\{/;

export const selectorMatchesNothing = defineRule({
  id: 'FF024',
  pattern: 'FF',
  alsoPattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Service or NetworkPolicy selects no pod of its namespace',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter dangling-service, dangling-networkpolicy, non-isolated-pod', 'KICS Service Does Not Target Pod', 'Polaris metadataAndInstanceMismatched'],
  guidance: {
    why: 'Fail fast: a selector that matches nothing is accepted by the API server without a word and fails only at run time. A NetworkPolicy whose `podSelector` picks no pod protects nothing: the pods it was written for run with whatever else applies, often no isolation at all, and nobody notices (warning). A Service whose selector picks no pod has no endpoints: clients get connection refused instead of a deploy-time error (info). The rule looks across the analysed files (and, in the CLI, the YAML beside a scanned file), and only judges a namespace whose pods it can see: it says nothing when the files define no workload there, or define custom resources an operator may create pods from.',
    fix: 'Make the selector match the pod template\'s labels (`spec.template.metadata.labels`), or remove the object if its workload is gone.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:2.3.1\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-ingress\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: shop-api}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: gateway}',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:2.3.1\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-ingress\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: api}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: gateway}',
  },
  checkWorkspace(documents, context) {
    const defined = new DefinedObjects(documents);
    const workloads = new Map<string, KubernetesObject[]>();
    for (const document of documents) {
      for (const object of document.kubernetes) if (object.podSpec) workloads.set(namespaceOf(object), [...(workloads.get(namespaceOf(object)) ?? []), object]);
    }
    const judged = (namespace: string) => (workloads.get(namespace)?.length ?? 0) > 0 && !defined.customResources.has(namespace);
    const selectsNone = (namespace: string, selector: LabelSelector) => !(workloads.get(namespace) ?? []).some((workload) => matches(selector, podLabels(workload)));
    const templated = (selector: LabelSelector) => Object.entries(selector.matchLabels).some(([key, value]) => TEMPLATED.test(key) || TEMPLATED.test(value));
    const check = (document: AnalyzedDocument, object: KubernetesObject) => {
      const namespace = namespaceOf(object);
      if (!judged(namespace)) return;
      const count = workloads.get(namespace)!.length;
      const service = readService(object);
      if (service?.selector && service.type !== 'ExternalName' && !isEmptySelector(service.selector) && !templated(service.selector) && selectsNone(namespace, service.selector)) {
        const selectorNode = object.tree.get(object.tree.map(object.root, 'spec'), 'selector');
        context.report({
          document,
          range: valueTextRange(object.tree.text, selectorNode) ?? object.subjectRange,
          severity: 'info',
          message: `Service "${object.name ?? '?'}" selects ${describeSelector(service.selector)}, but none of the ${count} pod template(s) of namespace "${namespace}" in the analysed files carries these labels: it gets no endpoints, and clients are refused at run time.`,
        });
        return;
      }
      const policy = networkPolicy(object);
      if (!policy?.podSelector || isEmptySelector(policy.podSelector) || templated(policy.podSelector)) return;
      if (!selectsNone(namespace, policy.podSelector)) return;
      const selectorNode = object.tree.get(object.tree.map(object.root, 'spec'), 'podSelector');
      context.report({
        document,
        range: valueTextRange(object.tree.text, selectorNode) ?? object.subjectRange,
        message: `NetworkPolicy "${object.name ?? '?'}" selects ${describeSelector(policy.podSelector)}, but none of the ${count} pod template(s) of namespace "${namespace}" in the analysed files carries these labels: it isolates no pod, and the pods it was written for run without it.`,
      });
    };
    for (const document of documents) for (const object of document.kubernetes) check(document, object);
  },
});
