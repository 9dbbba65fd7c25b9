import { defineRule } from '../rule';
import { effectiveFlag } from '../../model/controlPlane';
import { invocationsOf, staticPodExample } from '../shared/controlPlane';

export const secretsNotEncryptedAtRest = defineRule({
  id: 'TCB020',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'API server stores Secrets unencrypted in etcd',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['CIS Kubernetes 1.2.27, 1.2.28', 'kube-bench 1.2.27, 1.2.28', 'KICS Encryption Provider Config Is Not Defined'],
  guidance: {
    why: 'Without `--encryption-provider-config` the API server writes Secrets to etcd as plain base64: every etcd member, every etcd backup and snapshot, and every disk they were ever on becomes part of the trusted computing base that guards your credentials. Encryption at rest (best with a KMS provider, so the key lives outside the control-plane nodes) shrinks that set back to the API server and the key service.',
    fix: 'Write an EncryptionConfiguration (apiserver.config.k8s.io/v1) that encrypts `secrets` with `kms` (v2) or `aescbc`/`secretbox`, pass it with `--encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml`, mount it read-only, then rewrite existing Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).',
    bad: staticPodExample('kube-apiserver', ['--etcd-servers=https://127.0.0.1:2379']),
    good: staticPodExample('kube-apiserver', ['--etcd-servers=https://127.0.0.1:2379', '--encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver')) {
      const config = effectiveFlag(invocation, 'encryption-provider-config');
      if (config ? config.value !== '' : !invocation.absenceProven) continue;
      context.report({ range: config?.range ?? invocation.subjectRange, message: `${invocation.label} has no --encryption-provider-config: Secrets are stored in etcd unencrypted, so every etcd member, backup and snapshot holds them in the clear.` });
    }
  },
});
