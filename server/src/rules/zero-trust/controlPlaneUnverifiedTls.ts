import { defineRule, type RelatedInput } from '../rule';
import type { Severity } from '../../core/types';
import { effectiveFlag, kubeletSetting, type ControlPlaneInvocation } from '../../model/controlPlane';
import { invocationsOf, kubeletConfiguration, kubeletLabel, staticPodExample } from '../shared/controlPlane';

interface Missing {
  readonly what: string;
  readonly severity: Severity;
  readonly range?: { start: number; end: number };
}

/** Flags that must name a file: missing, or written empty. */
function missingFile(invocation: ControlPlaneInvocation, ...names: string[]): boolean {
  return names.some((name) => {
    const flag = effectiveFlag(invocation, name);
    return flag ? flag.value === '' : invocation.absenceProven;
  });
}

export const controlPlaneUnverifiedTls = defineRule({
  id: 'ZT022',
  pattern: 'ZT',
  alsoPattern: 'FF',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Control-plane connections without the certificates to verify both ends',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['CIS Kubernetes 1.2.4, 1.2.5, 1.2.23, 1.2.24, 1.2.25, 1.2.26, 1.3.5, 4.2.3, 4.2.9', 'kube-bench 1.2.4, 1.2.5, 1.2.23–1.2.26, 1.3.5, 4.2.3, 4.2.9', 'KICS Client Certificate Authentication Not Setup Properly, Etcd Client Certificate File Not Defined, Kubelet Certificate Authority Not Set'],
  guidance: {
    why: 'Zero trust between the components themselves: the API server should prove who it is to etcd and to every kubelet with a client certificate, verify their serving certificates against a CA, and verify the client certificates its own callers present. Each missing file turns one of those checks off without an error at start-up: without `--etcd-certfile` etcd must accept clients it cannot identify; without `--kubelet-client-certificate` the kubelets must accept the API server anonymously; without `--client-ca-file` no client certificate is verified. Those are warnings. A serving certificate the component generates for itself (no `--tls-cert-file`, no kubelet `tlsCertFile`) and an unverified kubelet serving certificate (`--kubelet-certificate-authority`, which kubeadm does not set) are hardening (info). Only the flags of a kube-system manifest whose flags are all in view count as missing.',
    fix: 'Give kube-apiserver `--client-ca-file`, `--tls-cert-file`/`--tls-private-key-file`, `--etcd-cafile`/`--etcd-certfile`/`--etcd-keyfile`, `--kubelet-client-certificate`/`--kubelet-client-key` and `--kubelet-certificate-authority` (with kubelet serving certificates from `serverTLSBootstrap: true`); kube-controller-manager `--root-ca-file`; the KubeletConfiguration `authentication.x509.clientCAFile` and `tlsCertFile`/`tlsPrivateKeyFile` or `serverTLSBootstrap: true`.',
    bad: staticPodExample('kube-apiserver', ['--etcd-servers=https://127.0.0.1:2379', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key', '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key', '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt']),
    good: staticPodExample('kube-apiserver', ['--etcd-servers=https://127.0.0.1:2379', '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt', '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key', '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key', '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver', 'kube-controller-manager')) {
      const missing: Missing[] = [];
      if (invocation.component === 'kube-apiserver') {
        const etcd = effectiveFlag(invocation, 'etcd-servers');
        if (etcd?.value !== undefined && /(^|,)\s*http:\/\//.test(etcd.value)) missing.push({ what: `etcd is reached over plain HTTP (${etcd.value}): every object, Secrets included, crosses the network unencrypted and unauthenticated`, severity: 'warning', range: etcd.range });
        else if (missingFile(invocation, 'etcd-certfile', 'etcd-keyfile')) missing.push({ what: 'no --etcd-certfile/--etcd-keyfile: the API server presents no client certificate to etcd, so etcd must accept clients it cannot identify', severity: 'warning' });
        if (missingFile(invocation, 'kubelet-client-certificate', 'kubelet-client-key')) missing.push({ what: 'no --kubelet-client-certificate/--kubelet-client-key: the kubelets must accept the API server (logs, exec, port-forward) without knowing who calls', severity: 'warning' });
        if (missingFile(invocation, 'client-ca-file')) missing.push({ what: 'no --client-ca-file: client certificates are not verified, so components and users cannot authenticate with them', severity: 'warning' });
        if (etcd?.value === undefined || !/http:\/\//.test(etcd.value)) if (missingFile(invocation, 'etcd-cafile')) missing.push({ what: "no --etcd-cafile: etcd's serving certificate is checked against the system roots, not the cluster's etcd CA", severity: 'info' });
        if (missingFile(invocation, 'tls-cert-file', 'tls-private-key-file')) missing.push({ what: 'no --tls-cert-file/--tls-private-key-file: the API server serves a self-signed certificate it generates at start-up, which clients cannot verify', severity: 'info' });
        if (missingFile(invocation, 'kubelet-certificate-authority')) missing.push({ what: "no --kubelet-certificate-authority: the kubelets' serving certificates are not verified, so a node address taken over can impersonate a kubelet", severity: 'info' });
      } else if (missingFile(invocation, 'root-ca-file')) {
        missing.push({ what: 'no --root-ca-file: service-account token Secrets carry no CA to verify the API server with', severity: 'info' });
      }
      if (missing.length === 0) continue;
      const severity: Severity = missing.some((item) => item.severity === 'warning') ? 'warning' : 'info';
      const first = missing.find((item) => item.severity === severity)!;
      const related: RelatedInput[] = missing.filter((item) => item !== first).map((item) => ({ message: item.what, range: item.range ?? invocation.subjectRange }));
      context.report({
        range: first.range ?? invocation.subjectRange,
        severity,
        message: `${invocation.label} cannot verify both ends of its connections: ${missing.map((item) => item.what).join('; ')}.`,
        related,
      });
    }
    const config = kubeletConfiguration(object);
    if (!config) return;
    const tree = object.tree;
    const missing: string[] = [];
    if (!kubeletSetting(config, ['authentication', 'x509', 'clientCAFile'])?.value) missing.push('no authentication.x509.clientCAFile: client certificates, the API server\'s included, are not verified');
    if (!kubeletSetting(config, ['tlsCertFile'])?.value && tree.boolean(config.root, 'serverTLSBootstrap') !== true) missing.push('neither tlsCertFile nor serverTLSBootstrap: true, so the kubelet serves a self-signed certificate nobody can verify');
    if (missing.length === 0) return;
    context.report({ range: config.object.subjectRange, severity: 'info', message: `${kubeletLabel(config)} leaves certificates unverified: ${missing.join('; ')}.` });
  },
});
