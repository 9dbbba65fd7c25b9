import { defineRule } from '../rule';
import { istioPolicyReaches, meshContext, meshEnrolment, placedObjects } from '../../model/mesh';
import { isWorkload } from '../../model/kubernetes';

export const istioWorkloadWithoutAllowPolicy = defineRule({
  id: 'ZT052',
  pattern: 'ZT',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Istio-meshed workload that no ALLOW AuthorizationPolicy narrows',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: "never trust, always verify" — every call authorized for who makes it. Istio\'s default for a workload that no ALLOW AuthorizationPolicy selects is to allow every request: mTLS tells it who calls, but nothing checks that the caller may. DENY and AUDIT policies do not change that default; only an ALLOW policy (for the workload, its namespace or the mesh root namespace) turns it into "deny unless allowed". Warning where the files write AuthorizationPolicies but none covers the workload; info where they hold none at all (the policies may live in other files).',
    fix: 'Add an ALLOW AuthorizationPolicy for the workload that names its callers (`from.source.principals`) and operations (`to.operation.methods`/`paths`); a namespace-wide `allow-nothing` policy (`spec: {}`) makes every other workload deny by default.',
    bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2',
    good: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-nothing\n  namespace: shop\nspec: {}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: orders}\n  template:\n    metadata:\n      labels: {app: orders}\n    spec:\n      containers:\n        - name: orders\n          image: example/orders:1.4.2',
  },
  checkWorkspace(documents, context) {
    const objects = placedObjects(documents);
    const mesh = meshContext(objects);
    for (const { document, object } of objects) {
      if (!isWorkload(object) || object.kind === 'Job' || object.kind === 'CronJob') continue;
      const istio = meshEnrolment(document, object, mesh.namespaces).find((enrolment) => enrolment.mesh === 'istio');
      if (!istio) continue;
      // A policy attached through targetRefs (a waypoint, a Service) may well serve it: counted as covering.
      const allow = mesh.authorizationPolicies.some(({ policy }) => policy.action === 'ALLOW' && !policy.dryRun && istioPolicyReaches(policy.object, object) !== 'no');
      if (allow) continue;
      const written = mesh.authorizationPolicies.length > 0;
      context.report({
        document,
        range: object.subjectRange,
        severity: written ? undefined : 'info',
        message: `${object.kind} "${object.name ?? '?'}" is in the Istio mesh (${istio.reason}) but no ALLOW AuthorizationPolicy ${written ? 'of these files ' : 'in these files '}selects it: Istio allows every request to it, from any caller.`,
        relatedElsewhere: istio.document !== document || istio.range.start !== object.subjectRange.start ? [{ message: 'enrolled in the mesh here', document: istio.document, range: istio.range }] : undefined,
      });
    }
  },
});
