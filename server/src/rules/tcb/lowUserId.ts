import { defineRule, type RuleContext } from '../rule';
import { scalarText, valueTextRange } from '../../core/tree';
import { isRootUser } from '../../model/dockerfile';
import { stringItems } from '../../model/common';
import { podSecurityContext, runningContainers, type KubernetesObject } from '../../model/kubernetes';
import { effectiveSetting } from '../../model/podSecurity';
import { containerLabel, oncePerRange } from '../shared/workloads';
import { composeHostMounts, kubernetesHostMounts } from '../../model/hostMounts';

/** UIDs below this are those of the host's own users and system accounts (kubesec, Trivy KSV020). */
const FIRST_UNSHARED_UID = 10000;

/**
 * TCB015: a non-root user that still overlaps with the host's identities. A UID below 10000 is,
 * without user namespaces, the same number as a user or system account of the node, with that
 * user's access to every host file a mount exposes (reported where the workload mounts host paths:
 * elsewhere the image's own service UID is usually what makes its files work); GID 0 (runAsGroup, fsGroup, supplementalGroups,
 * compose `user: "1000:0"`, `group_add: [root]`) gives the process every file the root group can
 * read or write. UID 0 is ZT001's.
 */
export const lowUserId = defineRule({
  id: 'TCB015',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'info',
  title: 'Container runs with a low UID or the root group',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: ['KICS Container Running With Low UID', 'Checkov CKV_K8S_40', 'Trivy KSV020, KSV021, KSV029', 'kubesec RunAsUser, RunAsGroup'],
  guidance: {
    why: 'A container\'s UID is the host\'s UID unless user namespaces remap it: UID 1000 in the container owns what host user 1000 owns on every mounted host path, and a process that escapes is that user of the node. UIDs from 10000 up are used by no host account. A low UID is reported where the workload mounts host paths (compose bind mounts, hostPath volumes), where the overlap is proven to reach host files; elsewhere an image\'s own service UID (postgres 70, nginx 101) is what makes its files work and is left alone. The root group (GID 0) is a second path to root\'s files: many images leave directories group-writable by root, and volumes given `fsGroup: 0` are owned by it. Running as root (UID 0) is ZT001; a missing user is an item of the hardening baseline (TCB011).',
    fix: 'Run as a UID and GID of 10000 or more that no host account uses (`runAsUser: 10001`, `runAsGroup: 10001`, `fsGroup: 10001`; compose `user: "10001:10001"`), and leave GID 0 out of `supplementalGroups` and `group_add`.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1\n    user: "1000:1000"\n    volumes:\n      - /srv/api/uploads:/uploads',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    user: "10001:10001"\n    volumes:\n      - /srv/api/uploads:/uploads',
  },
  checkCompose(model, context) {
    // Services that merge one anchor (`<<: *app` with `user:`) share one setting: one fact.
    context = oncePerRange(context);
    const tree = model.tree;
    // A low UID is that host user's access only where host files are mounted (compose labels mounts `Service "name"`).
    const hostPathsOf = new Set(composeHostMounts(model).filter((mount) => mount.via === 'mount').map((mount) => /^Service "(.*)"$/.exec(mount.label)?.[1]));
    for (const service of model.services) {
      if (!service.node) continue;
      const label = `Service "${service.name}"`;
      const userNode = tree.get(service.node, 'user');
      const user = scalarText(userNode)?.trim();
      const range = valueTextRange(tree.text, userNode);
      if (user !== undefined && range && !isRootUser(user) && !user.includes('$')) {
        const [uid, gid] = user.split(':').map((part) => part.trim());
        if (/^\d+$/.test(uid) && Number(uid) < FIRST_UNSHARED_UID && hostPathsOf.has(service.name)) {
          context.report({ range, message: `${label} runs as UID ${uid} (user: ${user}), below ${FIRST_UNSHARED_UID}: without user namespaces it is that user of the host, with its access to every host path a mount exposes.` });
        } else if (gid !== undefined && isRootGroup(gid)) {
          context.report({ range, message: `${label} runs with the root group (user: ${user}): it can read and write whatever the root group owns in the container and on its mounts.` });
        }
      }
      for (const group of stringItems(tree, service.node, 'group_add')) {
        if (!isRootGroup(group.value)) continue;
        context.report({ range: group.range, message: `${label} joins the root group (group_add: ${group.value}): it can read and write whatever the root group owns in the container and on its mounts.` });
      }
    }
  },
  checkKubernetes(object, context) {
    if (!object.podSpec) return;
    // A pod-level setting is one fact, however many containers inherit it.
    const once = oncePerRange(context);
    const mountsHostPaths = kubernetesHostMounts(object).length > 0;
    for (const container of runningContainers(object)) {
      const user = effectiveSetting(object, container, 'runAsUser');
      const uid = scalarText(user?.value)?.trim();
      if (user && uid !== undefined && /^\d+$/.test(uid) && Number(uid) > 0 && Number(uid) < FIRST_UNSHARED_UID && mountsHostPaths) {
        once.report({ range: user.range, message: `${subject(object, user.level, containerLabel(object, container))} runs as UID ${uid} (runAsUser), below ${FIRST_UNSHARED_UID}: without user namespaces it is that user of the node, with its access to every host path a volume exposes.` });
      }
      const group = effectiveSetting(object, container, 'runAsGroup');
      if (group && isRootGroup(scalarText(group.value) ?? '')) {
        once.report({ range: group.range, message: `${subject(object, group.level, containerLabel(object, container))} runs with the root group (runAsGroup: 0): it can read and write whatever the root group owns in the image and on its volumes.` });
      }
    }
    reportPodGroups(object, once);
  },
});

function subject(object: KubernetesObject, level: 'pod' | 'container', container: string): string {
  return level === 'pod' ? `${object.kind} "${object.name ?? '?'}" (pod-level securityContext)` : container;
}

/** fsGroup and supplementalGroups are pod-level only. */
function reportPodGroups(object: KubernetesObject, context: RuleContext): void {
  const tree = object.tree;
  const podContext = podSecurityContext(object);
  if (!podContext || runningContainers(object).length === 0) return;
  const fsGroup = tree.get(podContext, 'fsGroup');
  if (isRootGroup(scalarText(fsGroup) ?? '')) {
    context.report({ range: valueTextRange(tree.text, fsGroup)!, message: `${object.kind} "${object.name ?? '?'}" gives its volumes to the root group (fsGroup: 0): every container of the pod, and anything else in the root group, can write them.` });
  }
  for (const group of stringItems(tree, podContext, 'supplementalGroups')) {
    if (!isRootGroup(group.value)) continue;
    context.report({ range: group.range, message: `${object.kind} "${object.name ?? '?'}" adds the root group to its containers (supplementalGroups: ${group.value}): they can read and write whatever the root group owns.` });
  }
}

function isRootGroup(group: string): boolean {
  const text = group.trim().toLowerCase();
  return text === '0' || text === 'root';
}
