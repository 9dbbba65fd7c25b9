import { defineRule } from '../rule';
import { istioAuthorizationPolicy, sourceValues, type IstioSource } from '../../model/mesh';

/** Positive identity conditions of a source: who the caller is. */
const POSITIVE = ['principals', 'requestPrincipals', 'namespaces', 'serviceAccounts'] as const;
/** Negated identity conditions: who the caller is not. */
const NEGATED = ['notPrincipals', 'notNamespaces', 'notServiceAccounts'] as const;

/** What is wrong with a source of an ALLOW rule, as a phrase with the key to point at; undefined when it names its callers. */
function openness(source: IstioSource): { readonly key: string; readonly what: string } | undefined {
  const positive = POSITIVE.filter((field) => (sourceValues(source, field)?.length ?? 0) > 0);
  const negated = NEGATED.find((field) => (sourceValues(source, field)?.length ?? 0) > 0);
  if (positive.length === 0 && negated) {
    return { key: negated, what: `only ${negated}: it allows every caller not listed, including callers with no identity at all (a plain-text request has no principal, which is "not" any listed one)` };
  }
  // `principals: ["*"]` (or namespaces) is "any mTLS identity"; a narrower field beside it still names the callers.
  const wildcard = (['principals', 'namespaces'] as const).find((field) => sourceValues(source, field)?.some((item) => item.value.trim() === '*'));
  const narrowed = positive.some((field) => sourceValues(source, field)?.some((item) => item.value.trim() !== '*'));
  if (wildcard && !narrowed) return { key: wildcard, what: `${wildcard}: ["*"] and nothing narrower: any workload with a mesh identity, in any namespace, is allowed` };
  return undefined;
}

export const istioOpenSource = defineRule({
  id: 'ZT051',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Istio ALLOW rule admits any identity, or everyone but a few',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: least privilege — authorize each caller by who it is. In an Istio ALLOW rule, `principals: ["*"]` matches any peer with an mTLS identity: every workload of every namespace of the mesh, one compromised pod included. `notPrincipals` (or `notNamespaces`, `notServiceAccounts`) with no positive condition beside it is a deny-list written as an allow: it matches every caller not listed, and a request with no identity at all has no principal, so it is "not" any of them — Istio\'s documentation pairs `notPrincipals` with `principals: ["*"]` for that reason.',
    fix: 'Name the callers: `principals: ["cluster.local/ns/shop/sa/web"]` (or their namespaces); to exclude a few, use a DENY policy, and keep an ALLOW policy that names who may call.',
    bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            notPrincipals: ["cluster.local/ns/test/sa/load-generator"]',
    good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/web"]',
  },
  checkKubernetes(object, context) {
    const policy = istioAuthorizationPolicy(object);
    if (!policy || policy.action !== 'ALLOW' || policy.dryRun) return;
    for (const rule of policy.rules) {
      for (const source of rule.from) {
        const open = openness(source);
        const range = open ? source.keys.get(open.key) : undefined;
        if (!open || !range) continue;
        context.report({ range, message: `AuthorizationPolicy "${object.name ?? '?'}" has an ALLOW source with ${open.what}.` });
      }
    }
  },
});
