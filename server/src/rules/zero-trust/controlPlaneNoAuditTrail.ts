import { defineRule } from '../rule';
import { effectiveFlag } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, staticPodExample } from '../shared/controlPlane';

const RETENTION = ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize'];

export const controlPlaneNoAuditTrail = defineRule({
  id: 'ZT025',
  pattern: 'ZT',
  alsoPattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'API server keeps no audit trail',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 1.2.16, 1.2.17, 1.2.18, 1.2.19, 3.2.1', 'kube-bench 1.2.16–1.2.19, 3.2.1', 'KICS Audit Log Path Not Set, Audit Log Maxage Not Properly Set, Audit Log Maxbackup Not Properly Set, Audit Log Maxsize Not Properly Set, Audit Policy File Not Defined'],
  guidance: {
    why: 'Assume breach: when a token leaks or a binding is too wide, the audit log is the only record of what was read, changed and by whom. The API server audits nothing unless it is given a backend (`--audit-log-path` or `--audit-webhook-config-file`) and a policy (`--audit-policy-file`: without one no event is recorded, even with a log path). A log file without `--audit-log-maxage`, `--audit-log-maxbackup` or `--audit-log-maxsize` is never rotated or kept for a known time (info).',
    fix: 'Add `--audit-policy-file=/etc/kubernetes/audit-policy.yaml` (a Policy that records at least Metadata for every request and RequestResponse for Secrets, RBAC and exec), `--audit-log-path=/var/log/kubernetes/audit/audit.log` with `--audit-log-maxage=30`, `--audit-log-maxbackup=10`, `--audit-log-maxsize=100`, and mount both paths into the pod; or send events to a collector with `--audit-webhook-config-file`.',
    bad: staticPodExample('kube-apiserver', ['--authorization-mode=Node,RBAC']),
    good: staticPodExample('kube-apiserver', ['--authorization-mode=Node,RBAC', '--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/kubernetes/audit/audit.log', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver')) {
      const path = effectiveFlag(invocation, 'audit-log-path');
      const webhook = effectiveFlag(invocation, 'audit-webhook-config-file');
      const policy = effectiveFlag(invocation, 'audit-policy-file');
      if ((path?.value === '' || !path) && (webhook?.value === '' || !webhook)) {
        if (path || webhook || invocation.absenceProven) context.report({ range: (path ?? webhook)?.range ?? invocation.subjectRange, message: `${invocation.label} has no audit backend (neither --audit-log-path nor --audit-webhook-config-file): no request to the API is recorded.` });
        continue;
      }
      if (!policy ? invocation.absenceProven : policy.value === '') {
        context.report({ range: policy?.range ?? (path ?? webhook)!.range, message: `${invocation.label} has an audit backend but no --audit-policy-file: without a policy the API server records no event.` });
        continue;
      }
      if (path?.value && path.value !== '-' && invocation.absenceProven && RETENTION.every((name) => !effectiveFlag(invocation, name))) {
        context.report({ range: path.range, severity: 'info', message: `${invocation.label} writes the audit log to ${path.value} without --audit-log-maxage, --audit-log-maxbackup or --audit-log-maxsize: it is never rotated and kept for no known time.`, fixes: addFlagFix('Add --audit-log-maxage=30', invocation, 'audit-log-maxage', '30') });
      }
    }
  },
});
