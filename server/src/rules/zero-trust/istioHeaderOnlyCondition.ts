import { defineRule } from '../rule';
import { rangeOf } from '../../core/tree';
import { istioAuthorizationPolicy } from '../../model/mesh';

/** `when` keys that test something the caller writes into its own request. */
const CALLER_CHOSEN = /^request\.headers\[/i;

export const istioHeaderOnlyCondition = defineRule({
  id: 'ZT053',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Istio ALLOW rule trusts a request header alone',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: verify explicitly — authenticate every request with strong means. An Istio ALLOW rule whose only condition is `when: request.headers[...]` admits whoever sends that header, and every caller chooses its own headers: a shared value in a header is a password sent in the clear to every hop, with no identity behind it. The rule has no `from` (any caller, meshed or not), so the header is the whole check.',
    fix: 'Require an identity in the same rule: `from.source.principals` (mTLS) or `requestPrincipals` (a validated JWT), and test claims of the token (`request.auth.claims[...]`) instead of raw headers.',
    bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: frontend\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: frontend}\n  action: ALLOW\n  rules:\n    - when:\n        - key: request.headers[x-api-key]\n          values: ["s3cr3t"]',
    good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: frontend\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: frontend}\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            requestPrincipals: ["https://login.example.com/*"]\n      when:\n        - key: request.auth.claims[groups]\n          values: ["shop-admins"]',
  },
  checkKubernetes(object, context) {
    const policy = istioAuthorizationPolicy(object);
    if (!policy || policy.action !== 'ALLOW' || policy.dryRun) return;
    for (const rule of policy.rules) {
      if (rule.from.length > 0 || rule.when.length === 0 || !rule.when.every((condition) => CALLER_CHOSEN.test(condition.key))) continue;
      const range = rangeOf(object.tree.get(rule.when[0].node, 'key')) ?? rule.range;
      context.report({ range, message: `AuthorizationPolicy "${object.name ?? '?'}" allows any caller that sends ${rule.when.map((condition) => condition.key).join(' and ')}: the caller writes its own headers, so no identity is checked.` });
    }
  },
});
