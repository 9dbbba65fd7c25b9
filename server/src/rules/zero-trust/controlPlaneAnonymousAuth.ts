import { defineRule } from '../rule';
import { effectiveFlag, flagBoolean } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, kubeletConfiguration, kubeletLabel, kubeletRange, setFlagFix, setKubeletFix } from '../shared/controlPlane';
import { kubeletSetting } from '../../model/controlPlane';

export const controlPlaneAnonymousAuth = defineRule({
  id: 'ZT020',
  pattern: 'ZT',
  alsoPattern: 'FF',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Control plane accepts unauthenticated requests',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 1.2.1, 4.2.1', 'kube-bench 1.2.1, 4.2.1', 'Checkov CKV_K8S_68', 'KICS Anonymous Auth Is Not Set To False'],
  guidance: {
    why: 'Zero trust means every request to the control plane carries an identity that was verified. With anonymous authentication on, a request without credentials is not refused: it is served as `system:anonymous`, and everything that user or the group `system:unauthenticated` was ever granted (by a stray RoleBinding, by an authorization mode that allows all) is open to anyone who reaches the port. The kubelet\'s API runs commands in every container of its node, so an anonymous kubelet is a warning; the API server\'s anonymous access is limited by RBAC to health and version endpoints, so it is hardening (info). kube-apiserver\'s `--anonymous-auth` defaults to true; the kubelet config file\'s `authentication.anonymous.enabled` defaults to false.',
    fix: 'kube-apiserver: `--anonymous-auth=false` (probes then need credentials, or use the `/livez` endpoints through an authenticated client). KubeletConfiguration: `authentication.anonymous.enabled: false` with `authentication.webhook.enabled: true`.',
    bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true',
    good: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true',
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver')) {
      const flag = effectiveFlag(invocation, 'anonymous-auth');
      const value = flagBoolean(flag);
      if (flag && value === true) {
        context.report({ range: flag.range, severity: 'info', message: `${invocation.label} sets --anonymous-auth=true: requests without credentials are served as system:anonymous instead of being refused.`, fixes: setFlagFix('Set --anonymous-auth=false', flag, 'false') });
      } else if (!flag && invocation.absenceProven) {
        context.report({ range: invocation.subjectRange, severity: 'info', message: `${invocation.label} has no --anonymous-auth flag, and it defaults to true: requests without credentials are served as system:anonymous instead of being refused.`, fixes: addFlagFix('Add --anonymous-auth=false', invocation, 'anonymous-auth', 'false') });
      }
    }
    const config = kubeletConfiguration(object);
    if (!config) return;
    const enabled = kubeletSetting(config, ['authentication', 'anonymous', 'enabled']);
    if (object.tree.boolean(object.tree.map(object.tree.map(config.root, 'authentication'), 'anonymous'), 'enabled') !== true) return;
    context.report({
      range: kubeletRange(config, enabled),
      message: `${kubeletLabel(config)} enables anonymous authentication: requests to the kubelet API (which reads logs and runs commands in every container of the node) are served without credentials as system:anonymous.`,
      fixes: setKubeletFix('Set authentication.anonymous.enabled: false', config, ['authentication', 'anonymous', 'enabled'], 'false'),
    });
  },
});
