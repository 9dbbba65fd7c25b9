import { hostNamespaceRule } from '../shared/hostNamespaces';

export const hostIpc = hostNamespaceRule({
  id: 'TCB006',
  severity: 'warning',
  title: 'Container shares the host IPC namespace',
  composeKey: 'ipc',
  podKey: 'hostIPC',
  consequence: "reads and writes the shared memory and message queues of every process on the host",
  peers: ['KICS baa3890f Shared Host IPC Namespace', 'kube-linter host-ipc', 'Checkov CKV_K8S_18', 'Trivy KSV008', 'Polaris hostIPCSet'],
  guidance: {
    why: 'The host\'s IPC namespace holds the shared memory segments and message queues of every process on the machine; a container that joins it can read and tamper with them, crossing the boundary that should separate it from the host and other workloads.',
    fix: 'Remove `ipc: host` / `hostIPC: true`; containers that must share memory can share it with each other (`ipc: service:<name>` or a pod\'s own IPC namespace).',
    bad: 'services:\n  worker:\n    image: example/worker:1.0.0\n    ipc: host',
    good: 'services:\n  worker:\n    image: example/worker:1.0.0\n    ipc: private',
  },
});
