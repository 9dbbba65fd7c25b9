import { defineRule, type RuleContext } from '../rule';
import { isKubeletPluginSocketDir, mountedBy, runtimeSocketOf, sensitiveHostPath } from '../shared/hostMounts';
import { composeHostMounts, kubernetesHostMounts, type HostMount } from '../../model/hostMounts';
import { namespaceOf } from '../../model/kubernetes';

/**
 * TCB014: every other way a workload reaches into the node's filesystem or devices. Sensitive
 * paths are TCB008's and runtime sockets TCB007's; this rule reports the rest of the family, which
 * Pod Security's baseline forbids as a whole: a Kubernetes `hostPath` volume outside `kube-system`
 * (the node's files outlive the pod and are shared with every pod on the node that mounts them) and
 * a host device mapped into a container (compose `devices:`, a hostPath of type CharDevice or BlockDevice).
 */
export const hostPathVolume = defineRule({
  id: 'TCB014',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Host path or host device given to a workload',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: [
    'KICS Non Kube System Pod With Host Mount',
    'kube-linter writable-host-mount',
    'Polaris hostPathSet',
    'Trivy KSV023',
  ],
  guidance: {
    why: 'A `hostPath` volume is a piece of the node inside the pod: what the pod writes there outlives it, is read by every other pod on that node that mounts the path, and is not tracked by any volume Kubernetes manages; a container breakout that starts from a writable host directory has one foot on the node already. Pod Security\'s baseline profile forbids hostPath volumes outright. A host device (compose `devices:`, a hostPath of type CharDevice or BlockDevice) hands the container a kernel driver of the host, a larger attack surface than the container\'s own namespaces. Writable hostPath volumes of application workloads are warnings; read-only ones, devices, a DaemonSet\'s (a node agent, whose job is the node) and a CSI or device plugin\'s socket directory under /var/lib/kubelet/plugins are information. Sensitive host paths (/, /etc, /proc, /sys, /var/lib/kubelet, raw disks…) are TCB008, runtime sockets TCB007; objects in `kube-system`, where node agents live, are left alone.',
    fix: 'Use a volume Kubernetes manages (`emptyDir` for scratch space, a PersistentVolumeClaim for data, a ConfigMap or Secret for configuration). If a node agent really needs the path, mount it `readOnly: true`, run the agent in its own namespace with a documented exception, and map a device only into the one service that drives it.',
    bad: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: cache\nspec:\n  containers:\n    - name: cache\n      image: example/cache:2.1.0\n      volumeMounts:\n        - name: scratch\n          mountPath: /cache\n  volumes:\n    - name: scratch\n      hostPath:\n        path: /srv/cache',
    good: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: cache\nspec:\n  containers:\n    - name: cache\n      image: example/cache:2.1.0\n      volumeMounts:\n        - name: scratch\n          mountPath: /cache\n  volumes:\n    - name: scratch\n      emptyDir: {}',
  },
  checkCompose(model, context) {
    // A compose bind mount of a project or data directory is how compose keeps state; only devices are host access of their own.
    for (const mount of composeHostMounts(model)) if (mount.via === 'device') report(mount, context, false);
  },
  checkKubernetes(object, context) {
    if (namespaceOf(object) === 'kube-system') return;
    // A DaemonSet is a node agent: the node is its job, so its writable host paths are information too.
    const nodeAgent = object.kind === 'DaemonSet';
    for (const mount of kubernetesHostMounts(object)) report(mount, context, nodeAgent);
  },
});

function report(mount: HostMount, context: RuleContext, nodeAgent: boolean): void {
  // The sensitive forms are stated by TCB007 and TCB008 at their own severity: one finding per fact.
  if (runtimeSocketOf(mount) || sensitiveHostPath(mount)) return;
  if (mount.via === 'device') {
    context.report({
      range: mount.range,
      severity: 'info',
      message: `${mount.label} maps host device ${mount.hostPath}${mountedBy(mount)}: the container talks to a driver of the host's kernel directly, beyond what its own namespaces confine.`,
    });
    return;
  }
  // A CSI or device plugin's socket directory is how the kubelet talks to it: needed, and no state of the node's.
  const mild = mount.readOnly || nodeAgent || (mount.absolutePath !== undefined && isKubeletPluginSocketDir(mount.absolutePath));
  context.report({
    range: mount.range,
    severity: mild ? 'info' : undefined,
    message: mount.readOnly
      ? `${mount.label} mounts host path ${mount.hostPath}${mountedBy(mount)} read-only: the pod depends on files of the node it lands on, outside any volume Kubernetes manages.`
      : `${mount.label} mounts host path ${mount.hostPath}${mountedBy(mount)} writable: what it writes stays on the node, where every pod that mounts the path reads it and no volume Kubernetes manages tracks it.`,
  });
}
