import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { valueTextRange } from '../../core/tree';
import { clusterServicesOf, destinationRule, placedObjects } from '../../model/mesh';
import { namespaceOf } from '../../model/kubernetes';

export const destinationRuleTlsDowngrade = defineRule({
  id: 'ZT043',
  pattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Istio DestinationRule turns mesh mTLS off towards in-cluster services',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: [],
  guidance: {
    why: 'Zero-Trust: every call carries mTLS, so the callee knows who calls. A DestinationRule\'s `tls.mode` decides what the client sidecar sends: `DISABLE` sends plain text, so the call carries no identity and can be read and changed on the wire (an error); `SIMPLE` originates one-way TLS with no client certificate, so the callee still learns nothing of the caller, and a callee with STRICT mTLS refuses it (a warning). Towards Services inside the mesh the mode is `ISTIO_MUTUAL`.',
    fix: 'Set `tls.mode: ISTIO_MUTUAL` (or remove the `tls` block and let auto mTLS choose); keep `SIMPLE`/`MUTUAL` for hosts outside the mesh.',
    bad: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  host: orders.shop.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: DISABLE',
    good: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  host: orders.shop.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL',
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    const services = objects.filter(({ object }) => object.kind === 'Service' && object.apiVersion === 'v1' && object.name).map(({ object }) => ({ name: object.name!, namespace: namespaceOf(object) }));
    for (const { document, object } of objects) {
      const rule = destinationRule(object);
      if (!rule?.host) continue;
      const inCluster = clusterServicesOf(rule.host, namespaceOf(object), services);
      if (!inCluster) continue;
      for (const tls of rule.tls) {
        if (tls.mode !== 'DISABLE' && tls.mode !== 'SIMPLE') continue;
        const onlyMode = object.tree.entries(tls.tls).length === 1;
        context.report({
          document,
          range: valueTextRange(object.tree.text, tls.modeNode)!,
          severity: tls.mode === 'SIMPLE' ? 'warning' : undefined,
          message:
            tls.mode === 'DISABLE'
              ? `DestinationRule "${object.name ?? '?'}" sets ${tls.where} tls.mode DISABLE towards ${rule.host}: calls to in-cluster Services go out as plain text, with no caller identity, readable and changeable on the way.`
              : `DestinationRule "${object.name ?? '?'}" sets ${tls.where} tls.mode SIMPLE towards ${rule.host}: the client sidecar sends one-way TLS without its certificate, so the callee cannot tell who calls (and refuses it under STRICT mTLS).`,
          fixes: tls.mode === 'DISABLE' || onlyMode ? fix('Set tls.mode ISTIO_MUTUAL', [replaceNode(tls.modeNode, 'ISTIO_MUTUAL')], false) : undefined,
        });
      }
    }
  },
});
