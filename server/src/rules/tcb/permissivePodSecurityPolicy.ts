import { defineRule, type RelatedInput } from '../rule';
import { isScalar } from '../../core/yaml';
import { rangeOf, scalarText } from '../../core/tree';
import type { OffsetRange, Severity } from '../../core/types';

interface Allowed {
  readonly what: string;
  readonly severity: Severity;
  readonly range: OffsetRange;
}

export const permissivePodSecurityPolicy = defineRule({
  id: 'TCB024',
  pattern: 'TCB',
  alsoPattern: 'FF',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'PodSecurityPolicy admits privileged or host-level pods',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['Checkov CKV_K8S_1, CKV_K8S_2, CKV_K8S_3, CKV_K8S_4, CKV_K8S_5, CKV_K8S_7, CKV_K8S_24, CKV_K8S_36', 'KICS PSP Set To Privileged, PSP Allows Sharing Host PID/IPC/Network, PSP Allows Privilege Escalation, PSP With Added Capabilities, PSP Allows Containers To Share The Host Network Namespace'],
  guidance: {
    why: 'A PodSecurityPolicy (policy/v1beta1, removed in Kubernetes 1.25 in favour of Pod Security Admission) is an admission-time gate: whatever it allows, any pod whose service account may `use` it can do. A policy that allows `privileged`, the host\'s network, PID or IPC namespace, `hostPath` volumes without `allowedHostPaths`, or every capability (`*`) admits pods that can take the node over: the node joins the trusted base of every workload that may use the policy (warning). Privilege escalation (allowed unless `allowPrivilegeEscalation: false`) and named added capabilities weaken it less (info). One finding per policy lists what it allows.',
    fix: 'Set `privileged: false`, `hostNetwork`, `hostPID`, `hostIPC: false`, `allowPrivilegeEscalation: false`, `requiredDropCapabilities: [ALL]`, list `volumes` without `hostPath` (or restrict it with `allowedHostPaths` and `readOnly: true`); better, move to Pod Security Admission (`pod-security.kubernetes.io/enforce: restricted` on the namespace).',
    bad: 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: permissive\nspec:\n  privileged: true\n  hostNetwork: true\n  volumes: ["*"]\n  runAsUser: {rule: RunAsAny}\n  seLinux: {rule: RunAsAny}\n  supplementalGroups: {rule: RunAsAny}\n  fsGroup: {rule: RunAsAny}',
    good: 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: restricted\nspec:\n  privileged: false\n  allowPrivilegeEscalation: false\n  requiredDropCapabilities: [ALL]\n  volumes: [configMap, emptyDir, projected, secret, downwardAPI, persistentVolumeClaim]\n  runAsUser: {rule: MustRunAsNonRoot}\n  seLinux: {rule: RunAsAny}\n  supplementalGroups: {rule: MustRunAs, ranges: [{min: 1, max: 65535}]}\n  fsGroup: {rule: MustRunAs, ranges: [{min: 1, max: 65535}]}',
  },
  checkKubernetes(object, context) {
    if (object.kind !== 'PodSecurityPolicy' || !/^(policy|extensions)\//.test(object.apiVersion)) return;
    const tree = object.tree;
    const spec = tree.map(object.root, 'spec');
    if (!spec) return;
    const allowed: Allowed[] = [];
    const at = (key: string): OffsetRange => rangeOf(tree.get(spec, key)) ?? object.subjectRange;
    if (tree.boolean(spec, 'privileged') === true) allowed.push({ what: 'privileged containers', severity: 'warning', range: at('privileged') });
    for (const [key, what] of [['hostNetwork', "the host's network namespace"], ['hostPID', "the host's PID namespace"], ['hostIPC', "the host's IPC namespace"]] as const) {
      if (tree.boolean(spec, key) === true) allowed.push({ what, severity: 'warning', range: at(key) });
    }
    const volumes = tree.items(tree.get(spec, 'volumes')).filter(isScalar);
    const hostPath = volumes.find((volume) => ['*', 'hostPath'].includes(scalarText(volume)?.trim() ?? ''));
    if (hostPath && tree.items(tree.get(spec, 'allowedHostPaths')).length === 0) {
      allowed.push({ what: `hostPath volumes of any path (volumes: ${scalarText(hostPath)}, no allowedHostPaths)`, severity: 'warning', range: rangeOf(hostPath) ?? at('volumes') });
    }
    const capabilities = tree.items(tree.get(spec, 'allowedCapabilities')).filter(isScalar);
    const added = tree.items(tree.get(spec, 'defaultAddCapabilities')).filter(isScalar);
    const every = capabilities.find((capability) => scalarText(capability)?.trim() === '*');
    if (every) allowed.push({ what: 'every capability (allowedCapabilities: ["*"])', severity: 'warning', range: rangeOf(every) ?? at('allowedCapabilities') });
    else if (capabilities.length + added.length > 0) {
      const names = [...capabilities, ...added].map((capability) => scalarText(capability)?.trim()).filter((name) => name !== undefined);
      allowed.push({ what: `added capabilities (${[...new Set(names)].join(', ')})`, severity: 'info', range: rangeOf(capabilities[0] ?? added[0]) ?? object.subjectRange });
    }
    if (tree.boolean(spec, 'allowPrivilegeEscalation') !== false) {
      const written = tree.pair(spec, 'allowPrivilegeEscalation') !== undefined;
      allowed.push({ what: written ? 'privilege escalation (allowPrivilegeEscalation: true)' : 'privilege escalation (no allowPrivilegeEscalation: false, and it defaults to true)', severity: 'info', range: written ? at('allowPrivilegeEscalation') : object.subjectRange });
    }
    if (allowed.length === 0) return;
    const severity: Severity = allowed.some((item) => item.severity === 'warning') ? 'warning' : 'info';
    const first = allowed.find((item) => item.severity === severity)!;
    const related: RelatedInput[] = allowed.filter((item) => item !== first).map((item) => ({ message: `also admits ${item.what}`, range: item.range }));
    context.report({ range: first.range, severity, message: `PodSecurityPolicy "${object.name ?? '?'}" admits ${allowed.map((item) => item.what).join('; ')}: any pod allowed to use it may do the same.`, related });
  },
});
