import { defineRule } from '../rule';
import { namespaceObjects, placedObjects } from '../../model/mesh';
import { namespaceOf } from '../../model/kubernetes';
import { isScalar, type YAMLMap } from '../../core/yaml';
import { scalarText, valueTextRange, type YamlTree } from '../../core/tree';

export const istioSidecarOptOut = defineRule({
  id: 'ZT044',
  pattern: 'ZT',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Workload opts out of the Istio sidecar in a meshed namespace',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: every call is authenticated and authorized, not only the ones that happen to pass a proxy. In a namespace labelled for Istio injection, `sidecar.istio.io/inject: "false"` on a pod template takes that workload out of the mesh: its calls carry no mTLS identity, PeerAuthentication and AuthorizationPolicy are not enforced in front of it, and under STRICT mTLS its meshed peers refuse it — so people open PERMISSIVE to make it work. Jobs often opt out because the sidecar kept them from completing; Kubernetes native sidecars (Istio 1.19+) remove that reason, so for Jobs and CronJobs this is info.',
    fix: 'Remove the opt-out (or set it to "true"); for Jobs, enable native sidecars (`ENABLE_NATIVE_SIDECARS`) instead of leaving the mesh.',
    bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders, sidecar.istio.io/inject: "false"}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2',
    good: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2',
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    const namespaces = namespaceObjects(objects);
    for (const { document, object } of objects) {
      const metadata = object.podSpec?.metadata ?? (object.kind === 'Pod' ? object.metadata : undefined);
      if (!object.podSpec || !metadata) continue;
      const node = object.tree.get(object.tree.get(metadata, 'labels'), 'sidecar.istio.io/inject') ?? object.tree.get(object.tree.get(metadata, 'annotations'), 'sidecar.istio.io/inject');
      if (!isScalar(node) || scalarText(node)?.trim() !== 'false') continue;
      const namespace = namespaces.get(namespaceOf(object));
      if (!namespace) continue;
      const enrolled = namespaceEnrolsIstio(namespace.object);
      if (!enrolled) continue;
      const job = object.kind === 'Job' || object.kind === 'CronJob';
      context.report({
        document,
        range: valueTextRange(object.tree.text, node)!,
        severity: job ? 'info' : undefined,
        message: `${object.kind} "${object.name ?? '?'}" sets sidecar.istio.io/inject: "false" in namespace "${namespace.object.name}", which Istio injects (${enrolled}): its pods run outside the mesh, with no mTLS identity and no mesh authorization in front of them.`,
        relatedElsewhere: [{ message: `namespace "${namespace.object.name}" is meshed`, document: namespace.document, range: namespace.object.subjectRange }],
      });
    }
  },
});

/** `istio-injection: enabled` or an `istio.io/rev` label on a Namespace (not `istio-injection: disabled`). */
function namespaceEnrolsIstio(namespace: { readonly tree: YamlTree; readonly metadata?: YAMLMap }): string | undefined {
  const labels = namespace.tree.get(namespace.metadata, 'labels');
  const injection = scalarText(namespace.tree.get(labels, 'istio-injection'))?.trim();
  if (injection === 'enabled') return 'istio-injection: enabled';
  const revision = scalarText(namespace.tree.get(labels, 'istio.io/rev'))?.trim();
  return revision && injection !== 'disabled' ? `istio.io/rev: ${revision}` : undefined;
}
