import { defineRule, type WorkspaceRuleContext } from '../rule';
import { MODEL_HEADER } from '../shared/architecture';
import { systemScopes } from '../../model/systems';
import { flowDrifts, type DriftControl } from '../../model/meshDrift';
import type { AnalyzedDocument } from '../../model/documents';

export const archDriftTokenNotRequired = defineRule({
  id: 'ZT046',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Flow declared token-authenticated but the mesh does not require a token',
  kinds: ['architecture'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: every call carries a signed token and is verified. When the model says a flow is authenticated with a JWT (or OAuth2/OIDC token) and the mesh in front of the receiving workload validates tokens (an Istio RequestAuthentication selects it), the mesh must also require them: an AuthorizationPolicy with `requestPrincipals`. Without it requests that carry no token pass as anonymous, and the model promises a control the deployment does not have. (Without a RequestAuthentication the application may check tokens itself, which the manifests cannot show: nothing is reported.)',
    fix: 'Deploy a RequestAuthentication for the issuer and an AuthorizationPolicy for the same workload with `from.source.requestPrincipals` (or a DENY rule for `notRequestPrincipals: ["*"]`); or correct the model.',
    bad: `${MODEL_HEADER}components:\n  web: {}\n  orders:\n    implementedBy: {kubernetes: [shop/Deployment/orders]}\nflows:\n  order:\n    from: web\n    to: orders\n    authentication: [mtls, jwt]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  template:\n    metadata: {labels: {app: orders}}\n    spec:\n      containers: [{name: orders, image: example/orders:1.4.2}]\n---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: orders-jwt, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  jwtRules: [{issuer: https://login.example.com}]`,
    good: `${MODEL_HEADER}components:\n  web: {}\n  orders:\n    implementedBy: {kubernetes: [shop/Deployment/orders]}\nflows:\n  order:\n    from: web\n    to: orders\n    authentication: [mtls, jwt]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  template:\n    metadata: {labels: {app: orders}}\n    spec:\n      containers: [{name: orders, image: example/orders:1.4.2}]\n---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: orders-jwt, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  jwtRules: [{issuer: https://login.example.com}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  action: ALLOW\n  rules:\n    - from: [{source: {requestPrincipals: [https://login.example.com/*]}}]`,
  },
  checkWorkspace(documents, context) {
    reportDrifts(documents, context, 'token', (flow, what) => `flow "${flow}", which the model declares token-authenticated, ${what}`);
  },
});

/**
 * Reports the drifts of one control at the workload that should enforce it, with the model line
 * that declares it and the policy that decides it as related places. Shared by ZT046 and ZT047.
 */
export function reportDrifts(documents: readonly AnalyzedDocument[], context: WorkspaceRuleContext, control: DriftControl, describe: (flow: string, deployed: string) => string): void {
  for (const scope of systemScopes(documents)) {
    const seen = new Set<unknown>();
    for (const drift of flowDrifts(scope).filter((entry) => entry.control === control)) {
      if (seen.has(drift.workload)) continue;
      seen.add(drift.workload);
      context.report({
        document: drift.document,
        range: drift.workload.subjectRange,
        message: `${drift.workload.kind} "${drift.workload.name ?? '?'}" receives ${describe(drift.flow.id, `but it ${drift.deployed}`)}.`,
        relatedElsewhere: [
          { message: `flow "${drift.flow.id}" declares it`, document: drift.part.document, range: drift.declared },
          ...(drift.evidence ? [{ message: `${drift.evidence.label} decides it here`, document: drift.evidence.document, range: drift.evidence.range }] : []),
        ],
      });
    }
  }
}
