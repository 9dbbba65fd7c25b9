import { defineRule } from '../rule';
import { deleteSeqItem, fix, replaceNode } from '../../core/edits';
import { describeContainers, unconfinedProfiles } from '../shared/profiles';
import { securityOptionList, securityOptions } from '../../model/compose';

export const apparmorUnconfined = defineRule({
  id: 'ZT006',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'AppArmor confinement switched off',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS Missing AppArmor Config', 'Trivy KSV002', 'kubesec ApparmorAny'],
  guidance: {
    why: 'The runtime\'s default AppArmor profile stops a container from writing to /proc and /sys, mounting filesystems and similar host-level moves. `unconfined` removes that second wall, so a breach of the process meets only the kernel\'s namespaces. Every spelling counts: compose `apparmor:unconfined` or `apparmor=unconfined`, `appArmorProfile.type: Unconfined` at pod or container level, and the older `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotation. A missing profile is not reported: where AppArmor is enabled the runtime applies its default profile.',
    fix: 'Remove `apparmor:unconfined` from compose `security_opt`; in Kubernetes use `appArmorProfile: {type: RuntimeDefault}` (or the annotation value `runtime/default`).',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    security_opt:\n      - apparmor:unconfined',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    security_opt:\n      - no-new-privileges:true',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      for (const option of securityOptions(tree, service)) {
        if (option.name !== 'apparmor' || option.value?.toLowerCase() !== 'unconfined') continue;
        context.report({
          range: option.range,
          message: `Service "${service.name}" runs with AppArmor unconfined: a compromised process is no longer kept away from /proc, /sys and mounts.`,
          fixes: fix('Remove apparmor:unconfined (use the default profile)', [deleteSeqItem(tree, securityOptionList(tree, service)!, option.node)], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const profiles = unconfinedProfiles(object, 'appArmorProfile', { containerPrefix: 'container.apparmor.security.beta.kubernetes.io/', defaultValue: 'runtime/default' });
    for (const profile of profiles) {
      context.report({
        range: profile.range,
        message: `${object.kind} "${object.name ?? '?'}" switches AppArmor off (${profile.setting}) for ${describeContainers(profile.containers)}: a compromised process is no longer kept away from /proc, /sys and mounts.`,
        fixes: fix(`Use ${profile.confinedValue}`, [replaceNode(profile.node, profile.confinedValue)], false),
      });
    }
  },
});
