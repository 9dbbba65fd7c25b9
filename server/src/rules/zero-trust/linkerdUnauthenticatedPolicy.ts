import { defineRule } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import { isScalar } from '../../core/yaml';
import { LINKERD_DEFAULT_POLICIES, isLinkerdPolicy, linkerdAuthorizationPolicy, linkerdServer, matchesEveryIdentity, meshTlsIdentities } from '../../model/mesh';

const KEY = 'config.linkerd.io/default-inbound-policy';

export const linkerdUnauthenticatedPolicy = defineRule({
  id: 'ZT045',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Linkerd policy admits clients without a mesh identity',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: [],
  guidance: {
    why: 'Zero-Trust: authenticate every call with a strong identity, never trust where a caller sits. Linkerd admits traffic by its default inbound policy and by Server / AuthorizationPolicy objects. `all-unauthenticated`, `cluster-unauthenticated` and `audit` (as `config.linkerd.io/default-inbound-policy`, or a Server\'s `accessPolicy`) admit clients with no mesh identity; a MeshTLSAuthentication or ServerAuthorization with `identities: ["*"]` admits every meshed workload of every namespace, and `unauthenticated: true` admits anyone. Each turns identity-based authorization back into "inside the network = trusted".',
    fix: 'Use `all-authenticated` or `deny` as the default inbound policy, and authorize each Server with an AuthorizationPolicy whose MeshTLSAuthentication names the callers\' service accounts (`identityRefs`, or identities of one namespace).',
    bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    linkerd.io/inject: enabled\n    config.linkerd.io/default-inbound-policy: all-unauthenticated',
    good: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    linkerd.io/inject: enabled\n    config.linkerd.io/default-inbound-policy: all-authenticated',
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    const where = `${object.kind} "${object.name ?? '?'}"`;
    const annotationHolders = [object.kind === 'Namespace' ? object.metadata : undefined, object.podSpec?.metadata].filter((map) => map !== undefined);
    for (const metadata of annotationHolders) {
      const node = tree.get(tree.get(metadata, 'annotations'), KEY);
      const value = scalarText(node)?.trim();
      const policy = value ? LINKERD_DEFAULT_POLICIES[value] : undefined;
      if (!isScalar(node) || !policy?.unauthenticated) continue;
      context.report({
        range: valueTextRange(tree.text, node)!,
        message: `${where} sets ${KEY}: ${value}: ports no Server covers admit ${policy.admits}, with no identity checked.`,
        fixes: fix('Set all-authenticated', [replaceNode(node, 'all-authenticated')], false),
      });
    }
    const server = linkerdServer(object);
    if (server?.accessPolicyNode && LINKERD_DEFAULT_POLICIES[server.accessPolicy]?.unauthenticated) {
      context.report({
        range: valueTextRange(tree.text, server.accessPolicyNode)!,
        message: `${where} sets accessPolicy ${server.accessPolicy}: its port admits ${LINKERD_DEFAULT_POLICIES[server.accessPolicy].admits} unless an AuthorizationPolicy says otherwise.`,
        fixes: fix('Set accessPolicy deny', [replaceNode(server.accessPolicyNode, 'deny')], false),
      });
    }
    for (const identity of meshTlsIdentities(object)) {
      if (!matchesEveryIdentity(identity.value)) continue;
      context.report({ range: identity.range, message: `${where} accepts identity "${identity.value}": every meshed workload of every namespace is authorized, so a compromised pod anywhere in the mesh may call.` });
    }
    if (isLinkerdPolicy(object, 'ServerAuthorization')) {
      const client = tree.get(tree.map(object.root, 'spec'), 'client');
      const unauthenticated = tree.get(client, 'unauthenticated');
      if (scalarText(unauthenticated)?.trim() === 'true') context.report({ range: valueTextRange(tree.text, unauthenticated)!, message: `${where} sets client.unauthenticated: true: clients with no mesh identity are authorized.` });
    }
    const authorization = linkerdAuthorizationPolicy(object);
    if (authorization && authorization.refsKey && authorization.authentications.length === 0) {
      context.report({ range: authorization.refsKey, message: `${where} has an empty requiredAuthenticationRefs: it authorizes every client, meshed or not, from any network.` });
    }
  },
});
