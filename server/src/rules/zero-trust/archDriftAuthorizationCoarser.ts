import { defineRule } from '../rule';
import { MODEL_HEADER } from '../shared/architecture';
import { reportDrifts } from './archDriftTokenNotRequired';

export const archDriftAuthorizationCoarser = defineRule({
  id: 'ZT047',
  pattern: 'ZT',
  severity: 'info',
  title: 'Flow declared resource-level authorized but the mesh grants every path and method',
  kinds: ['architecture'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Zero-Trust: least privilege means each request is authorized for the resource it touches. When the model says a flow is authorized per resource and its target is deployed in an Istio mesh, the AuthorizationPolicies in front of it should name the methods and paths each caller may use. An ALLOW rule without `to` lets the callers it admits use every path and method: the mesh authorizes per service where the model promises per resource. The application may still check each resource itself, which the manifests cannot show, so this is info; without any ALLOW policy nothing is reported (the mesh is then not the authorizing layer).',
    fix: 'Give each ALLOW rule for the workload `to.operation.methods` and `paths` (one rule per caller and operation), or correct the model.',
    bad: `${MODEL_HEADER}components:\n  web: {}\n  orders:\n    implementedBy: {kubernetes: [shop/Deployment/orders]}\nflows:\n  order:\n    from: web\n    to: orders\n    authentication: [mtls]\n    authorization: resource-level\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  template:\n    metadata: {labels: {app: orders}}\n    spec:\n      containers: [{name: orders, image: example/orders:1.4.2}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  action: ALLOW\n  rules:\n    - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]`,
    good: `${MODEL_HEADER}components:\n  web: {}\n  orders:\n    implementedBy: {kubernetes: [shop/Deployment/orders]}\nflows:\n  order:\n    from: web\n    to: orders\n    authentication: [mtls]\n    authorization: resource-level\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  template:\n    metadata: {labels: {app: orders}}\n    spec:\n      containers: [{name: orders, image: example/orders:1.4.2}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  action: ALLOW\n  rules:\n    - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]\n      to: [{operation: {methods: [POST], paths: [/orders]}}]`,
  },
  checkWorkspace(documents, context) {
    reportDrifts(documents, context, 'authorization', (flow, what) => `flow "${flow}", which the model authorizes per resource, ${what}`);
  },
});
