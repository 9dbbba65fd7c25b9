import { defineRule } from '../rule';
import { valueTextRange } from '../../core/tree';
import { legacyContainers, legacyFlag } from '../../model/legacyComponents';
import { isExternallyReachable, readService } from '../../model/services';

/** Dashboard flags that hand out access or settings without a login, and what each does. */
const OPEN_FLAGS: ReadonlyArray<{ readonly name: string; readonly severity: 'error' | 'warning'; readonly effect: string }> = [
  { name: 'enable-skip-login', severity: 'error', effect: 'the login page offers "Skip", and whoever skips acts with the Dashboard\'s own service account' },
  { name: 'enable-insecure-login', severity: 'warning', effect: 'tokens may be sent to it over plain HTTP' },
  { name: 'disable-settings-authorizer', severity: 'warning', effect: 'any user of the Dashboard may change its global settings' },
];

export const dashboardExposed = defineRule({
  id: 'TCB023',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Kubernetes Dashboard open without login or exposed outside the cluster',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['Checkov CKV_K8S_33', 'KICS Dashboard Is Enabled'],
  guidance: {
    why: 'The Kubernetes Dashboard is a web front end to the whole API: whatever its callers may do, it does. `--enable-skip-login` lets anyone who opens it skip the login and act with the Dashboard\'s own service account (in many installs bound to cluster-admin, which ZT008 reports) — exploitable as written. `--enable-insecure-login` accepts tokens over plain HTTP and `--disable-settings-authorizer` lets every user change its settings (warnings). A LoadBalancer or NodePort Service puts the cluster\'s admin UI on the network edge, where it should be reached only through `kubectl proxy`/port-forward or an authenticating proxy (warning).',
    fix: 'Remove `--enable-skip-login`, `--enable-insecure-login` and `--disable-settings-authorizer`; keep the Dashboard\'s Service `ClusterIP` and reach it with `kubectl -n kubernetes-dashboard port-forward` or behind an OIDC proxy; bind its service account to nothing beyond what the UI itself needs.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kubernetes-dashboard\n  namespace: kubernetes-dashboard\nspec:\n  selector:\n    matchLabels: {k8s-app: kubernetes-dashboard}\n  template:\n    metadata:\n      labels: {k8s-app: kubernetes-dashboard}\n    spec:\n      containers:\n        - name: kubernetes-dashboard\n          image: kubernetesui/dashboard:v2.7.0\n          args:\n            - --auto-generate-certificates\n            - --enable-skip-login',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kubernetes-dashboard\n  namespace: kubernetes-dashboard\nspec:\n  selector:\n    matchLabels: {k8s-app: kubernetes-dashboard}\n  template:\n    metadata:\n      labels: {k8s-app: kubernetes-dashboard}\n    spec:\n      containers:\n        - name: kubernetes-dashboard\n          image: kubernetesui/dashboard:v2.7.0\n          args:\n            - --auto-generate-certificates',
  },
  checkKubernetes(object, context) {
    for (const dashboard of legacyContainers(object).filter((container) => container.component === 'dashboard')) {
      for (const flag of OPEN_FLAGS) {
        const written = legacyFlag(dashboard, flag.name);
        if (!written || ['false', '0'].includes(written.value.toLowerCase())) continue;
        context.report({
          range: written.range,
          severity: flag.severity,
          message: `${object.kind} "${object.name ?? '?'}" runs the Kubernetes Dashboard with --${flag.name}: ${flag.effect}.`,
          fixes: [{ title: `Set --${flag.name}=false`, edits: [{ start: written.range.start, end: written.range.end, newText: `--${flag.name}=false` }], safe: false }],
        });
      }
    }
    const service = readService(object);
    if (!service || !isExternallyReachable(service)) return;
    const selector = service.selector?.matchLabels;
    if (selector?.['k8s-app'] !== 'kubernetes-dashboard' && !/^kubernetes-dashboard(-web|-kong-proxy)?$/.test(object.name ?? '')) return;
    context.report({
      range: valueTextRange(object.tree.text, service.typeNode) ?? object.subjectRange,
      severity: 'warning',
      message: `Service "${object.name ?? '?'}" exposes the Kubernetes Dashboard outside the cluster (type ${service.type}): the cluster's admin UI sits on the network edge.`,
    });
  },
});
