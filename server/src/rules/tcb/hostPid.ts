import { hostNamespaceRule } from '../shared/hostNamespaces';

export const hostPid = hostNamespaceRule({
  id: 'TCB005',
  severity: 'error',
  title: 'Container shares the host PID namespace',
  composeKey: 'pid',
  podKey: 'hostPID',
  consequence: "sees every process on the host, reads their environment and, as root, signals or traces them",
  peers: ['KICS 4f31dd9f Host Namespace is Shared', 'kube-linter host-pid', 'Checkov CKV_K8S_17', 'Trivy KSV010', 'Polaris hostPIDSet'],
  guidance: {
    why: 'Sharing the host\'s PID namespace shows the container every process on the machine, with their command lines and (as root) their environment and memory: secrets of every other workload leak, and `nsenter -t 1` is one command from a host shell.',
    fix: 'Remove `pid: host` / `hostPID: true`. Debugging and monitoring tools that need it should run on demand, not as part of the deployment.',
    bad: 'services:\n  monitor:\n    image: example/monitor:1.0.0\n    pid: host',
    good: 'services:\n  monitor:\n    image: example/monitor:1.0.0',
  },
});
