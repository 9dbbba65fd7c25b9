import { defineRule } from '../rule';
import { legacyContainers, legacyFlag } from '../../model/legacyComponents';
import { readService } from '../../model/services';

const TILLER_PORT = 44134;

export const tillerDeployed = defineRule({
  id: 'TCB022',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Tiller (Helm 2) deployed',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['Checkov CKV_K8S_34, CKV_K8S_44, CKV_K8S_45', 'KICS Tiller (Helm v2) Is Deployed, Tiller Service Is Not Deleted, Tiller Deployment Is Accessible From Within The Cluster', 'Trivy KSV102'],
  guidance: {
    why: 'Tiller, the in-cluster half of Helm 2 (end of life since November 2020), installs whatever chart it is sent with its own service account, which installers usually bind to cluster-admin. Its gRPC port 44134 has no authentication unless mutual TLS is switched on (`--tls-verify`): any pod that reaches it can create privileged workloads and read every Secret, so one compromised pod owns the cluster. A Service in front of it makes that port reachable by name. Even locked down (`--tls-verify`, or `--listen=localhost:44134` reached only through port-forward) it is an unmaintained component with cluster-wide rights in the trusted base (warning).',
    fix: 'Migrate to Helm 3 (no in-cluster component; `helm 2to3`), then delete the tiller-deploy Deployment, its Service and its ClusterRoleBinding. Until then run it with `--tls-verify` and `--listen=localhost:44134` and no Service.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tiller-deploy\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {app: helm, name: tiller}\n  template:\n    metadata:\n      labels: {app: helm, name: tiller}\n    spec:\n      serviceAccountName: tiller\n      containers:\n        - name: tiller\n          image: ghcr.io/helm/tiller:v2.17.0\n          ports:\n            - containerPort: 44134',
    good: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: deployer\n  namespace: ci\n# Helm 3 needs nothing in the cluster: it talks to the API with the caller\'s own credentials.',
  },
  checkKubernetes(object, context) {
    for (const tiller of legacyContainers(object).filter((container) => container.component === 'tiller')) {
      const verify = legacyFlag(tiller, 'tls-verify');
      const listen = legacyFlag(tiller, 'listen');
      const envVerify = tiller.container.env.find((variable) => variable.name === 'TILLER_TLS_VERIFY');
      const verified = (verify && verify.value !== 'false') || ['1', 'true'].includes(envVerify?.value?.trim().toLowerCase() ?? '');
      const localOnly = listen !== undefined && /^(localhost|127\.0\.0\.1|\[::1\]):/.test(listen.value);
      context.report({
        range: tiller.container.image?.range ?? tiller.container.subjectRange,
        severity: verified || localOnly ? 'warning' : 'error',
        message: verified || localOnly
          ? `${object.kind} "${object.name ?? '?'}" runs Tiller (Helm 2, end of life since 2020) with ${verified ? 'mutual TLS' : 'a localhost-only listener'}: an unmaintained component that installs charts with its service account's (usually cluster-wide) rights.`
          : `${object.kind} "${object.name ?? '?'}" runs Tiller (Helm 2) without mutual TLS (--tls-verify) on port ${TILLER_PORT}: any pod that reaches it installs charts with Tiller's service account, usually cluster-admin.`,
      });
    }
    const service = readService(object);
    if (!service) return;
    const selector = service.selector?.matchLabels;
    const selectsTiller = selector?.name === 'tiller' || selector?.app === 'tiller';
    const tillerPort = service.ports.find((port) => port.port === TILLER_PORT || port.targetPort === 'tiller' || port.targetPort === String(TILLER_PORT));
    if (!selectsTiller && !tillerPort) return;
    context.report({
      range: tillerPort?.portRange ?? object.subjectRange,
      severity: 'warning',
      message: `Service "${object.name ?? '?'}" puts Tiller's gRPC port${tillerPort?.port ? ` ${tillerPort.port}` : ''} behind a cluster name: every pod can reach the Helm 2 server that installs charts with cluster-wide rights.`,
    });
  },
});
