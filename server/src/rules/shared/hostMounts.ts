import type { Rule, RuleContext } from '../rule';
import { checkEvery } from './workloads';
import { composeHostMounts, isUnder, kubernetesHostMounts, normalizeAbsolute, type HostMount } from '../../model/hostMounts';
import { isInterpolated } from '../../model/interpolation';

/** "container "a", "b"" for messages; empty for compose. */
export function mountedBy(mount: HostMount): string {
  if (mount.containers.length === 0) return '';
  return ` (mounted by container${mount.containers.length > 1 ? 's' : ''} ${mount.containers.map((name) => `"${name}"`).join(', ')})`;
}

/** Container runtime API sockets: whoever can connect starts privileged containers on the host. */
const RUNTIME_SOCKET = /(?:^|\/)(docker|containerd|crio|cri-dockerd|dockershim|podman|buildkitd|k3s\/containerd\/containerd)\.sock$/;
/** Directories that hold a runtime socket: mounting the directory mounts the socket. */
const RUNTIME_SOCKET_DIRS = ['/var/run', '/run', '/var/run/docker', '/run/docker', '/run/containerd', '/var/run/containerd', '/var/run/crio', '/run/crio', '/run/podman', '/var/run/podman', '/run/k3s/containerd'];

/** The runtime whose API socket `mount` exposes, else undefined. */
export function runtimeSocketOf(mount: HostMount): string | undefined {
  const path = mount.absolutePath ?? homeRelative(mount.hostPath);
  // A host path chosen by a variable (`${DOCKER_SOCK}:/var/run/docker.sock`): where it lands in the container is proof enough.
  const paths = path !== undefined ? [path] : isInterpolated(mount.hostPath) ? mount.containerPaths.map((target) => normalizeAbsolute(target) ?? target) : [];
  for (const candidate of paths) {
    const socket = RUNTIME_SOCKET.exec(candidate);
    if (socket) return socket[1].replace(/^k3s\/containerd\//, '');
  }
  if (mount.absolutePath && RUNTIME_SOCKET_DIRS.includes(mount.absolutePath)) return 'container runtime';
  return undefined;
}

/** Host paths whose whole tree is sensitive: reading gives away the node, writing takes it over. */
const SENSITIVE_TREES: ReadonlyArray<[string, string]> = [
  ['/proc', "the host's processes and kernel settings"],
  ['/sys', "the host's kernel and devices"],
  ['/boot', "the host's kernel and boot loader"],
  ['/root', "the host root user's home (keys, shell history)"],
  ['/etc/kubernetes', 'the node\'s cluster credentials and static pod manifests'],
  ['/usr/libexec/kubernetes', 'the kubelet\'s volume plugins, which it runs as root'],
  ['/opt/cni/bin', 'the CNI plugin binaries the container runtime runs as root'],
  ['/etc/cni/net.d', 'the node\'s CNI configuration (which plugins run as root, and their credentials)'],
  ['/var/log', 'the host\'s logs (a symlink written there lets the kubelet serve any host file)'],
  ['/etc/ssh', "the host's SSH keys and configuration"],
  ['/etc/shadow', "the host's password hashes"],
  ['/etc/passwd', "the host's user database"],
  ['/etc/sudoers', "the host's sudo rules"],
  ['/etc/sudoers.d', "the host's sudo rules"],
  ['/etc/docker', "the Docker daemon's configuration and TLS keys"],
  ['/etc/containerd', "the container runtime's configuration"],
  ['/var/lib/kubelet', "the kubelet's state, including every pod's secrets"],
  ['/var/lib/docker', "every container's filesystem and state"],
  ['/var/lib/containerd', "every container's filesystem and state"],
  ['/var/lib/etcd', "the cluster's database, including every Secret"],
  ['/var/lib/rancher', "the node's cluster state and credentials"],
  ['/lib/modules', "the host's kernel modules"],
  ['/dev/mem', "the host's physical memory"],
  ['/dev/kmem', "the host's kernel memory"],
  ['/dev/port', "the host's I/O ports"],
];
/** Host directories that are sensitive as a whole (their subdirectories are often fine). */
const SENSITIVE_DIRS: ReadonlyArray<[string, string]> = [
  ['/', "the host's entire filesystem"],
  ['/etc', "the host's configuration, users and credentials"],
  ['/dev', "all of the host's devices"],
  ['/home', "every user's home directory on the host"],
  ['/var', "the host's variable state (runtime data, logs, sockets)"],
  ['/usr', "the host's programs and libraries"],
  ['/lib', "the host's libraries"],
  ['/lib64', "the host's libraries"],
  ['/bin', "the host's programs"],
  ['/sbin', "the host's system programs"],
  ['/usr/bin', "the host's programs"],
  ['/usr/sbin', "the host's system programs"],
  ['/usr/lib', "the host's libraries"],
];
/** Block devices of the host's disks: raw access reads and writes every file on them. */
const RAW_DISK = /^\/dev\/(?:sd[a-z]+\d*|hd[a-z]+\d*|vd[a-z]+\d*|xvd[a-z]+\d*|nvme\d+(?:n\d+(?:p\d+)?)?|dm-\d+|mapper(?:\/.*)?|disk(?:\/.*)?|loop\d+|md\d+)$/;
/** Credentials in a user's home directory. */
const HOME_CREDENTIALS = /^(?:~|\$HOME|\$\{HOME\}|\/home\/[^/]+|\/Users\/[^/]+)\/(\.ssh|\.aws|\.kube|\.docker|\.gnupg|\.config\/gcloud|\.azure)(?:\/|$)/;
/** Read-only log directories that log shippers read by design. */
const LOG_DIRS = ['/var/lib/docker/containers', '/var/log'];
/**
 * A CSI or device plugin's own socket directory under the kubelet's (`plugins/<driver>`,
 * `plugins_registry`): registration sockets, not the kubelet's state or any pod's secrets.
 */
const KUBELET_PLUGIN_SOCKETS = /^\/var\/lib\/kubelet\/(?:plugins\/[^/]+|plugins_registry)(?:\/|$)/;

/** What a sensitive host path gives away, else undefined. */
export function sensitiveHostPath(mount: HostMount): string | undefined {
  const home = HOME_CREDENTIALS.exec(mount.hostPath.trim());
  if (home) return `the host user's ${home[1]} credentials`;
  const path = mount.absolutePath;
  if (path === undefined || runtimeSocketOf(mount)) return undefined;
  if (mount.readOnly && LOG_DIRS.some((dir) => isUnder(path, dir))) return undefined;
  if (KUBELET_PLUGIN_SOCKETS.test(path)) return undefined;
  if (RAW_DISK.test(path)) return "a raw disk of the host (every file on it, around all permissions)";
  for (const [dir, what] of SENSITIVE_DIRS) if (path === dir) return what;
  for (const [root, what] of SENSITIVE_TREES) if (isUnder(path, root)) return what;
  return undefined;
}

function homeRelative(path: string): string | undefined {
  const match = /^(?:~|\$HOME|\$\{HOME\})(\/.*)$/.exec(path.trim());
  return match ? match[1] : undefined;
}

/** Path segments of data a service writes by design: databases, uploads, caches, logs, certificates it renews. */
const DATA_SEGMENT = /^(?:data|\.?data\d*|db|dbdata|database|databases|storage|uploads?|media|logs?|cache|\.cache|tmp|temp|backups?|downloads?|files|state|volumes?|mnt|persist(?:ent)?|letsencrypt|certbot|acme\.json|node_modules|vendor|target|build|dist|out|output|reports?|results?|artifacts|workspace|sessions?|queue|spool|mysql|postgres(?:ql)?|pgdata|mongo(?:db)?|redis|elasticsearch|esdata|prometheus-data|grafana-data|minio|registry|repos(?:itories)?|git|gitea|gogs|jenkins_home)$/i;
/** Container directories that hold state by convention. */
const DATA_ROOTS = ['/var/lib', '/var/log', '/var/cache', '/var/spool', '/var/run', '/run', '/tmp', '/data', '/home', '/bitnami', '/var/opt'];
/** Files of configuration or code, by name. */
const CONFIG_FILE = /(?:\.(?:conf|cnf|cfg|ini|ya?ml|json|toml|xml|properties|env|config|rules|lua|sh|bash|py|js|mjs|cjs|ts|php|rb|pl|sql|tmpl|tpl|j2|hcl|alloy|template)|^(?:Caddyfile|Dockerfile|Makefile|\.env(?:\..+)?|\.htaccess))$/i;
/** Directories that hold configuration or code a service reads and never writes. */
const CONFIG_DIR = /^(?:conf\.d|config\.d|users\.d|provisioning|dashboards|rules|templates|sites-(?:enabled|available)|docker-entrypoint-initdb\.d|initdb\.d|entrypoint\.d|pipelines?|plugins|themes|dags|src|source|app|code|scripts|html|htdocs|www)$/i;
/** Where images conventionally keep their application code. */
const CODE_ROOTS = ['/app', '/code', '/src', '/usr/src/app', '/usr/app', '/var/www', '/var/www/html', '/usr/share/nginx/html', '/srv/app', '/opt/app', '/home/node/app'];

/**
 * Whether a bind mount carries configuration or code (and not data the service writes): a config
 * or code file, or a project directory (`./src`, `.`) mounted where code or configuration lives.
 * Directories an image keeps its own state in (`/config` of linuxserver images, data dirs) are left alone.
 */
export function configOrCodeMount(mount: HostMount): boolean {
  const paths = [mount.hostPath, ...mount.containerPaths];
  const segmentsOf = (path: string) => path.split('/').filter((segment) => segment !== '' && segment !== '.' && segment !== '..' && segment !== '~' && !segment.startsWith('$'));
  if (paths.flatMap(segmentsOf).some((segment) => DATA_SEGMENT.test(segment))) return false;
  const targets = mount.containerPaths.map((path) => normalizeAbsolute(path) ?? path);
  if (targets.some((path) => DATA_ROOTS.some((root) => isUnder(path, root)))) return false;
  const lastSegment = (path: string) => segmentsOf(path).pop() ?? '';
  if (paths.some((path) => CONFIG_FILE.test(lastSegment(path)))) return true;
  // Directories count only from the project (a relative or variable source), not from the host's own tree.
  const source = mount.hostPath.trim();
  if (!/^(?:\.|\$)/.test(source)) return false;
  if (/^\.\/?$/.test(source)) return true;
  return targets.some((path) => CODE_ROOTS.includes(path) || (isUnder(path, '/etc') && path !== '/etc')) || paths.some((path) => CONFIG_DIR.test(lastSegment(path)));
}

/** `checkEvery` over host mounts: compose bind mounts and Kubernetes hostPath volumes. */
export function checkEveryHostMount(check: (mount: HostMount, context: RuleContext) => void): Pick<Rule, 'checkCompose' | 'checkKubernetes'> {
  return checkEvery(composeHostMounts, kubernetesHostMounts, check);
}
