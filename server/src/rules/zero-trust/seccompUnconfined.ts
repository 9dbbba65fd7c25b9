import { defineRule } from '../rule';
import { deleteSeqItem, fix, replaceNode } from '../../core/edits';
import { describeContainers, unconfinedProfiles } from '../shared/profiles';
import { securityOptionList, securityOptions } from '../../model/compose';

export const seccompUnconfined = defineRule({
  id: 'ZT005',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Seccomp confinement switched off',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS 404fde2c Default Seccomp Profile Disabled', 'Checkov CKV_K8S_31', 'Trivy KSV104', 'kubesec SeccompUnconfined'],
  guidance: {
    why: 'The runtime\'s default seccomp profile blocks the few hundred system calls containers never need and kernel exploits love (keyctl, bpf, unshare, mount…). `unconfined` hands the whole kernel interface to whoever compromises the process: the blast radius of a breach grows from the container to the kernel. Every spelling counts: compose `seccomp:unconfined` or `seccomp=unconfined`, `seccompProfile.type: Unconfined` at pod or container level, and the older `seccomp.security.alpha.kubernetes.io/pod` and `container.seccomp.security.alpha.kubernetes.io/<container>` annotations. A Kubernetes container with no profile at all is an item of the hardening baseline (TCB011).',
    fix: 'Remove `seccomp:unconfined` from compose `security_opt`; in Kubernetes use `seccompProfile: {type: RuntimeDefault}` (or a `Localhost` profile that allows just the extra call you need).',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    security_opt:\n      - seccomp:unconfined',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    security_opt:\n      - no-new-privileges:true',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      for (const option of securityOptions(tree, service)) {
        if (option.name !== 'seccomp' || option.value?.toLowerCase() !== 'unconfined') continue;
        context.report({
          range: option.range,
          message: `Service "${service.name}" runs with seccomp unconfined: every system call of the host kernel is open to a compromised process.`,
          fixes: fix('Remove seccomp:unconfined (use the default profile)', [deleteSeqItem(tree, securityOptionList(tree, service)!, option.node)], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const profiles = unconfinedProfiles(object, 'seccompProfile', { pod: 'seccomp.security.alpha.kubernetes.io/pod', containerPrefix: 'container.seccomp.security.alpha.kubernetes.io/', defaultValue: 'runtime/default' });
    for (const profile of profiles) {
      context.report({
        range: profile.range,
        message: `${object.kind} "${object.name ?? '?'}" switches seccomp off (${profile.setting}) for ${describeContainers(profile.containers)}: every system call of the node's kernel is open to a compromised process.`,
        fixes: fix(`Use ${profile.confinedValue}`, [replaceNode(profile.node, profile.confinedValue)], false),
      });
    }
  },
});
