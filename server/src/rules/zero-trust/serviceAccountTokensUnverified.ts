import { defineRule } from '../rule';
import { effectiveFlag, flagBoolean } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, setFlagFix, staticPodExample } from '../shared/controlPlane';

export const serviceAccountTokensUnverified = defineRule({
  id: 'ZT026',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Service-account tokens not checked or controllers share one identity',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 1.2.21, 1.2.22, 1.3.3, 1.3.4', 'kube-bench 1.2.21, 1.2.22, 1.3.3, 1.3.4', 'KICS Service Account Lookup Set To False, Service Account Key File Not Properly Set, Use Service Account Credentials Not Set To True, Service Account Private Key File Not Defined'],
  guidance: {
    why: 'Verify explicitly, with least privilege. With `--service-account-lookup=false` the API server accepts a service-account token as long as its signature checks out, even after the account or its Secret was deleted: revoking a leaked token does nothing (warning). `--service-account-key-file` (API server) and `--service-account-private-key-file` (controller manager) name the keys tokens are verified and signed with; without them the API server falls back to its TLS key. And without `--use-service-account-credentials=true` every controller of kube-controller-manager acts with the manager\'s one identity, which then needs the union of all their permissions (info).',
    fix: 'Leave `--service-account-lookup` at its default (true); give kube-apiserver `--service-account-key-file` and kube-controller-manager `--service-account-private-key-file` (a dedicated key pair, kubeadm\'s sa.pub/sa.key) and `--use-service-account-credentials=true`.',
    bad: staticPodExample('kube-apiserver', ['--service-account-key-file=/etc/kubernetes/pki/sa.pub', '--service-account-lookup=false']),
    good: staticPodExample('kube-apiserver', ['--service-account-key-file=/etc/kubernetes/pki/sa.pub']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver')) {
      const lookup = effectiveFlag(invocation, 'service-account-lookup');
      if (flagBoolean(lookup) === false) {
        context.report({ range: lookup!.range, message: `${invocation.label} sets --service-account-lookup=false: a service-account token keeps working after its account or Secret is deleted, so revoking it does nothing.`, fixes: setFlagFix('Set --service-account-lookup=true', lookup!, 'true') });
      }
      const key = effectiveFlag(invocation, 'service-account-key-file');
      if (key ? key.value === '' : invocation.absenceProven) {
        context.report({ range: key?.range ?? invocation.subjectRange, severity: 'info', message: `${invocation.label} has no --service-account-key-file: service-account tokens are verified with the API server's own TLS key, not a dedicated key pair.` });
      }
    }
    for (const invocation of invocationsOf(object, 'kube-controller-manager')) {
      const key = effectiveFlag(invocation, 'service-account-private-key-file');
      const credentials = effectiveFlag(invocation, 'use-service-account-credentials');
      const missing: string[] = [];
      if (key ? key.value === '' : invocation.absenceProven) missing.push('no --service-account-private-key-file, so the token controller does not sign service-account tokens with a dedicated key');
      const shared = credentials ? flagBoolean(credentials) === false : invocation.absenceProven;
      if (shared) missing.push(`${credentials ? '--use-service-account-credentials=false' : 'no --use-service-account-credentials (default false)'}, so every controller acts with the manager's one identity and the union of all their permissions`);
      if (missing.length === 0) continue;
      context.report({
        range: credentials && shared ? credentials.range : invocation.subjectRange,
        severity: 'info',
        message: `${invocation.label}: ${missing.join('; ')}.`,
        fixes: shared ? (credentials ? setFlagFix('Set --use-service-account-credentials=true', credentials, 'true') : addFlagFix('Add --use-service-account-credentials=true', invocation, 'use-service-account-credentials', 'true')).map((fix) => ({ ...fix, partial: missing.length > 1 })) : [],
      });
    }
  },
});
