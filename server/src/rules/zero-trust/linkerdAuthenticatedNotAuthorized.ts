import { defineRule } from '../rule';
import { valueTextRange } from '../../core/tree';
import { LINKERD_DEFAULT_POLICIES, linkerdServer, namespaceAnnotation, placedObjects, podAnnotation } from '../../model/mesh';

const KEY = 'config.linkerd.io/default-inbound-policy';
/** Policies that check a mesh identity but accept any identity of the mesh. */
const ANY_IDENTITY = new Set(['all-authenticated', 'cluster-authenticated']);

export const linkerdAuthenticatedNotAuthorized = defineRule({
  id: 'ZT050',
  pattern: 'ZT',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Linkerd admits every meshed identity with no per-client authorization',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: least privilege — authorize each caller for what it needs, and assume breach. Linkerd\'s `all-authenticated` and `cluster-authenticated` policies check that the client has a mesh identity, but accept any: one compromised pod anywhere in the mesh may call every such port. A Server\'s `accessPolicy` is what applies when no AuthorizationPolicy matches, so set to one of them it admits any meshed client on its port whatever AuthorizationPolicies say (warning); as the `config.linkerd.io/default-inbound-policy` of a namespace or workload it is what every port no Server covers falls back to (info: the Servers that narrow it may live in other files).',
    fix: 'Give each Server an AuthorizationPolicy whose MeshTLSAuthentication names the service accounts that call it, and keep `accessPolicy: deny` (the default) on the Server so nothing else gets in.',
    bad: 'apiVersion: policy.linkerd.io/v1beta3\nkind: Server\nmetadata:\n  name: orders-http\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: orders}\n  port: http\n  accessPolicy: all-authenticated',
    good: 'apiVersion: policy.linkerd.io/v1beta3\nkind: Server\nmetadata:\n  name: orders-http\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: orders}\n  port: http\n---\napiVersion: policy.linkerd.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata:\n  name: orders-http\n  namespace: shop\nspec:\n  targetRef:\n    group: policy.linkerd.io\n    kind: Server\n    name: orders-http\n  requiredAuthenticationRefs:\n    - group: policy.linkerd.io\n      kind: MeshTLSAuthentication\n      name: web',
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    for (const { document, object } of objects) {
      const server = linkerdServer(object);
      if (server?.accessPolicyNode && ANY_IDENTITY.has(server.accessPolicy)) {
        context.report({
          document,
          range: valueTextRange(object.tree.text, server.accessPolicyNode)!,
          message: `Server "${object.name ?? '?'}" sets accessPolicy ${server.accessPolicy}: ${LINKERD_DEFAULT_POLICIES[server.accessPolicy].admits} may call port ${server.port ?? '?'}, whichever workload it is; AuthorizationPolicies can only add callers to that.`,
        });
      }
      const marking = object.kind === 'Namespace' ? namespaceAnnotation(object, KEY) : object.podSpec ? podAnnotation(object, KEY) : undefined;
      if (marking && ANY_IDENTITY.has(marking.value)) {
        context.report({
          document,
          range: marking.range,
          severity: 'info',
          message: `${object.kind} "${object.name ?? '?'}" sets ${KEY}: ${marking.value}: every port of its pods that no Server covers admits ${LINKERD_DEFAULT_POLICIES[marking.value].admits}, whichever workload it is.`,
        });
      }
    }
  },
});
