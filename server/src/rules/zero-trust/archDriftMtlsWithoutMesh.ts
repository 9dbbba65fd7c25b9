import { defineRule } from '../rule';
import { MODEL_HEADER } from '../shared/architecture';
import { componentsOf, componentsOfWorkload, systemScopes } from '../../model/systems';
import { meshContext, mtlsEnforcement } from '../../model/mesh';

export const archDriftMtlsWithoutMesh = defineRule({
  id: 'ZT106',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Flow declared mTLS but the deployment does not enforce it',
  kinds: ['architecture'],
  hasFix: false,
  peers: ['Istio PeerAuthentication STRICT', 'Linkerd all-authenticated'],
  guidance: {
    why: 'The model promises mutual TLS on the flow, but without a mesh policy that enforces it the workload still accepts plain-text connections: any pod can call it without an identity, and nobody notices the promise is not kept.',
    fix: 'Enforce mTLS where the target runs: an Istio `PeerAuthentication` with `mtls.mode: STRICT` for its namespace (or mesh-wide in istio-system), or Linkerd\'s `config.linkerd.io/default-inbound-policy: all-authenticated`.',
    bad: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\nflows:\n  charge: { from: orders, to: payments, authentication: mtls }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\n  namespace: shop\nspec:\n  selector: { matchLabels: { app: payments } }\n  template:\n    metadata: { labels: { app: payments } }\n    spec:\n      containers:\n        - name: payments\n          image: shop/payments:3.0.1`,
    good: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\nflows:\n  charge: { from: orders, to: payments, authentication: mtls }\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: STRICT\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\n  namespace: shop\nspec:\n  selector: { matchLabels: { app: payments } }\n  template:\n    metadata: { labels: { app: payments } }\n    spec:\n      containers:\n        - name: payments\n          image: shop/payments:3.0.1`,
  },
  checkWorkspace(documents, context) {
    for (const scope of systemScopes(documents)) {
      const mtlsFlows = scope.models.flatMap((part) => part.model.flows.filter((flow) => flow.authentication.some((method) => method.value === 'mtls')).map((flow) => ({ flow, part })));
      if (mtlsFlows.length === 0) continue;
      const byId = new Map(componentsOf(scope).map((located) => [located.component.id, located]));
      const mesh = meshContext(scope.kubernetes);
      for (const { document, object } of scope.kubernetes) {
        const implemented = componentsOfWorkload(scope, object).map((located) => located.component.id);
        if (implemented.length === 0) continue;
        const inbound = mtlsFlows.filter(({ flow }) => flow.to && implemented.includes(flow.to.value) && byId.has(flow.to.value));
        if (inbound.length === 0) continue;
        const mtls = mtlsEnforcement(document, object, mesh);
        if (mtls.enforced) continue;
        const { flow } = inbound[0];
        context.report({
          document,
          range: object.subjectRange,
          message: mtls.evidence
            ? `${object.kind} "${object.name}" receives flow "${flow.id}", which the model declares mTLS, but ${mtls.evidence.label} decides its mTLS mode: it still accepts plain-text callers.`
            : `${object.kind} "${object.name}" receives flow "${flow.id}", which the model declares mTLS, but no STRICT PeerAuthentication or Linkerd authenticated-only policy covers it: it still accepts plain-text callers.`,
          relatedElsewhere: [
            ...inbound.map((entry) => ({ message: `flow "${entry.flow.id}" declares mtls`, document: entry.part.document, range: entry.flow.authentication.find((m) => m.value === 'mtls')!.range })),
            ...(mtls.evidence ? [{ message: `${mtls.evidence.label} decides the mode here`, document: mtls.evidence.document, range: mtls.evidence.range }] : []),
          ],
        });
      }
    }
  },
});
