import { defineRule } from '../rule';
import { IDENTITY_FIELDS, istioAuthorizationPolicy, sourceValues } from '../../model/mesh';

const IP_FIELDS = ['ipBlocks', 'remoteIpBlocks'] as const;

export const istioIpOnlySource = defineRule({
  id: 'ZT041',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Istio ALLOW rule trusts callers by IP address alone',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: "no implicit trust from network location" — IP allowlists as the only authentication are the classic mistake; strong identity (mTLS, signed tokens) comes first and addresses only as a second layer. An Istio ALLOW rule whose only source condition is `ipBlocks` or `remoteIpBlocks` admits whatever runs at, or spoofs its way to, those addresses (a compromised pod, a NAT gateway shared with others, an `X-Forwarded-For` header at the edge).',
    fix: 'Require an identity in the same source: `principals` (the caller\'s mTLS identity), `requestPrincipals` (a validated JWT) or `namespaces`; keep the address ranges beside them as a second layer.',
    bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: office\n  namespace: admin\nspec:\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            ipBlocks: ["10.20.0.0/16"]',
    good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: office\n  namespace: admin\nspec:\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            ipBlocks: ["10.20.0.0/16"]\n            requestPrincipals: ["https://login.example.com/*"]',
  },
  checkKubernetes(object, context) {
    const policy = istioAuthorizationPolicy(object);
    if (!policy || policy.action !== 'ALLOW' || policy.dryRun) return;
    for (const rule of policy.rules) {
      const claims = rule.when.some((condition) => /^(?:request\.auth\.|source\.principal|source\.namespace)/.test(condition.key));
      if (claims) continue;
      for (const source of rule.from) {
        const ip = IP_FIELDS.find((field) => (sourceValues(source, field)?.length ?? 0) > 0);
        if (!ip || IDENTITY_FIELDS.some((field) => (sourceValues(source, field)?.length ?? 0) > 0)) continue;
        context.report({
          range: source.keys.get(ip)!,
          message: `AuthorizationPolicy "${object.name ?? '?'}" allows callers by ${ip} alone: anything that sends from (or claims) those addresses is trusted, with no peer or request identity checked.`,
        });
      }
    }
  },
});
