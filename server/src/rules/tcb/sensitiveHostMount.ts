import { defineRule, type RuleContext } from '../rule';
import { mountedBy, sensitiveHostPath } from '../shared/hostMounts';
import { oncePerRange } from '../shared/workloads';
import { stringItems } from '../../model/common';
import { composeHostMounts, kubernetesHostMounts } from '../../model/hostMounts';
import type { HostMount } from '../../model/hostMounts';

export const sensitiveHostMount = defineRule({
  id: 'TCB008',
  pattern: 'TCB',
  alsoPattern: 'IMM',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Sensitive host path mounted',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: ['KICS 1c1325ff Volume Has Sensitive Host Directory', 'kube-linter sensitive-host-mounts', 'Trivy KSV023', 'Polaris hostPathSet', 'kubesec ProcMount'],
  guidance: {
    why: 'Mounting /, /etc, /proc, /sys, /var/lib/kubelet, /var/lib/docker, /root or a user\'s ~/.ssh (or mapping a raw disk or /dev/mem as a device) gives the container the host\'s credentials, other workloads\' secrets or the kernel\'s controls: the host and everything on it join the container\'s trusted base. A `device_cgroup_rules` entry that opens every block device (or the memory devices) counts as a writable raw disk. Node binaries and configuration the host runs as root (/opt/cni/bin, /etc/cni/net.d, /usr/libexec/kubernetes, /etc/kubernetes) and /var/log (a symlink written there lets the kubelet serve any host file) count too. Writable mounts are errors (the container can change the host); read-only ones are warnings (it can still read every secret there); read-only log directories and a CSI driver\'s own socket directory under /var/lib/kubelet/plugins are left alone.',
    fix: 'Mount only the specific file or directory the workload needs, read-only; take credentials from a secret store instead of the host. Node agents that need host paths belong in their own namespace with a documented exception.',
    bad: 'services:\n  agent:\n    image: example/agent:1.4.2\n    volumes:\n      - /etc:/host/etc',
    good: 'services:\n  agent:\n    image: example/agent:1.4.2\n    volumes:\n      - ./agent.yaml:/etc/agent/agent.yaml:ro',
  },
  checkCompose(model, context) {
    const once = oncePerRange(context);
    const tree = model.tree;
    // Service by service (its mounts, then its cgroup rules): the order a run on that service alone reports them in.
    for (const service of model.services) {
      for (const mount of composeHostMounts({ ...model, services: [service] })) report(mount, once);
      for (const rule of stringItems(tree, service.node, 'device_cgroup_rules')) {
        const what = deviceRuleGrant(rule.value);
        if (!what) continue;
        once.report({
          range: rule.range,
          message: `Service "${service.name}" allows ${what} (device_cgroup_rules: ${rule.value}): with the default MKNOD capability it can create the host's disk or memory devices and read or write them, around every file permission.`,
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const once = oncePerRange(context);
    for (const mount of kubernetesHostMounts(object)) report(mount, once);
  },
});

/** A cgroup device rule (`type major:minor access`) that opens every block device or the memory devices; undefined for a narrow one. */
function deviceRuleGrant(rule: string): string | undefined {
  const match = /^\s*([abc])\s+(\*|\d+):(\*|\d+)\s+([rwm]+)\s*$/.exec(rule);
  if (!match || !/[rw]/.test(match[4])) return undefined;
  const [, type, major] = match;
  if (type === 'a') return 'every device of the host';
  if (type === 'b' && major === '*') return 'every block device of the host';
  if (type === 'c' && (major === '*' || major === '1')) return "the host's memory devices (/dev/mem, /dev/kmem, /dev/port)";
  return undefined;
}

function report(mount: HostMount, context: RuleContext): void {
  const what = sensitiveHostPath(mount);
  if (!what) return;
  const subject = mount.via === 'device' ? `maps host device ${mount.hostPath}${mountedBy(mount)}` : `mounts host path ${mount.hostPath}${mountedBy(mount)}`;
  context.report({
    range: mount.range,
    severity: mount.readOnly ? 'warning' : undefined,
    message: mount.readOnly
      ? `${mount.label} ${subject} read-only: it exposes ${what} to the container, so the host's secrets become part of its trusted base.`
      : `${mount.label} ${subject} writable: it hands ${what} to the container, which can then change the host.`,
  });
}
