import { defineRule, type ReportInput } from '../rule';
import { oncePerRange } from '../shared/workloads';
import { fix } from '../../core/edits';
import { configOrCodeMount, mountedBy, runtimeSocketOf, sensitiveHostPath } from '../shared/hostMounts';
import { composeHostMounts, kubernetesHostMounts, type HostMount } from '../../model/hostMounts';

export const writableConfigMount = defineRule({
  id: 'IMM004',
  pattern: 'IMM',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Configuration or code bind-mounted writable from the host',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['kube-linter writable-host-mount', 'Trivy KSV023'],
  guidance: {
    why: 'A writable bind mount of configuration or code makes the host directory and the container edit each other at runtime: a compromised process rewrites the code or configuration it will run next, and what runs is no longer what version control holds. Mounts of data a service writes by design (databases, uploads, caches, logs) are left alone; runtime sockets and system directories are TCB007 and TCB008.',
    fix: 'Mount configuration and code read-only (`./nginx.conf:/etc/nginx/nginx.conf:ro`, `readOnly: true` on the volumeMount), or better bake them into the image and ship changes as a new version.',
    bad: 'services:\n  proxy:\n    image: nginx:1.27.2\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf',
    good: 'services:\n  proxy:\n    image: nginx:1.27.2\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro',
  },
  checkCompose(model, context) {
    context = oncePerRange(context);
    for (const mount of composeHostMounts(model)) {
      const finding = problem(mount);
      if (finding) context.report(finding);
    }
  },
  checkKubernetes(object, context) {
    context = oncePerRange(context);
    for (const mount of kubernetesHostMounts(object)) {
      const finding = problem(mount);
      if (finding) context.report(finding);
    }
  },
});

function problem(mount: HostMount): ReportInput | undefined {
  if (mount.readOnly || runtimeSocketOf(mount) || sensitiveHostPath(mount) || !configOrCodeMount(mount)) return undefined;
  const target = mount.containerPaths.length > 0 ? ` at ${mount.containerPaths.join(', ')}` : '';
  return {
    range: mount.range,
    message: `${mount.label} mounts configuration or code from host path ${mount.hostPath}${target}${mountedBy(mount)} writable: the container can rewrite what it runs, and the host copy drifts from version control.`,
    fixes: mount.readOnlyEdits ? fix('Mount it read-only', mount.readOnlyEdits, false) : [],
  };
}
