import { defineRule } from '../rule';
import { rangeOf } from '../../core/tree';
import { isLinkerdPolicy, linkerdAuthorizationPolicy, placedObjects, routeMatchesOnlyProbes, scalarItems } from '../../model/mesh';
import { namespaceOf } from '../../model/kubernetes';

/** CIDRs that cover every address: the NetworkAuthentication then authenticates nobody in particular. */
const EVERY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

export const linkerdNetworkOnlyAuthentication = defineRule({
  id: 'ZT048',
  pattern: 'ZT',
  alsoPattern: 'BND',
  severity: 'warning',
  title: 'Linkerd authorization by network address alone',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: "authenticate every request with strong means: mTLS, signed tokens — not IP allowlists alone". A Linkerd AuthorizationPolicy whose only `requiredAuthenticationRefs` are NetworkAuthentication objects admits a client because of the address it connects from, meshed or not, with no identity checked: the IP allowlist the pattern names as the classic mistake. Linkerd documents NetworkAuthentication for clients that cannot have a mesh identity (kubelet probes, an unmeshed ingress); `0.0.0.0/0` admits every address there is.',
    fix: 'Require a MeshTLSAuthentication (or a ServiceAccount reference) naming the callers\' identities; keep a NetworkAuthentication only beside it as a second condition, or on an HTTPRoute that matches only probe paths.',
    bad: 'apiVersion: policy.linkerd.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata:\n  name: orders-from-office\n  namespace: shop\nspec:\n  targetRef:\n    group: policy.linkerd.io\n    kind: Server\n    name: orders-http\n  requiredAuthenticationRefs:\n    - group: policy.linkerd.io\n      kind: NetworkAuthentication\n      name: office\n---\napiVersion: policy.linkerd.io/v1alpha1\nkind: NetworkAuthentication\nmetadata:\n  name: office\n  namespace: shop\nspec:\n  networks:\n    - cidr: 10.20.0.0/16',
    good: 'apiVersion: policy.linkerd.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata:\n  name: orders-from-web\n  namespace: shop\nspec:\n  targetRef:\n    group: policy.linkerd.io\n    kind: Server\n    name: orders-http\n  requiredAuthenticationRefs:\n    - group: policy.linkerd.io\n      kind: MeshTLSAuthentication\n      name: web\n---\napiVersion: policy.linkerd.io/v1alpha1\nkind: MeshTLSAuthentication\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  identityRefs:\n    - kind: ServiceAccount\n      name: web',
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    for (const { document, object } of objects) {
      const policy = linkerdAuthorizationPolicy(object);
      if (!policy || policy.authentications.length === 0) continue;
      if (!policy.authentications.every((ref) => ref.kind === 'NetworkAuthentication')) continue;
      const namespace = namespaceOf(object);
      if (policy.targetKind === 'HTTPRoute') {
        const route = objects.find(({ object: candidate }) => isLinkerdPolicy(candidate, 'HTTPRoute') && candidate.name === policy.targetName && namespaceOf(candidate) === namespace);
        // Probes and metrics come from the kubelet and Prometheus, which have no mesh identity: what NetworkAuthentication is for.
        if (route && routeMatchesOnlyProbes(route.object)) continue;
      }
      const networks = policy.authentications.flatMap((ref) => {
        const found = objects.find(({ object: candidate }) => isLinkerdPolicy(candidate, 'NetworkAuthentication') && candidate.name === ref.name && namespaceOf(candidate) === (ref.namespace ?? namespace));
        if (!found) return [];
        const tree = found.object.tree;
        return tree.items(tree.get(tree.map(found.object.root, 'spec'), 'networks')).flatMap((network) => scalarItems(tree, tree.get(network, 'cidr')).map((cidr) => String(cidr.value).trim()));
      });
      const everyone = networks.some((cidr) => EVERY_ADDRESS.has(cidr));
      const target = policy.targetKind ? `${policy.targetKind} "${policy.targetName ?? '?'}"` : 'its target';
      const from = everyone ? 'from any address (0.0.0.0/0), meshed or not' : networks.length > 0 ? `from ${networks.join(', ')}, meshed or not` : 'by the address they connect from, meshed or not';
      context.report({
        document,
        range: policy.refsKey ?? rangeOf(policy.authentications[0].node) ?? object.subjectRange,
        message: `AuthorizationPolicy "${object.name ?? '?'}" authorizes clients of ${target} only by NetworkAuthentication: they are let in ${from}, with no identity checked.`,
      });
    }
  },
});
