import { defineRule } from '../rule';
import { istioAuthorizationPolicy } from '../../model/mesh';

export const istioAllowAll = defineRule({
  id: 'ZT040',
  pattern: 'ZT',
  severity: 'error',
  title: 'Istio ALLOW policy with a rule that matches every request',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['Kubescape C-0262 (anonymous access)'],
  guidance: {
    why: 'Zero-Trust: "never trust, always verify" — every call is authorized for who makes it and what it asks. In an Istio AuthorizationPolicy with `action: ALLOW`, a rule matches when its `from`, `to` and `when` all match, and an absent field matches anything, so `rules: [{}]` (or a rule with none of them) allows every request from every caller, meshed or not, to every path. That is the same as no policy, written so that it looks like one. (A policy with no `rules` at all is the opposite: it allows nothing.)',
    fix: 'Give each rule the callers it trusts (`from.source.principals` of their service accounts, `requestPrincipals` for end users) and the operations they may use (`to.operation.methods` and `paths`).',
    bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-all\n  namespace: shop\nspec:\n  action: ALLOW\n  rules:\n    - {}',
    good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/web"]\n      to:\n        - operation:\n            methods: ["GET"]\n            paths: ["/orders/*"]',
  },
  checkKubernetes(object, context) {
    const policy = istioAuthorizationPolicy(object);
    if (!policy || policy.action !== 'ALLOW' || policy.dryRun) return;
    const open = policy.rules.find((rule) => rule.from.length === 0 && rule.to.length === 0 && rule.when.length === 0);
    if (!open) return;
    const scope = policy.targetRefs.length > 0 ? `what it is attached to (${policy.targetRefs.map((ref) => `${ref.kind} "${ref.name}"`).join(', ')})` : policy.selector ? 'the selected workloads' : object.namespace === 'istio-system' ? 'every workload of the mesh' : `every workload of namespace "${object.namespace ?? 'default'}"`;
    context.report({
      range: open.range,
      message: `AuthorizationPolicy "${object.name ?? '?'}" has an ALLOW rule with no from, to or when: it matches every request, so ${scope} accept any caller, with or without an identity, on every path and method.`,
    });
  },
});
