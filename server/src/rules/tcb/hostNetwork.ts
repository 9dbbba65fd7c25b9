import { hostNamespaceRule } from '../shared/hostNamespaces';

export const hostNetwork = hostNamespaceRule({
  id: 'TCB004',
  severity: 'warning',
  title: 'Container shares the host network',
  composeKey: 'network_mode',
  podKey: 'hostNetwork',
  consequence: "reaches every service bound to the host's loopback, sniffs or spoofs host traffic and skips network policies",
  peers: ['KICS 071a71ff Shared Host Network Namespace', 'kube-linter host-network', 'Checkov CKV_K8S_19', 'Trivy KSV009', 'Polaris hostNetworkSet'],
  guidance: {
    why: 'On the host network a container is no longer behind its own network boundary: it binds host ports directly, reaches services listening on the host\'s localhost (kubelet, cloud metadata proxies, admin ports) and is invisible to NetworkPolicies and compose networks. The host\'s network stack joins its trusted base.',
    fix: 'Remove `network_mode: host` / `hostNetwork: true` and publish only the ports you need. Node agents that truly need it (CNI, node exporters) belong in their own namespace with a documented exception.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    network_mode: host',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    ports:\n      - "127.0.0.1:8080:8080"',
  },
});
