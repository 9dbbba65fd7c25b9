import { asksFor, defineRule, type RelatedInput, type RuleContext } from '../rule';
import type { YAMLMap } from '../../core/yaml';
import { keyRange, rangeOf, scalarText, type YamlTree } from '../../core/tree';
import type { Fix, OffsetRange, TextEdit } from '../../core/types';
import { stringItems } from '../../model/common';
import { extendsAnotherService, securityOptions, type ComposeModel, type ComposeService } from '../../model/compose';
import { knownImageUser } from '../../model/images';
import { runningContainers, type KubernetesContainer, type KubernetesObject } from '../../model/kubernetes';
import { effectiveSetting } from '../../model/podSecurity';
import { containerLabel } from '../shared/workloads';
import { joinInsertions, settingsEdits, type Setting } from '../shared/settings';

/** A compose service or a Kubernetes container: what one baseline finding is about. */
interface Subject {
  readonly tree: YamlTree;
  /** The map settings are added to (the service, or the container). */
  readonly map: YAMLMap;
  readonly label: string;
  /** Where the finding points: the service key, the container name. */
  readonly range: OffsetRange;
  readonly image?: string;
  readonly service?: ComposeService;
  readonly object?: KubernetesObject;
  readonly container?: KubernetesContainer;
}

/** What an item found on one subject. */
type Status =
  /** The setting is there (or another rule reports an explicit insecure value, or it cannot apply). */
  | { readonly state: 'set' }
  /** Missing: `detail` completes the item's clause; `range` points at a partial setting. */
  | { readonly state: 'missing'; readonly detail?: string; readonly range?: OffsetRange };

/**
 * One item of the hardening baseline: a setting every container should have and that is missing
 * more often than not. In Kubernetes the baseline also asks for a seccomp profile: without one the container runs Unconfined unless the kubelet sets `--seccomp-default` (compose runs the runtime\'s default profile unless told otherwise; `Unconfined` written anywhere is ZT005). Dropping ALL covers NET_RAW, which the runtime grants by default (packet forging and spoofing on the pod network): a `cap_drop` that lists NET_RAW but not ALL is still reported, with the rest of the defaults kept. Explicitly insecure values (`read_only: false`, `user: root`,
 * `allowPrivilegeEscalation: true`, `privileged: true`) are findings of their own rules at their
 * own severity; an item reports only the setting's absence. Adding an item is adding one of these.
 */
export interface HardeningItem {
  /** The item's id among the rule's aspects, which a standard's control may ask for alone. */
  readonly aspect: string;
  /** What is missing, as a list entry of the message: "no memory limit". */
  readonly missing: string;
  /** Why it matters, for the item's related information. */
  readonly why: string;
  /** The quick fix's title for this item alone. */
  readonly fixTitle: string;
  /** Adding it cannot change what the service does (safe for "fix all" on save). */
  readonly safe: boolean;
  /** Absent where compose runs a safe default already (the runtime's seccomp profile). */
  readonly compose?: { status(subject: Subject): Status; settings: readonly Setting[] };
  /** Absent for a setting Kubernetes has no per-container form of (a PID limit). */
  readonly kubernetes?: { status(subject: Subject): Status; settings: readonly Setting[] };
}

const SET: Status = { state: 'set' };
const MISSING: Status = { state: 'missing' };

/** Privileged containers have every capability and cannot block escalation: TCB001 says so. */
function composePrivileged({ tree, map }: Subject): boolean {
  return tree.boolean(map, 'privileged') === true;
}
function kubernetesPrivileged({ tree, container }: Subject): boolean {
  return tree.boolean(container?.securityContext, 'privileged') === true;
}
function runsOnWindows({ tree, object }: Subject): boolean {
  const spec = object?.podSpec?.node;
  return tree.string(tree.map(spec, 'nodeSelector'), 'kubernetes.io/os') === 'windows' || tree.pair(tree.map(spec, 'securityContext'), 'windowsOptions') !== undefined;
}
/**
 * A compose resource limit in any of its spellings: the service keys of the compose file format
 * (`pids_limit`, `cpus`, `cpu_quota`, `cpuset`) or `deploy.resources.limits.<deployKey>`. A value of
 * 0 or -1 is "unlimited" (compose-spec), so it counts as missing and is pointed at.
 */
function composeLimit(tree: YamlTree, map: YAMLMap, serviceKeys: readonly string[], deployKey: string, name: string): Status {
  // `cpuset: "0"` pins the container to CPU 0: a limit, whatever the number.
  if (tree.pair(map, 'cpuset') !== undefined && serviceKeys.includes('cpuset')) return SET;
  const deployed = tree.get(tree.map(tree.map(tree.map(map, 'deploy'), 'resources'), 'limits'), deployKey);
  const written = [...serviceKeys.map((key) => tree.get(map, key)), deployed].filter((node) => node !== undefined);
  if (written.length === 0) return MISSING;
  const unlimited = written.find((node) => /^(-1|0+(\.0*)?)$/.test(scalarText(node)?.trim() ?? ''));
  if (!unlimited || written.length > 1) return SET;
  return { state: 'missing', detail: `${name}: ${scalarText(unlimited)} means unlimited`, range: rangeOf(unlimited) };
}

const templated = (node: unknown) => /\$\{|\{\{/.test(scalarText(node) ?? '');

function imageUserDetail(image: string | undefined): string {
  return image === undefined ? 'the image decides, and that is usually root' : `image ${image} decides, and it is not known to drop root`;
}

export const HARDENING_ITEMS: readonly HardeningItem[] = [
  {
    aspect: 'memory',
    missing: 'no memory limit',
    why: 'a compromised or leaking container can exhaust the host\'s memory and take its neighbours down',
    fixTitle: 'Limit memory to 512M (review the size)',
    safe: false,
    compose: {
      status: ({ tree, map }) => (scalarText(tree.get(map, 'mem_limit')) !== undefined || scalarText(tree.get(tree.map(tree.map(tree.map(map, 'deploy'), 'resources'), 'limits'), 'memory')) !== undefined ? SET : MISSING),
      settings: [{ path: ['deploy', 'resources', 'limits', 'memory'], value: '512M' }],
    },
    kubernetes: {
      status: ({ tree, map }) => (scalarText(tree.get(tree.map(tree.map(map, 'resources'), 'limits'), 'memory')) !== undefined ? SET : MISSING),
      settings: [{ path: ['resources', 'limits', 'memory'], value: '512Mi' }],
    },
  },
  {
    aspect: 'pids',
    missing: 'no PID limit',
    why: 'a fork bomb or a runaway worker pool in one container can use up the host\'s process table and stop every other container from starting processes',
    fixTitle: 'Limit processes to 200 (review the number)',
    safe: false,
    compose: {
      status: ({ tree, map }) => composeLimit(tree, map, ['pids_limit'], 'pids', 'pids_limit'),
      settings: [{ path: ['deploy', 'resources', 'limits', 'pids'], value: '200' }],
    },
  },
  {
    aspect: 'cpu',
    missing: 'no CPU limit',
    why: 'a compromised or spinning container can take every CPU of the host from its neighbours',
    fixTitle: 'Limit CPU to one core (review the share)',
    safe: false,
    compose: {
      status: ({ tree, map }) => composeLimit(tree, map, ['cpus', 'cpu_quota', 'cpuset'], 'cpus', 'cpus'),
      settings: [{ path: ['deploy', 'resources', 'limits', 'cpus'], value: "'1.0'" }],
    },
  },
  {
    aspect: 'readOnlyRoot',
    missing: 'a writable root filesystem',
    why: 'the running container can drift from its image: code and configuration can be changed in place',
    fixTitle: 'Make the root filesystem read-only',
    safe: false,
    compose: {
      status: ({ tree, map }) => (tree.pair(map, 'read_only') !== undefined ? SET : MISSING),
      settings: [{ path: ['read_only'], value: 'true' }],
    },
    kubernetes: {
      status: ({ tree, container }) => (tree.pair(container?.securityContext, 'readOnlyRootFilesystem') !== undefined ? SET : MISSING),
      settings: [{ path: ['securityContext', 'readOnlyRootFilesystem'], value: 'true' }],
    },
  },
  {
    aspect: 'capabilities',
    missing: 'default capabilities kept',
    why: 'a compromised process keeps the runtime\'s default capabilities, NET_RAW included',
    fixTitle: 'Drop ALL capabilities',
    safe: false,
    compose: {
      status: (subject) => {
        if (composePrivileged(subject)) return SET;
        const { tree, map } = subject;
        const dropped = stringItems(tree, map, 'cap_drop');
        if (dropped.some((item) => item.value.trim().toUpperCase() === 'ALL' || item.value.includes('$'))) return SET;
        const pair = tree.pair(map, 'cap_drop');
        return pair ? { state: 'missing', detail: 'cap_drop lists some but not ALL', range: keyRange(pair) } : { state: 'missing', detail: 'no cap_drop: [ALL]' };
      },
      settings: [{ path: ['cap_drop'], append: 'ALL' }],
    },
    kubernetes: {
      status: (subject) => {
        if (kubernetesPrivileged(subject) || runsOnWindows(subject)) return SET;
        const { tree, container } = subject;
        const capabilities = tree.map(container?.securityContext, 'capabilities');
        const dropped = stringItems(tree, capabilities, 'drop');
        if (dropped.some((item) => item.value.trim().toUpperCase() === 'ALL' || item.value.includes('{{'))) return SET;
        const pair = capabilities ? tree.pair(capabilities, 'drop') : undefined;
        return pair ? { state: 'missing', detail: 'capabilities.drop lists some but not ALL', range: keyRange(pair) } : { state: 'missing', detail: 'no capabilities.drop: ["ALL"]' };
      },
      settings: [{ path: ['securityContext', 'capabilities', 'drop'], append: '"ALL"' }],
    },
  },
  {
    aspect: 'nonRoot',
    missing: 'no non-root user',
    why: 'root in the container is one kernel bug away from root on the host',
    fixTitle: 'Run as an unprivileged user',
    safe: false,
    compose: {
      status: ({ tree, map, image, service }) => {
        if (tree.pair(map, 'user') !== undefined) return SET;
        const build = service?.build;
        if (!build) return knownImageUser(image) ? SET : { state: 'missing', detail: `no user:; ${imageUserDetail(image)}` };
        const dockerfile = build.dockerfileUser;
        // A USER in the Dockerfile decides (root is ZT001's); without one, the stage's base image does.
        if (dockerfile?.user !== undefined) return SET;
        if (dockerfile) return knownImageUser(dockerfile.baseImage) ? SET : { state: 'missing', detail: `no user:, and ${build.dockerfilePath} sets no USER; ${imageUserDetail(dockerfile.baseImage)}` };
        return { state: 'missing', detail: `no user:, and the Dockerfile it is built from (${build.dockerfilePath}) is out of sight` };
      },
      settings: [{ path: ['user'], value: '"10001:10001"' }],
    },
    kubernetes: {
      status: (subject) => {
        const { object, container, image } = subject;
        if (!object || !container || runsOnWindows(subject) || knownImageUser(image)) return SET;
        // An explicit runAsUser (0 is ZT001's) or runAsNonRoot (false is ZT001's) decides.
        if (effectiveSetting(object, container, 'runAsUser') || effectiveSetting(object, container, 'runAsNonRoot')) return SET;
        return { state: 'missing', detail: `neither runAsNonRoot: true nor a non-zero runAsUser; ${imageUserDetail(image)}` };
      },
      settings: [{ path: ['securityContext', 'runAsNonRoot'], value: 'true' }],
    },
  },
  {
    aspect: 'privilegeEscalation',
    missing: 'privilege escalation not blocked',
    why: 'a setuid binary in the image can raise a compromised process above the privileges it started with',
    fixTitle: 'Block privilege escalation (no-new-privileges)',
    safe: true,
    compose: {
      status: (subject) => (composePrivileged(subject) || (subject.service && securityOptions(subject.tree, subject.service).some((option) => option.name === 'no-new-privileges')) ? SET : { state: 'missing', detail: 'no security_opt no-new-privileges:true' }),
      settings: [{ path: ['security_opt'], append: 'no-new-privileges:true' }],
    },
    kubernetes: {
      status: (subject) => {
        const { tree, container } = subject;
        if (kubernetesPrivileged(subject)) return SET;
        // The API rejects allowPrivilegeEscalation: false next to CAP_SYS_ADMIN; TCB002 owns that case.
        const added = stringItems(tree, tree.map(container?.securityContext, 'capabilities'), 'add').map((item) => item.value.toUpperCase().replace(/^CAP_/, ''));
        if (added.includes('SYS_ADMIN') || tree.pair(container?.securityContext, 'allowPrivilegeEscalation') !== undefined) return SET;
        return { state: 'missing', detail: 'no allowPrivilegeEscalation: false' };
      },
      settings: [{ path: ['securityContext', 'allowPrivilegeEscalation'], value: 'false' }],
    },
  },
  {
    aspect: 'seccomp',
    missing: 'no seccomp profile',
    why: 'Kubernetes runs a container Unconfined, with every system call of the node\'s kernel open, unless its pod asks for a profile or the kubelet sets --seccomp-default',
    fixTitle: 'Use the runtime\'s default seccomp profile',
    safe: false,
    kubernetes: {
      status: (subject) => {
        const { object, container } = subject;
        if (!object || !container || kubernetesPrivileged(subject) || runsOnWindows(subject)) return SET;
        // Any profile written (Unconfined is ZT005's) decides, and so does the older annotation.
        if (effectiveSetting(object, container, 'seccompProfile') || seccompAnnotation(subject)) return SET;
        return { state: 'missing', detail: 'no seccompProfile; Unconfined unless the node\'s kubelet sets --seccomp-default' };
      },
      settings: [{ path: ['securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' }],
    },
  },
];

/** The seccomp annotation of Kubernetes before 1.19, for the pod or this container. */
function seccompAnnotation({ tree, object, container }: Subject): boolean {
  const metadata = object?.podSpec?.metadata ?? (object?.kind === 'Pod' ? object.metadata : undefined);
  const annotations = metadata ? tree.get(metadata, 'annotations') : undefined;
  return tree.entries(annotations).some(([key]) => {
    const name = String(key.value);
    return name === 'seccomp.security.alpha.kubernetes.io/pod' || name === `container.seccomp.security.alpha.kubernetes.io/${container?.name ?? ''}`;
  });
}

/** The items that apply to a file kind. */
function itemsFor(kind: 'compose' | 'kubernetes'): readonly HardeningItem[] {
  return HARDENING_ITEMS.filter((item) => item[kind] !== undefined);
}

export const hardeningBaseline = defineRule({
  id: 'TCB011',
  pattern: 'TCB',
  alsoPattern: 'ZT',
  severity: 'info',
  title: 'Hardening baseline incomplete',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  aspects: HARDENING_ITEMS.map((item) => ({ id: item.aspect, title: item.missing })),
  peers: ['KICS Memory Not Limited bb9ac4f7, Pids Limit Not Set 221e0658, Cpus Not Limited 6b610c50, No New Privileges Not Set, NET_RAW Capabilities Not Being Dropped', 'kube-linter run-as-non-root, no-read-only-root-fs, unset-memory-requirements, privilege-escalation-container, drop-net-raw-capability', 'Checkov CKV_K8S_13, 20, 22, 23, 28, 37', 'Trivy KSV001, 003, 012, 014, 018', 'Polaris memoryLimitsMissing, notReadOnlyRootFilesystem, runAsRootAllowed'],
  guidance: {
    why: 'Assume breach: a memory limit (compose: also a PID and a CPU limit), a read-only root filesystem, dropped capabilities, a non-root user and blocked privilege escalation keep a compromised process inside its container, unable to change its own code, and holding no more privilege than the job needs. Each is cheap; together they are the baseline every container should start from. Compose limits count in every spelling: `mem_limit`, `pids_limit`, `cpus`, `cpu_quota`, `cpuset` (the older file format\'s keys) or `deploy.resources.limits.memory|pids|cpus`; `0` or `-1` means unlimited and counts as missing. Kubernetes has no per-container PID limit (the kubelet\'s `podPidsLimit` is node configuration), and CPU limits there are left to the scheduler\'s requests. One finding per container lists what is missing; a container that sets some lists only the rest. In Kubernetes the baseline also asks for a seccomp profile: without one the container runs Unconfined unless the kubelet sets `--seccomp-default` (compose runs the runtime\'s default profile unless told otherwise; `Unconfined` written anywhere is ZT005). Dropping ALL covers NET_RAW, which the runtime grants by default (packet forging and spoofing on the pod network): a `cap_drop` that lists NET_RAW but not ALL is still reported, with the rest of the defaults kept. Explicitly insecure values (`read_only: false`, `user: root`, `allowPrivilegeEscalation: true`, `privileged: true`) are reported by their own rules at their own severity. A user is not asked for when the image is known to drop root (the official postgres, redis, mysql, kong, grafana… images; the table names its source) or when the service is built from a Dockerfile in the workspace whose last stage sets a non-root `USER`.',
    fix: 'Compose: `deploy.resources.limits.memory`, `.pids` and `.cpus`, `read_only: true` (with `tmpfs:` for scratch paths), `cap_drop: [ALL]`, `user: "10001:10001"` and `security_opt: [no-new-privileges:true]`. Kubernetes: `resources.limits.memory` and, in the container\'s `securityContext`, `readOnlyRootFilesystem: true`, `capabilities.drop: ["ALL"]`, `runAsNonRoot: true`, `allowPrivilegeEscalation: false` and `seccompProfile: {type: RuntimeDefault}` (or once for the pod). The quick fix adds all that are missing (review the memory size); each one alone is in the light bulb too.',
    bad: 'services:\n  api:\n    image: example/api:2.3.1',
    good: 'services:\n  api:\n    image: example/api:2.3.1\n    user: "10001:10001"\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n          pids: 200\n          cpus: \'1.0\'',
  },
  checkCompose(model, context) {
    for (const subject of composeSubjects(model)) check(subject, 'compose', context);
  },
  checkKubernetes(object, context) {
    for (const container of runningContainers(object)) {
      check({ tree: object.tree, map: container.node, label: containerLabel(object, container), range: container.subjectRange, image: container.image?.value, object, container }, 'kubernetes', context);
    }
  },
});

const RELATED_MESSAGES = new Map<HardeningItem, string>();

/** "no memory limit: a compromised or leaking container…", built once per item (thousands of services share it). */
function relatedMessage(item: HardeningItem): string {
  let message = RELATED_MESSAGES.get(item);
  if (message === undefined) RELATED_MESSAGES.set(item, (message = `${item.missing}: ${item.why}`));
  return message;
}

function composeSubjects(model: ComposeModel): Subject[] {
  const tree = model.tree;
  // `extends:` pulls settings from a definition we may not see: a missing setting is no evidence.
  return model.services.flatMap((service) => (service.node && !extendsAnotherService(tree, service) ? [{ tree, map: service.node, label: `Service "${service.name}"`, range: service.keyRange, image: service.image?.value, service }] : []));
}

function check(subject: Subject, kind: 'compose' | 'kubernetes', context: RuleContext): void {
  const items = itemsFor(kind).filter((item) => asksFor(context, item.aspect));
  const missing = items.flatMap((item) => {
    const status = item[kind]!.status(subject);
    return status.state === 'missing' ? [{ item, status }] : [];
  });
  if (missing.length === 0) return;
  const describe = ({ item, status }: (typeof missing)[number]) => (status.state === 'missing' && status.detail ? `${item.missing} (${status.detail})` : item.missing);
  const related: RelatedInput[] = missing.map(({ item, status }) => ({ message: relatedMessage(item), range: (status.state === 'missing' && status.range) || subject.range }));
  const single = missing.map(({ item }) => settingsEdits(subject.tree, subject.map, item[kind]!.settings));
  const fixes: Fix[] = [];
  if (missing.length > 1) {
    // Items under distinct top-level keys never collide: their edits together are the whole fix.
    const firstKeys = missing.flatMap(({ item }) => item[kind]!.settings.map((setting) => setting.path[0]));
    // …unless two insertions land at one offset (the end of a nested map is the end of its parent): then they are written as one.
    const starts = single.flat().map((edit) => edit?.start);
    const apart = new Set(firstKeys).size === firstKeys.length && single.every((edits) => edits !== undefined) && new Set(starts).size === starts.length;
    const all = apart ? joinInsertions(single.flat() as TextEdit[]) : settingsEdits(subject.tree, subject.map, missing.flatMap(({ item }) => item[kind]!.settings));
    if (all) fixes.push({ title: `Add the ${missing.length} missing hardening settings (review the memory size)`, edits: all, safe: missing.every(({ item }) => item.safe) });
  }
  missing.forEach(({ item }, index) => {
    const edits = single[index];
    if (edits) fixes.push({ title: item.fixTitle, edits, safe: item.safe, ...(missing.length > 1 ? { partial: true } : {}) });
  });
  const asked = context.aspects;
  context.report({
    range: subject.range,
    message: asked
      ? `${subject.label} misses ${missing.length === 1 ? 'a setting' : `${missing.length} settings`} its profile asks for: ${missing.map((entry) => `${describe(entry)}, asked by ${asked[entry.item.aspect].join(' and ')}`).join('; ')}.`
      : `${subject.label} misses ${missing.length === items.length ? 'the whole' : `${missing.length} of ${items.length} settings of the`} hardening baseline: ${missing.map(describe).join('; ')}.`,
    related,
    fixes,
  });
}
