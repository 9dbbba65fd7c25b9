import { defineRule } from '../rule';
import { effectiveFlag, flagBoolean, kubeletSetting, versionBelow } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, isLoopbackHost, kubeletConfiguration, kubeletLabel, kubeletRange, setFlagFix, setKubeletFix } from '../shared/controlPlane';

export const controlPlanePlaintextPort = defineRule({
  id: 'BND020',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning', 'info'],
  title: 'Control-plane component serves a port without TLS or authentication',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 1.3.7, 1.4.2, 4.2.4 (insecure port: 1.2.19, 1.2.20 of v1.6)', 'kube-bench 1.3.7, 1.4.2, 4.2.4', 'KICS Insecure Port Not Properly Set, Insecure Bind Address Set, Kubelet Read Only Port Is Not Set To Zero'],
  guidance: {
    why: 'Every crossing into the control plane must authenticate and authorize the caller. A plaintext port does neither: the API server\'s insecure port (before 1.20, defaulting to 8080 on 127.0.0.1) serves the whole API with full rights to whoever connects; the kubelet\'s read-only port (10255) hands out pod specs, environment and node details to anyone on the network; the controller manager\'s and scheduler\'s insecure `--port` serve metrics and debug endpoints unauthenticated. A component listening on every interface (`--bind-address` left at 0.0.0.0) authenticates its callers but widens the boundary it must defend: hardening (info).',
    fix: 'kube-apiserver before 1.20: `--insecure-port=0` (from 1.20 on it cannot serve one). kube-controller-manager and kube-scheduler: `--port=0` where the flag still exists, and `--bind-address=127.0.0.1` (kubeadm\'s values). KubeletConfiguration: `readOnlyPort: 0`; scrape metrics from the authenticated port 10250.',
    bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255',
    good: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0',
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver')) {
      // From 1.20 the API server refuses a non-zero insecure port at start-up: it fails fast by itself.
      const opensBefore120 = !invocation.version || versionBelow(invocation, 1, 20);
      const port = effectiveFlag(invocation, 'insecure-port', 'port');
      const address = effectiveFlag(invocation, 'insecure-bind-address', 'address')?.value ?? '127.0.0.1';
      const where = isLoopbackHost(address) ? `on ${address}, which the pod's host network opens to every process on the node` : `on ${address}, reachable from the network`;
      if (port?.value !== undefined && /^\d+$/.test(port.value) && Number(port.value) !== 0 && opensBefore120) {
        context.report({ range: port.range, message: `${invocation.label} serves the API over plain HTTP on port ${port.value} ${where}: requests there skip authentication and authorization and act with full rights.`, fixes: setFlagFix('Set the insecure port to 0', port, '0') });
      } else if (!port && invocation.absenceProven && versionBelow(invocation, 1, 20)) {
        context.report({ range: invocation.subjectRange, severity: 'warning', message: `${invocation.label} (version ${invocation.version?.major}.${invocation.version?.minor}) has no --insecure-port flag, and before 1.20 it defaults to 8080 ${where}: requests there skip authentication and authorization.`, fixes: addFlagFix('Add --insecure-port=0', invocation, 'insecure-port', '0') });
      }
      const kubeletHttps = effectiveFlag(invocation, 'kubelet-https');
      if (flagBoolean(kubeletHttps) === false) {
        context.report({ range: kubeletHttps!.range, severity: 'warning', message: `${invocation.label} sets --kubelet-https=false: it talks to the kubelets (logs, exec, port-forward) over plain HTTP.`, fixes: setFlagFix('Set --kubelet-https=true', kubeletHttps!, 'true') });
      }
    }
    for (const invocation of invocationsOf(object, 'kube-controller-manager', 'kube-scheduler')) {
      const port = effectiveFlag(invocation, 'port');
      if (port?.value !== undefined && /^\d+$/.test(port.value) && Number(port.value) !== 0 && (!invocation.version || versionBelow(invocation, 1, 24))) {
        context.report({ range: port.range, severity: 'warning', message: `${invocation.label} serves plain HTTP on port ${port.value} (--port): its health, metrics and debug endpoints answer without authentication.`, fixes: setFlagFix('Set --port=0', port, '0') });
      }
      const bind = effectiveFlag(invocation, 'bind-address');
      if (bind?.value !== undefined && !isLoopbackHost(bind.value)) {
        context.report({ range: bind.range, severity: 'info', message: `${invocation.label} serves its HTTPS port on ${bind.value} (--bind-address): every network the node is on can reach it, not only the node itself.`, fixes: setFlagFix('Bind to 127.0.0.1', bind, '127.0.0.1') });
      } else if (!bind && invocation.absenceProven) {
        context.report({ range: invocation.subjectRange, severity: 'info', message: `${invocation.label} has no --bind-address flag, and it defaults to 0.0.0.0: its HTTPS port is reachable from every network the node is on, not only from the node itself.`, fixes: addFlagFix('Add --bind-address=127.0.0.1', invocation, 'bind-address', '127.0.0.1') });
      }
    }
    const config = kubeletConfiguration(object);
    const readOnlyPort = config && kubeletSetting(config, ['readOnlyPort']);
    if (config && readOnlyPort && /^\d+$/.test(String(readOnlyPort.value)) && Number(readOnlyPort.value) !== 0) {
      context.report({
        range: kubeletRange(config, readOnlyPort),
        severity: 'warning',
        message: `${kubeletLabel(config)} opens the kubelet's read-only port ${String(readOnlyPort.value)}: pod specs, their environment and node details are served to anyone who reaches it, without authentication.`,
        fixes: setKubeletFix('Set readOnlyPort: 0', config, ['readOnlyPort'], '0'),
      });
    }
  },
});
