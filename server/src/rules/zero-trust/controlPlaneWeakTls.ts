import { defineRule } from '../rule';
import { effectiveFlag, kubeletList, kubeletSetting, listFlag } from '../../model/controlPlane';
import { invocationsOf, kubeletConfiguration, kubeletLabel, kubeletRange, weakCipherSuite, weakTlsVersion } from '../shared/controlPlane';
import { rangeOf } from '../../core/tree';

export const controlPlaneWeakTls = defineRule({
  id: 'ZT023',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Control-plane TLS allows weak cipher suites or protocol versions',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['CIS Kubernetes 1.2.29, 4.2.12', 'kube-bench 1.2.29, 4.2.12', 'Checkov CKV_K8S_105', 'KICS Weak TLS Cipher Suites, TSL Connection Certificate Not Setup'],
  guidance: {
    why: 'Verification is only as strong as the channel: a cipher suite with RC4 or 3DES, a CBC suite Go lists as insecure, or RSA key exchange (no forward secrecy: one stolen key decrypts every recorded session) lets an attacker on the path read or tamper with control-plane traffic that authenticated correctly. Likewise a minimum version below TLS 1.2. Left unset, the components use Go\'s defaults, which exclude these; the rule reports only lists and versions written into the file.',
    fix: 'List only ECDHE suites with AES-GCM or ChaCha20-Poly1305 (`--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,…`, kubelet `tlsCipherSuites`), or leave the list unset; set `--tls-min-version=VersionTLS12` (or 13).',
    bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ntlsCipherSuites:\n  - TLS_RSA_WITH_AES_128_CBC_SHA\n  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    good: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ntlsCipherSuites:\n  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd')) {
      for (const { flag, values } of listFlag(invocation, 'tls-cipher-suites', 'cipher-suites')) {
        const weak = values.filter(weakCipherSuite);
        if (weak.length > 0) context.report({ range: flag.range, message: `${invocation.label} allows weak TLS cipher suites (--${flag.name}): ${weak.join(', ')}.` });
      }
      const version = effectiveFlag(invocation, 'tls-min-version');
      if (version?.value !== undefined && (weakTlsVersion(version.value) || /^TLS1\.[01]$/.test(version.value))) {
        context.report({ range: version.range, message: `${invocation.label} accepts TLS below 1.2 (--tls-min-version=${version.value}).` });
      }
    }
    const config = kubeletConfiguration(object);
    if (!config) return;
    const suites = kubeletList(config, 'tlsCipherSuites');
    const weak = suites.filter((suite) => weakCipherSuite(String(suite.value)));
    if (weak.length > 0) {
      context.report({ range: rangeOf(weak[0]) ?? config.object.subjectRange, message: `${kubeletLabel(config)} allows weak TLS cipher suites: ${weak.map((suite) => String(suite.value)).join(', ')}.`, related: weak.slice(1).map((suite) => ({ message: `weak suite ${String(suite.value)}`, range: rangeOf(suite) ?? config.object.subjectRange })) });
    }
    const minVersion = kubeletSetting(config, ['tlsMinVersion']);
    if (minVersion && weakTlsVersion(String(minVersion.value))) {
      context.report({ range: kubeletRange(config, minVersion), message: `${kubeletLabel(config)} accepts TLS below 1.2 (tlsMinVersion: ${String(minVersion.value)}).` });
    }
  },
});
