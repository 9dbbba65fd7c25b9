import { defineRule } from '../rule';
import { namespaceAnnotation, podAnnotation } from '../../model/mesh';

/** Annotations that let inbound connections reach the application around the mesh proxy, per mesh. */
const BYPASS_ANNOTATIONS: ReadonlyArray<{ readonly key: string; readonly mesh: string; readonly onNamespace: boolean }> = [
  { key: 'config.linkerd.io/skip-inbound-ports', mesh: 'Linkerd', onNamespace: true },
  { key: 'traffic.sidecar.istio.io/excludeInboundPorts', mesh: 'Istio', onNamespace: false },
];

export const meshProxyBypassedPorts = defineRule({
  id: 'ZT049',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Inbound ports bypass the mesh proxy',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['Kyverno prevent-linkerd-port-skipping'],
  guidance: {
    why: 'Zero-Trust: every call is authenticated and authorized, not only the ones that pass the proxy. `config.linkerd.io/skip-inbound-ports` and Istio\'s `traffic.sidecar.istio.io/excludeInboundPorts` (or an empty `includeInboundPorts`) tell the init container not to redirect those ports to the sidecar: connections to them reach the application directly, with no mTLS, no peer identity, and no Server, PeerAuthentication or AuthorizationPolicy enforced — STRICT mTLS on the namespace does not cover them. Linkerd\'s documentation reserves skipping for the narrow cases where the proxy cannot take part (a protocol it breaks); it "exempts them from mTLS".',
    fix: 'Remove the port from the annotation and let the proxy carry it (mark server-speaks-first protocols as opaque ports in Linkerd instead of skipping them); if the port must bypass the mesh, give it its own authentication (TLS with client certificates) and a NetworkPolicy that admits only the callers that need it.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n      annotations:\n        linkerd.io/inject: enabled\n        config.linkerd.io/skip-inbound-ports: "8080"\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n      annotations:\n        linkerd.io/inject: enabled\n        config.linkerd.io/opaque-ports: "5432"\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2',
  },
  checkKubernetes(object, context) {
    const where = `${object.kind} "${object.name ?? '?'}"`;
    for (const { key, mesh, onNamespace } of BYPASS_ANNOTATIONS) {
      const marking = object.kind === 'Namespace' ? (onNamespace ? namespaceAnnotation(object, key) : undefined) : podAnnotation(object, key);
      if (!marking || marking.value === '' || marking.value.includes('{{')) continue;
      const scope = object.kind === 'Namespace' ? `every pod of namespace "${object.name ?? '?'}"` : 'its pods';
      context.report({ range: marking.range, message: `${where} sets ${key}: "${marking.value}": connections to ${scope} on those ports reach the application around the ${mesh} proxy, with no mTLS, no peer identity and no mesh authorization policy.` });
    }
    const include = object.kind === 'Namespace' ? undefined : podAnnotation(object, 'traffic.sidecar.istio.io/includeInboundPorts');
    if (include && include.value === '') {
      context.report({ range: include.range, message: `${where} sets traffic.sidecar.istio.io/includeInboundPorts to "": no inbound port of its pods is redirected to the Istio proxy, so every connection reaches the application with no mTLS, no peer identity and no mesh authorization policy.` });
    }
  },
});
