import { defineRule } from '../rule';
import { deletePair, deleteSeqItem, fix } from '../../core/edits';
import { securityOptionList, securityOptions } from '../../model/compose';
import { isMap, isScalar } from '../../core/yaml';
import { rangeOf, scalarText, valueTextRange, type YamlTree } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import { runningContainers } from '../../model/kubernetes';
import { containerLabel } from '../shared/workloads';

/**
 * The sysctls Kubernetes calls safe: namespaced, and unable to affect other pods on the node
 * (kubernetes.io "Using sysctls in a Kubernetes Cluster", safe set as of v1.32). Every other
 * sysctl needs the kubelet's `--allowed-unsafe-sysctls` and reaches node-wide kernel state.
 */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** `net.ipv4.tcp_syncookies` and `net/ipv4/tcp_syncookies` name the same sysctl. */
function sysctlName(name: string): string {
  return name.trim().replace(/\//g, '.');
}

export const hostKernelState = defineRule({
  id: 'TCB012',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Container reaches kernel state it shares with the host',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  aspects: [
    { id: 'sysctls', title: 'a sysctl outside the safe set' },
    { id: 'procMount', title: 'an unmasked /proc (procMount: Unmasked, systempaths=unconfined)' },
    { id: 'cgroup', title: 'the host\'s cgroup namespace or a cgroup_parent (compose)' },
    { id: 'userNamespace', title: 'the host\'s user namespace (compose)' },
    { id: 'pidSharing', title: 'another container\'s PID namespace (compose)' },
  ],
  peers: [
    'kube-linter unsafe-sysctls, unsafe-proc-mount',
    'KICS Cgroup Not Default 4d9f44c6, Shared Host User Namespace 8af7162d, Container Runs Unmasked',
    'Trivy KSV026, KSV027',
    'Polaris procMount',
    'Kubernetes Pod Security Standards: Sysctls, /proc Mount Type',
  ],
  guidance: {
    why: 'A container is a set of kernel namespaces and cgroups; each setting here opens one of them towards the host. Sysctls outside the safe set (`kernel.msg*`, `net.core.*`, most of `net.*`) change kernel state the node and its other pods share; `procMount: Unmasked` (compose `security_opt: [systempaths=unconfined]`) removes the masks over `/proc/kcore`, `/proc/sys` and friends; compose `cgroup: host`, `userns_mode: host` and `pid: container:…` put the container into the host\'s cgroup or user namespace, or into another container\'s processes. Each one enlarges what must be trusted beyond the container itself. A `cgroup_parent` only chooses where the container\'s cgroup sits and is reported as information.',
    fix: 'Remove the setting. Tune kernel parameters on the node (or in a dedicated, privileged-by-exception DaemonSet) instead of from an application pod; keep `procMount: Default`; let each service have its own PID, cgroup and user namespace.',
    bad: 'apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n  securityContext:\n    sysctls:\n      - {name: kernel.msgmax, value: "65536"}\n  containers:\n    - {name: cache, image: example/cache:2.1.0}',
    good: 'apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n  securityContext:\n    sysctls:\n      - {name: net.ipv4.ip_local_port_range, value: "32768 60999"}\n  containers:\n    - {name: cache, image: example/cache:2.1.0}',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      const node = service.node;
      if (!node) continue;
      const label = `Service "${service.name}"`;
      const removal = (key: string, title: string) => fix(title, [deletePair(tree, node, key)], false);
      for (const [key, aspect, consequence] of [
        ['cgroup', 'cgroup', 'joins the host\'s cgroup namespace (cgroup: host): it sees and can name every cgroup of the host'],
        ['userns_mode', 'userNamespace', 'runs in the host\'s user namespace (userns_mode: host): root in the container is root of the host, even where the daemon remaps users'],
      ] as const) {
        const value = tree.get(node, key);
        if (scalarText(value)?.trim() !== 'host') continue;
        context.report({ range: valueTextRange(tree.text, value)!, aspect, message: `${label} ${consequence}.`, fixes: removal(key, `Remove ${key}: host`) });
      }
      const pid = tree.get(node, 'pid');
      const pidMode = scalarText(pid)?.trim();
      if (pidMode && /^(container|service):./.test(pidMode)) {
        context.report({
          range: valueTextRange(tree.text, pid)!,
          aspect: 'pidSharing',
          message: `${label} joins the PID namespace of ${pidMode.startsWith('service:') ? 'service' : 'container'} "${pidMode.slice(pidMode.indexOf(':') + 1)}" (pid: ${pidMode}): each sees the other's processes and, with the same user, can signal and trace them.`,
          fixes: removal('pid', 'Remove the shared PID namespace'),
        });
      }
      for (const option of securityOptions(tree, service)) {
        // Docker's spelling of procMount: Unmasked.
        if (option.name !== 'systempaths' || option.value?.toLowerCase() !== 'unconfined') continue;
        context.report({
          range: option.range,
          aspect: 'procMount',
          message: `${label} unmasks /proc and /sys (security_opt ${option.name}=${option.value}): /proc/kcore, /proc/sys and the other paths the runtime hides become readable, and writable where the container may write.`,
          fixes: fix('Remove systempaths=unconfined', [deleteSeqItem(tree, securityOptionList(tree, service)!, option.node)], false),
        });
      }
      const parent = tree.get(node, 'cgroup_parent');
      const parentValue = scalarText(parent)?.trim();
      if (parentValue) {
        context.report({
          range: valueTextRange(tree.text, parent)!,
          aspect: 'cgroup',
          severity: 'info',
          message: `${label} places its cgroup under "${parentValue}" (cgroup_parent): its resource limits are those of a parent cgroup this file does not show.`,
        });
      }
      const sysctls = tree.get(node, 'sysctls');
      for (const entry of composeSysctls(tree, sysctls)) {
        if (SAFE_SYSCTLS.has(sysctlName(entry.name))) continue;
        // Docker accepts only namespaced sysctls, so the host itself is not changed: information.
        context.report({ range: entry.range, aspect: 'sysctls', severity: 'info', message: `${label} sets sysctl ${sysctlName(entry.name)}, outside the set Kubernetes deems isolated between workloads: it tunes kernel state shared with whatever else runs in the same namespaces.` });
      }
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    const spec = object.podSpec?.node;
    if (!spec) return;
    const podLabel = `${object.kind} "${object.name ?? '?'}"`;
    for (const item of tree.items(tree.get(tree.get(spec, 'securityContext'), 'sysctls'))) {
      if (!isMap(item)) continue;
      const name = tree.string(item, 'name');
      if (!name || name.includes('{{') || SAFE_SYSCTLS.has(sysctlName(name))) continue;
      const nameNode = tree.get(item, 'name');
      context.report({
        range: valueTextRange(tree.text, nameNode)!,
        aspect: 'sysctls',
        message: `${podLabel} sets the unsafe sysctl ${sysctlName(name)}: it is outside the safe set, needs the kubelet's --allowed-unsafe-sysctls, and changes kernel state the node and its other pods share.`,
      });
    }
    for (const container of runningContainers(object)) {
      const procMount = tree.get(tree.get(container.node, 'securityContext'), 'procMount');
      if (scalarText(procMount)?.trim() !== 'Unmasked') continue;
      context.report({
        range: valueTextRange(tree.text, procMount)!,
        aspect: 'procMount',
        message: `${containerLabel(object, container)} mounts /proc unmasked (procMount: Unmasked): /proc/kcore, /proc/sys and the other paths the runtime hides become readable, and writable where the container may write.`,
        fixes: fix('Set procMount: Default', [{ ...valueTextRange(tree.text, procMount)!, newText: 'Default' }], false),
      });
    }
  },
});

/** `sysctls:` as a map (`net.core.somaxconn: 1024`) or a list (`- net.core.somaxconn=1024`), with each name's range. */
function composeSysctls(tree: YamlTree, node: unknown): Array<{ name: string; range: OffsetRange }> {
  if (isMap(node)) {
    return tree.entries(node).flatMap(([key]) => {
      const name = scalarText(key);
      const range = rangeOf(key);
      return name && range && !name.includes('${') ? [{ name, range: { start: range.start, end: range.end } }] : [];
    });
  }
  return tree.items(node).flatMap((item) => {
    if (!isScalar(item)) return [];
    const text = scalarText(item) ?? '';
    const name = text.split('=')[0];
    const range = valueTextRange(tree.text, item);
    if (!name || !range || name.includes('${')) return [];
    return [{ name, range: { start: range.start, end: range.start + (tree.text.slice(range.start, range.end).startsWith(name) ? name.length : range.end - range.start) } }];
  });
}
