import { defineRule, type RuleContext } from '../rule';
import { checkEveryHostMount, mountedBy, sensitiveHostPath } from '../shared/hostMounts';
import type { HostMount } from '../../model/hostMounts';

export const sensitiveHostMount = defineRule({
  id: 'TCB008',
  pattern: 'TCB',
  alsoPattern: 'IMM',
  severity: 'error',
  title: 'Sensitive host path mounted',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: ['KICS 1c1325ff Volume Has Sensitive Host Directory', 'kube-linter sensitive-host-mounts', 'Trivy KSV023', 'Polaris hostPathSet', 'kubesec ProcMount'],
  guidance: {
    why: 'Mounting /, /etc, /proc, /sys, /var/lib/kubelet, /var/lib/docker, /root or a user\'s ~/.ssh gives the container the host\'s credentials, other workloads\' secrets or the kernel\'s controls: the host and everything on it join the container\'s trusted base. Writable mounts are errors (the container can change the host); read-only ones are warnings (it can still read every secret there).',
    fix: 'Mount only the specific file or directory the workload needs, read-only; take credentials from a secret store instead of the host. Node agents that need host paths belong in their own namespace with a documented exception.',
    bad: 'services:\n  agent:\n    image: example/agent:1.4.2\n    volumes:\n      - /etc:/host/etc',
    good: 'services:\n  agent:\n    image: example/agent:1.4.2\n    volumes:\n      - ./agent.yaml:/etc/agent/agent.yaml:ro',
  },
  ...checkEveryHostMount(report),
});

function report(mount: HostMount, context: RuleContext): void {
  const what = sensitiveHostPath(mount);
  if (!what) return;
  context.report({
    range: mount.range,
    severity: mount.readOnly ? 'warning' : undefined,
    message: mount.readOnly
      ? `${mount.label} mounts host path ${mount.hostPath}${mountedBy(mount)} read-only: it exposes ${what} to the container, so the host's secrets become part of its trusted base.`
      : `${mount.label} mounts host path ${mount.hostPath}${mountedBy(mount)} writable: it hands ${what} to the container, which can then change the host.`,
  });
}
