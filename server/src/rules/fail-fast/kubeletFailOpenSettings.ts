import { defineRule, type RelatedInput } from '../rule';
import type { Fix, OffsetRange } from '../../core/types';
import { kubeletSetting } from '../../model/controlPlane';
import { kubeletConfiguration, kubeletLabel, kubeletRange, setKubeletFix } from '../shared/controlPlane';

export const kubeletFailOpenSettings = defineRule({
  id: 'FF021',
  pattern: 'FF',
  alsoPattern: 'ZT',
  severity: 'info',
  title: 'Kubelet configured to carry on instead of refusing',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 4.2.5, 4.2.6, 4.2.10 (protectKernelDefaults: 4.2.6 of v1.6)', 'kube-bench 4.2.5, 4.2.6, 4.2.10', 'KICS Streaming Connection Idle Timeout Set To Zero, Protect Kernel Defaults Set To False, Make IPTables Util Chains Not Set To True, Rotate Certificates Set To False'],
  guidance: {
    why: 'Fail fast: a node whose kernel settings differ from what the kubelet needs should refuse to start and say so, not quietly change them (`protectKernelDefaults`, default false); a stream to a container (exec, attach, port-forward) should end when idle, not stay open forever (`streamingConnectionIdleTimeout: 0`); the kubelet should manage the iptables chains its network rules rely on (`makeIPTablesUtilChains: false`); and its client certificate should be renewed before it expires, rather than the node being cut off or an old long-lived certificate kept (`rotateCertificates`, default false in the config file). One finding per KubeletConfiguration lists the settings seen; each is hardening.',
    fix: 'Set `protectKernelDefaults: true` (and the kernel parameters it checks on the node), `rotateCertificates: true`, remove `streamingConnectionIdleTimeout: 0` (default 4h) or set a few minutes, and leave `makeIPTablesUtilChains` at true.',
    bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstreamingConnectionIdleTimeout: 0s\nmakeIPTablesUtilChains: false',
    good: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nprotectKernelDefaults: true\nrotateCertificates: true\nstreamingConnectionIdleTimeout: 5m',
  },
  checkKubernetes(object, context) {
    const config = kubeletConfiguration(object);
    if (!config) return;
    const tree = object.tree;
    const seen: Array<{ what: string; range: OffsetRange; fix: Fix[] }> = [];
    const protect = kubeletSetting(config, ['protectKernelDefaults']);
    if (tree.boolean(config.root, 'protectKernelDefaults') !== true) seen.push({ what: protect ? 'protectKernelDefaults: false (kernel settings that differ are changed, not refused)' : 'no protectKernelDefaults, which defaults to false (kernel settings that differ are changed, not refused)', range: kubeletRange(config, protect), fix: setKubeletFix('Set protectKernelDefaults: true', config, ['protectKernelDefaults'], 'true') });
    const rotate = kubeletSetting(config, ['rotateCertificates']);
    if (tree.boolean(config.root, 'rotateCertificates') !== true) seen.push({ what: rotate ? 'rotateCertificates: false (the client certificate is not renewed)' : 'no rotateCertificates, which defaults to false in the config file (the client certificate is not renewed)', range: kubeletRange(config, rotate), fix: setKubeletFix('Set rotateCertificates: true', config, ['rotateCertificates'], 'true') });
    const idle = kubeletSetting(config, ['streamingConnectionIdleTimeout']);
    if (idle && /^0+(s|m|h|ms)?$/.test(String(idle.value).trim())) seen.push({ what: `streamingConnectionIdleTimeout: ${String(idle.value)} (exec, attach and port-forward streams never time out)`, range: kubeletRange(config, idle), fix: setKubeletFix('Set streamingConnectionIdleTimeout: 5m', config, ['streamingConnectionIdleTimeout'], '5m') });
    const chains = kubeletSetting(config, ['makeIPTablesUtilChains']);
    if (chains && tree.boolean(config.root, 'makeIPTablesUtilChains') === false) seen.push({ what: 'makeIPTablesUtilChains: false (the iptables chains network rules rely on are left to chance)', range: kubeletRange(config, chains), fix: setKubeletFix('Set makeIPTablesUtilChains: true', config, ['makeIPTablesUtilChains'], 'true') });
    if (seen.length === 0) return;
    const related: RelatedInput[] = seen.map((item) => ({ message: item.what, range: item.range }));
    context.report({
      range: seen.find((item) => item.range !== config.object.subjectRange)?.range ?? config.object.subjectRange,
      message: `${kubeletLabel(config)} lets the kubelet carry on where it should refuse: ${seen.map((item) => item.what).join('; ')}.`,
      related,
      fixes: seen.flatMap((item) => item.fix.map((fix) => ({ ...fix, partial: seen.length > 1 }))),
    });
  },
});
