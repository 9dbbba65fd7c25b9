import { defineRule, type RuleContext } from '../rule';
import { checkEveryHostMount, mountedBy, runtimeSocketOf } from '../shared/hostMounts';
import type { HostMount } from '../../model/hostMounts';

export const runtimeSocketMount = defineRule({
  id: 'TCB007',
  pattern: 'TCB',
  alsoPattern: 'BND',
  severity: 'error',
  title: 'Container runtime socket mounted',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: ['KICS d6355c88 Docker Socket Mounted In Container', 'kube-linter docker-sock', 'Checkov CKV_K8S_27', 'Trivy KSV006', 'kubesec DockerSock', 'Threagile container-platform-escape'],
  guidance: {
    why: 'Whoever talks to docker.sock, containerd.sock or crio.sock can start a privileged container with the host\'s root filesystem mounted: the socket is root on the host, read-only mount or not. A service that mounts it makes its whole code base (and every dependency) part of the host\'s trusted computing base.',
    fix: 'Remove the socket mount. If a tool really needs the runtime API (CI runners, reverse proxies reading labels), put a filtering proxy in front of it (e.g. a docker-socket-proxy allowing only the read calls needed) or use the orchestrator\'s API with narrow RBAC.',
    bad: 'services:\n  proxy:\n    image: traefik:3.1.6\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro',
    good: 'services:\n  proxy:\n    image: traefik:3.1.6\n    volumes:\n      - ./traefik.yml:/etc/traefik/traefik.yml:ro',
  },
  ...checkEveryHostMount(report),
});

function report(mount: HostMount, context: RuleContext): void {
  const runtime = runtimeSocketOf(mount);
  if (!runtime) return;
  const what = runtime === 'container runtime' ? `${mount.hostPath}, the directory holding the container runtime's socket` : `the ${runtime} socket (${mount.hostPath})`;
  context.report({
    range: mount.range,
    message: `${mount.label} mounts ${what}${mountedBy(mount)}: anyone who controls it can start a privileged container on the host${mount.readOnly ? ', read-only mount or not' : ''}.`,
    // Whatever used the socket stops working, so this is offered, never applied in bulk.
    fixes: mount.removalEdits ? [{ title: `Remove the ${runtime === 'container runtime' ? 'runtime directory' : `${runtime} socket`} mount`, edits: mount.removalEdits, safe: false }] : undefined,
  });
}
