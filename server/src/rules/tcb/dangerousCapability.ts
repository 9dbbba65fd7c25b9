import { defineRule, type RuleContext } from '../rule';
import { deleteSeqItem, fix } from '../../core/edits';
import type { Severity } from '../../core/types';
import { containerLabel } from '../shared/workloads';
import type { YamlTree } from '../../core/tree';
import type { Node } from '../../core/yaml';
import { runningContainers } from '../../model/kubernetes';
import { stringItems, type ListItem } from '../../model/common';
import { isVaultImage } from '../../model/vault';

/** Capabilities that hand over the host (error) or a large part of it (warning), and why. */
const DANGEROUS: ReadonlyMap<string, [Severity, string]> = new Map([
  ['ALL', ['error', 'every capability, as good as privileged']],
  ['SYS_ADMIN', ['error', 'mount, namespaces and most of root\'s powers; the usual container escape']],
  ['SYS_MODULE', ['error', 'loading kernel modules into the host kernel']],
  ['SYS_PTRACE', ['error', 'tracing and injecting code into other processes']],
  ['SYS_RAWIO', ['error', 'raw access to host memory and devices']],
  ['DAC_READ_SEARCH', ['error', 'reading any host file by handle (the "shocker" escape)']],
  ['SYS_BOOT', ['error', 'rebooting the host or loading a new kernel']],
  ['BPF', ['error', 'loading eBPF programs into the host kernel']],
  ['MAC_ADMIN', ['error', 'reconfiguring AppArmor/SELinux']],
  ['MAC_OVERRIDE', ['error', 'bypassing AppArmor/SELinux']],
  ['NET_ADMIN', ['warning', "reconfiguring the host's interfaces, routes and firewall rules"]],
  ['PERFMON', ['warning', 'kernel performance monitoring and some eBPF']],
  ['SYS_TIME', ['warning', 'setting the host clock (breaks certificate and token validity)']],
  ['SYSLOG', ['warning', 'reading kernel logs with kernel addresses']],
  ['LINUX_IMMUTABLE', ['warning', 'changing immutable and append-only file flags']],
  ['AUDIT_CONTROL', ['warning', 'switching kernel auditing off']],
]);

/**
 * The capabilities Pod Security's baseline profile lets a container add (the runtime's default set
 * without NET_RAW): adding one of these is no finding; any other is one, at least as information.
 */
const BASELINE_ALLOWED = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/** Capabilities that act on the container's own network namespace: they reach the host only on the host's network. */
const NETWORK_NAMESPACED = new Set(['NET_ADMIN']);

export const dangerousCapability = defineRule({
  id: 'TCB002',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'error',
  milderSeverities: ['warning', 'info'],
  title: 'Dangerous Linux capability added',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS ce76b7d0 Container Capabilities Unrestricted', 'KICS Containers With Added Capabilities', 'Checkov CKV_K8S_39 (SYS_ADMIN)', 'Checkov CKV_K8S_25 (added capabilities)', 'Trivy KSV005, KSV022', 'Polaris dangerousCapabilities, insecureCapabilities', 'kubesec CapSysAdmin'],
  guidance: {
    why: 'Capabilities split root\'s power; adding SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH or ALL gives a compromised process a documented path out of the container, and the host joins what you must trust. NET_ADMIN and similar are reported as warnings: they reach further than the container without handing over the host outright. NET_ADMIN counts only on the host\'s network (`network_mode: host`, `hostNetwork: true`), as a warning: in its own network namespace it configures the container\'s interfaces alone and is not reported. Any other capability outside the set Pod Security\'s baseline profile allows (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) is information: NET_RAW (packet forging on the pod network), IPC_LOCK, SYS_NICE, SYS_RESOURCE… each widens what a compromised process can do beyond the baseline. IPC_LOCK on a Vault or OpenBao server is not reported: Vault\'s documentation asks for it, so that mlock keeps secrets out of swap. Privileged containers are TCB001; keeping the default set (NET_RAW included) instead of dropping ALL is an item of the hardening baseline, TCB011.',
    fix: 'Remove the capability. If the workload really needs one (a VPN needs NET_ADMIN), isolate it in its own small service, drop ALL and add back only that one.',
    bad: 'services:\n  fuse:\n    image: example/fuse:1.0.0\n    cap_add:\n      - SYS_ADMIN',
    good: 'services:\n  fuse:\n    image: example/fuse:1.0.0\n    cap_drop:\n      - ALL',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node || tree.boolean(service.node, 'privileged') === true) continue;
      const hostNetwork = tree.string(service.node, 'network_mode') === 'host';
      report(tree, tree.get(service.node, 'cap_add'), stringItems(tree, service.node, 'cap_add'), `Service "${service.name}"`, hostNetwork, isVaultImage(service.image?.value), context);
    }
  },
  checkKubernetes(object, context) {
    const tree = object.tree;
    const hostNetwork = tree.boolean(object.podSpec?.node, 'hostNetwork') === true;
    for (const container of runningContainers(object)) {
      const securityContext = container.securityContext;
      if (!securityContext || tree.boolean(securityContext, 'privileged') === true) continue;
      const capabilities = tree.map(securityContext, 'capabilities');
      if (!capabilities) continue;
      report(tree, tree.get(capabilities, 'add'), stringItems(object.tree, capabilities, 'add'), containerLabel(object, container), hostNetwork, isVaultImage(container.image?.value), context);
    }
  },
});

function report(tree: YamlTree, list: Node | undefined, items: readonly ListItem[], label: string, hostNetwork: boolean, vault: boolean, context: RuleContext): void {
  for (const item of items) {
    const name = item.value.trim().toUpperCase().replace(/^CAP_/, '');
    if (BASELINE_ALLOWED.has(name) || /[${}]/.test(name) || name === '') continue;
    // Vault's documentation asks for IPC_LOCK so that mlock keeps secrets out of swap (TCB042 reports its absence).
    if (vault && name === 'IPC_LOCK') continue;
    const danger = DANGEROUS.get(name);
    // In its own network namespace it configures the container's interfaces alone: no power beyond the container, no finding.
    if (danger && NETWORK_NAMESPACED.has(name) && !hostNetwork) continue;
    if (!danger) {
      context.report({
        range: item.range,
        severity: 'info',
        message: `${label} adds capability ${name}, outside the set Pod Security's baseline profile allows: a compromised process gets that power too.`,
        fixes: list ? fix(`Remove ${item.value}`, [deleteSeqItem(tree, list, item.node)], false) : [],
      });
      continue;
    }
    const [severity, power] = danger;
    context.report({
      range: item.range,
      severity,
      message: `${label} adds capability ${name} (${power}): a compromised process gets that power over the host, so the host joins its trusted base.`,
      fixes: list ? fix(`Remove ${item.value}`, [deleteSeqItem(tree, list, item.node)], false) : [],
    });
  }
}
