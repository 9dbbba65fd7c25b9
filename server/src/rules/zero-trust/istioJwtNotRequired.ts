import { defineRule } from '../rule';
import type { TextEdit } from '../../core/types';
import { rangeOf } from '../../core/tree';
import { istioPolicyReaches, istioPolicyScope, meshContext, placedObjects, ruleRequiresToken, tokenRequirement, tokenRequirementOfScope, type PlacedObject } from '../../model/mesh';

export const istioJwtNotRequired = defineRule({
  id: 'ZT042',
  pattern: 'ZT',
  alsoPattern: 'FF',
  severity: 'warning',
  title: 'Istio validates JWTs but does not require them',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: [],
  guidance: {
    why: 'Zero-Trust: "authenticate every request with strong means". An Istio RequestAuthentication only says which tokens are valid: a request with an invalid token is rejected, but a request with no token at all is let through with no request identity (Istio\'s documentation: "a request without any token is accepted"). Unless an AuthorizationPolicy requires `requestPrincipals` (or a DENY policy rejects `notRequestPrincipals: ["*"]`), the JWT check fails open — Fail-Fast\'s opposite.',
    fix: 'Add an AuthorizationPolicy for the same workloads that requires a token: an ALLOW rule with `from.source.requestPrincipals` (the issuers you accept), or a DENY rule for `notRequestPrincipals: ["*"]`. The quick fix adds the DENY policy beside the RequestAuthentication.',
    bad: 'apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  jwtRules:\n    - issuer: https://login.example.com\n      jwksUri: https://login.example.com/.well-known/jwks.json',
    good: 'apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  jwtRules:\n    - issuer: https://login.example.com\n      jwksUri: https://login.example.com/.well-known/jwks.json\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: require-jwt\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  action: DENY\n  rules:\n    - from:\n        - source:\n            notRequestPrincipals: ["*"]',
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    const mesh = meshContext(objects);
    for (const authentication of mesh.requestAuthentications) {
      const { object } = authentication;
      if (istioPolicyScope(object).targetRefs.length > 0) continue;
      const workloads = objects.filter((placed) => placed.object.podSpec && istioPolicyReaches(object, placed.object) === 'selects');
      const open = workloads.filter((placed) => tokenRequirement(placed.object, mesh).requirement !== 'required');
      if (workloads.length > 0 ? open.length === 0 : tokenRequirementOfScope(authentication, mesh).requirement === 'required') continue;
      // ALLOW policies are ORed: one that requires the token does not help while another admits requests without one.
      const scope = istioPolicyScope(object);
      const allows = mesh.authorizationPolicies.filter(({ policy }) => policy.action === 'ALLOW' && !policy.dryRun && policy.targetRefs.length === 0 && istioPolicyScope(policy.object).namespace === scope.namespace && (!policy.selector || JSON.stringify(policy.selector) === JSON.stringify(scope.selector)));
      const requiring = allows.find(({ policy }) => policy.rules.length > 0 && policy.rules.every(ruleRequiresToken));
      const admitting = allows.find(({ policy }) => policy.rules.some((rule) => !ruleRequiresToken(rule)));
      const why = requiring && admitting ? `validates tokens and AuthorizationPolicy "${requiring.policy.object.name ?? '?'}" requires one, but ALLOW policy "${admitting.policy.object.name ?? '?'}" admits requests without one (ALLOW policies are ORed)` : 'validates tokens, but no AuthorizationPolicy requires one';
      const who = open.length > 0 ? `${open.map(({ object: workload }) => `${workload.kind} "${workload.name ?? '?'}"`).join(', ')} accept${open.length === 1 ? 's' : ''}` : 'the workloads it selects accept';
      context.report({
        document: authentication.document,
        range: object.subjectRange,
        message: `RequestAuthentication "${object.name ?? '?'}" ${why}: ${who} requests that carry no token at all, as anonymous.`,
        relatedElsewhere: open.slice(0, 5).map(({ document, object: workload }) => ({ message: `${workload.kind} "${workload.name ?? '?'}" takes requests without a token`, document, range: workload.subjectRange })),
        fixes: requireTokenFix(authentication),
      });
    }
  },
});

/** A DENY AuthorizationPolicy for the same pods, appended after the RequestAuthentication's document. */
function requireTokenFix({ object }: PlacedObject): Array<{ title: string; edits: TextEdit[]; safe: boolean }> {
  const scope = istioPolicyScope(object);
  if (scope.selector && scope.selector.expressions.length > 0) return [];
  const end = rangeOf(object.root)?.end;
  if (end === undefined) return [];
  const text = object.tree.text;
  const labels = scope.selector ? Object.entries(scope.selector.matchLabels).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ') : undefined;
  const lines = [
    '---',
    'apiVersion: security.istio.io/v1',
    'kind: AuthorizationPolicy',
    'metadata:',
    `  name: ${object.name ?? 'request-authentication'}-require-token`,
    ...(object.namespace ? [`  namespace: ${object.namespace}`] : []),
    'spec:',
    ...(labels !== undefined ? ['  selector:', `    matchLabels: {${labels}}`] : []),
    '  action: DENY',
    '  rules:',
    '    - from:',
    '        - source:',
    '            notRequestPrincipals: ["*"]',
  ];
  const lead = end > 0 && text[end - 1] !== '\n' ? '\n' : '';
  // Requests without a token stop working: that is the point, but it changes behaviour.
  return [{ title: 'Add a DENY AuthorizationPolicy for requests without a token', edits: [{ start: end, end, newText: `${lead}${lines.join('\n')}\n` }], safe: false }];
}
