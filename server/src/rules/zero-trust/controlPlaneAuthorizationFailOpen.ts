import { defineRule } from '../rule';
import { effectiveFlag, kubeletSetting } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, kubeletConfiguration, kubeletLabel, kubeletRange, setFlagFix, setKubeletFix, staticPodExample } from '../shared/controlPlane';

export const controlPlaneAuthorizationFailOpen = defineRule({
  id: 'ZT021',
  pattern: 'ZT',
  alsoPattern: 'FF',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Control-plane authorization allows every request',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 1.2.6, 1.2.7, 4.2.2', 'kube-bench 1.2.6, 1.2.7, 4.2.2', 'KICS Authorization Mode Set To Always Allow, Authorization Mode Node Not Set'],
  guidance: {
    why: 'Authorization is where the control plane fails closed or open. `AlwaysAllow` grants every authenticated (and, with anonymous authentication on, every unauthenticated) request everything: any pod\'s service-account token becomes cluster-admin, and a kubelet in that mode lets anyone run commands in every container of its node. kube-apiserver\'s `--authorization-mode` defaults to `AlwaysAllow`, so a manifest that leaves it out fails open. Without the `Node` mode the API server cannot confine each kubelet to its own node\'s pods and secrets: the kubelets must then be granted cluster-wide reads (a warning).',
    fix: 'kube-apiserver: `--authorization-mode=Node,RBAC` (kubeadm\'s value; add `Webhook` if you use one). KubeletConfiguration: `authorization.mode: Webhook`, which asks the API server (SubjectAccessReview) for every request.',
    bad: staticPodExample('kube-apiserver', ['--authorization-mode=AlwaysAllow']),
    good: staticPodExample('kube-apiserver', ['--authorization-mode=Node,RBAC']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver')) {
      const flag = effectiveFlag(invocation, 'authorization-mode');
      if (!flag) {
        // Structured authorization (--authorization-config, 1.29+) replaces the flag.
        if (invocation.absenceProven && !effectiveFlag(invocation, 'authorization-config')) {
          context.report({ range: invocation.subjectRange, message: `${invocation.label} has no --authorization-mode flag, and it defaults to AlwaysAllow: every request that reaches the API server is allowed to do anything.`, fixes: addFlagFix('Add --authorization-mode=Node,RBAC', invocation, 'authorization-mode', 'Node,RBAC') });
        }
        continue;
      }
      if (flag.value === undefined) continue;
      const modes = flag.value.split(',').map((mode) => mode.trim());
      if (modes.includes('AlwaysAllow')) {
        // The API server asks the modes in order: AlwaysAllow after a mode that denies is still reached.
        context.report({ range: flag.range, message: `${invocation.label} sets --authorization-mode=${flag.value}: AlwaysAllow allows every request the modes before it do not decide, so any authenticated caller can do anything.`, fixes: setFlagFix('Set --authorization-mode=Node,RBAC', flag, 'Node,RBAC') });
      } else if (!modes.includes('Node')) {
        context.report({ range: flag.range, severity: 'warning', message: `${invocation.label} sets --authorization-mode=${flag.value} without Node: kubelets are not confined to their own node's pods and secrets, so they need cluster-wide grants.`, fixes: setFlagFix('Add the Node mode', flag, ['Node', ...modes].join(',')) });
      }
    }
    const config = kubeletConfiguration(object);
    if (!config) return;
    const mode = kubeletSetting(config, ['authorization', 'mode']);
    if (String(mode?.value ?? '') !== 'AlwaysAllow') return;
    context.report({
      range: kubeletRange(config, mode),
      message: `${kubeletLabel(config)} sets authorization.mode: AlwaysAllow: every request to the kubelet API is allowed, including running commands in every container of the node.`,
      fixes: setKubeletFix('Set authorization.mode: Webhook', config, ['authorization', 'mode'], 'Webhook'),
    });
  },
});
