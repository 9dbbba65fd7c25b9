import { isMap, isScalar, isSeq, type Scalar, type YAMLMap, type YAMLSeq } from '../core/yaml';
import { rangeOf, scalarText, valueTextRange } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { runningContainers, type KubernetesContainer, type KubernetesObject } from './kubernetes';

/**
 * Control-plane components as kubeadm writes them under /etc/kubernetes/manifests (a Pod in
 * kube-system whose container command is `kube-apiserver --flag=value …`), and the kubelet's
 * `KubeletConfiguration` file. Flags are read as the components' flag parser (spf13/pflag) reads
 * them: `--flag=value`, `--flag value`, a bare boolean `--flag`; the last occurrence of a
 * scalar flag wins; list flags take comma-separated values.
 */
export type ControlPlaneComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

export interface CommandFlag {
  /** Without the dashes: `anonymous-auth`. */
  readonly name: string;
  /** The value as written (`true` for a bare boolean flag); undefined when an interpolation decides it. */
  readonly value: string | undefined;
  /** The list item holding the flag (`--anonymous-auth=true`): where a finding about it points. */
  readonly item: Scalar;
  readonly range: OffsetRange;
  /** The separate value item of `--flag value`, when the value is written that way. */
  readonly valueItem?: Scalar;
}

export interface ControlPlaneInvocation {
  readonly component: ControlPlaneComponent;
  readonly object: KubernetesObject;
  readonly container: KubernetesContainer;
  readonly flags: readonly CommandFlag[];
  /** The `command` or `args` list a missing flag is appended to. */
  readonly list: YAMLSeq;
  /** The binary's item in `command`: where findings about a missing flag point. */
  readonly subjectRange: OffsetRange;
  /**
   * The manifest is a control-plane manifest as kubeadm writes it (namespace kube-system) and no
   * interpolation can add flags out of sight: a missing flag then means its documented default.
   */
  readonly absenceProven: boolean;
  /** `major.minor` from the image tag (`registry.k8s.io/kube-apiserver:v1.25.3` → 1.25), when written. */
  readonly version?: { readonly major: number; readonly minor: number };
  readonly label: string;
}

const COMPONENTS: ReadonlyMap<string, ControlPlaneComponent> = new Map([
  ['kube-apiserver', 'kube-apiserver'],
  ['kube-controller-manager', 'kube-controller-manager'],
  ['kube-scheduler', 'kube-scheduler'],
  ['etcd', 'etcd'],
]);
/** hyperkube's sub-commands (`/hyperkube apiserver`), as older self-hosted manifests run them. */
const HYPERKUBE: ReadonlyMap<string, ControlPlaneComponent> = new Map([
  ['apiserver', 'kube-apiserver'],
  ['kube-apiserver', 'kube-apiserver'],
  ['controller-manager', 'kube-controller-manager'],
  ['kube-controller-manager', 'kube-controller-manager'],
  ['scheduler', 'kube-scheduler'],
  ['kube-scheduler', 'kube-scheduler'],
]);

const INTERPOLATION = /\$\{|\{\{|\$\(|%\{/;

/** Every control-plane component a workload's containers run, with their flags. */
export function controlPlaneInvocations(object: KubernetesObject): ControlPlaneInvocation[] {
  if (!object.podSpec) return [];
  const tree = object.tree;
  const invocations: ControlPlaneInvocation[] = [];
  for (const container of runningContainers(object)) {
    const command = tree.seq(container.node, 'command');
    const commandItems = command ? tree.items(command) : [];
    const first = scalarText(commandItems[0]);
    if (!first || !isScalar(commandItems[0])) continue;
    const base = first.trim().split('/').pop() ?? '';
    let component = COMPONENTS.get(base);
    let skip = 1;
    if (!component && base === 'hyperkube') {
      component = HYPERKUBE.get(scalarText(commandItems[1])?.trim() ?? '');
      skip = 2;
    }
    if (!component || !command) continue;
    const args = tree.seq(container.node, 'args');
    const items = [...commandItems.slice(skip), ...(args ? tree.items(args) : [])];
    const { flags, opaque } = parseFlags(tree.text, items);
    const subjectRange = valueTextRange(tree.text, commandItems[0]) ?? container.subjectRange;
    invocations.push({
      component,
      object,
      container,
      flags,
      list: args && tree.items(args).length > 0 ? args : command,
      subjectRange,
      absenceProven: object.namespace === 'kube-system' && !opaque,
      version: imageVersion(container.image?.value),
      label: `${component} in ${object.kind} "${object.name ?? '?'}"`,
    });
  }
  return invocations;
}

/**
 * Flags of a command line's items. `opaque` when an item is not a flag of its own and an
 * interpolation in it could expand to more flags (`--x=a${extra_flags}`, `$(EXTRA_ARGS)`): what is
 * missing is then not proven missing.
 */
function parseFlags(text: string, items: readonly unknown[]): { flags: CommandFlag[]; opaque: boolean } {
  const flags: CommandFlag[] = [];
  let opaque = false;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const raw = scalarText(item);
    if (raw === undefined || !isScalar(item)) {
      opaque = true;
      continue;
    }
    const written = raw.trim();
    const range = valueTextRange(text, item) ?? rangeOf(item) ?? { start: 0, end: 0 };
    const match = /^--?([A-Za-z0-9][A-Za-z0-9-]*)(?:=([\s\S]*))?$/.exec(written);
    if (!match) {
      if (INTERPOLATION.test(written) || /\s--?[a-z]/.test(written)) opaque = true;
      continue;
    }
    const name = match[1];
    let value = match[2];
    let valueItem: Scalar | undefined;
    if (value === undefined) {
      const next = items[index + 1];
      const nextText = scalarText(next)?.trim();
      if (nextText !== undefined && isScalar(next) && !nextText.startsWith('-')) {
        value = nextText;
        valueItem = next;
        index++;
      } else value = 'true';
    }
    // A value that is an interpolation is decided out of sight; one with a trailing one may add flags.
    if (INTERPOLATION.test(value)) {
      if (!/^(\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\))$/.test(value.trim())) opaque = true;
      flags.push({ name, value: undefined, item, range, valueItem });
      continue;
    }
    flags.push({ name, value: value.trim(), item, range, valueItem });
  }
  return { flags, opaque };
}

function imageVersion(image: string | undefined): { major: number; minor: number } | undefined {
  const match = image ? /:v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+@][^/]*)?$/.exec(image) : null;
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** Whether the version is known and below `major.minor`. */
export function versionBelow(invocation: ControlPlaneInvocation, major: number, minor: number): boolean {
  const version = invocation.version;
  return version !== undefined && (version.major < major || (version.major === major && version.minor < minor));
}

/** The occurrence of a flag that takes effect: the last one, as pflag sets scalar flags. */
export function effectiveFlag(invocation: ControlPlaneInvocation, ...names: string[]): CommandFlag | undefined {
  let found: CommandFlag | undefined;
  for (const flag of invocation.flags) if (names.includes(flag.name)) found = flag;
  return found;
}

/** Every occurrence of a list flag (pflag appends repeated string-slice flags), with its comma-separated values. */
export function listFlag(invocation: ControlPlaneInvocation, ...names: string[]): Array<{ readonly flag: CommandFlag; readonly values: readonly string[] }> {
  return invocation.flags
    .filter((flag) => names.includes(flag.name))
    .map((flag) => ({ flag, values: (flag.value ?? '').split(',').map((value) => value.trim()).filter((value) => value !== '') }));
}

/** `true`/`false` of a boolean flag as pflag parses it (strconv.ParseBool); undefined for anything else. */
export function flagBoolean(flag: CommandFlag | undefined): boolean | undefined {
  const value = flag?.value?.toLowerCase();
  if (value === undefined) return undefined;
  if (['1', 't', 'true'].includes(value)) return true;
  if (['0', 'f', 'false'].includes(value)) return false;
  return undefined;
}

/** A `KubeletConfiguration` (kubelet.config.k8s.io): the kubelet's config file. */
export interface KubeletConfiguration {
  readonly object: KubernetesObject;
  readonly root: YAMLMap;
}

export function kubeletConfiguration(object: KubernetesObject): KubeletConfiguration | undefined {
  if (object.kind !== 'KubeletConfiguration' || !object.apiVersion.startsWith('kubelet.config.k8s.io/')) return undefined;
  return isMap(object.root) ? { object, root: object.root } : undefined;
}

/** The scalar at a path of a KubeletConfiguration (`authentication.anonymous.enabled`). */
export function kubeletSetting(config: KubeletConfiguration, path: readonly string[]): Scalar | undefined {
  const tree = config.object.tree;
  let map: unknown = config.root;
  for (const key of path.slice(0, -1)) {
    map = tree.map(map, key);
    if (!map) return undefined;
  }
  return tree.scalar(map, path[path.length - 1]);
}

/** A list setting of a KubeletConfiguration (`tlsCipherSuites`) as its scalar items. */
export function kubeletList(config: KubeletConfiguration, key: string): Scalar[] {
  const tree = config.object.tree;
  const seq = tree.get(config.root, key);
  return isSeq(seq) ? tree.items(seq).filter((item): item is Scalar => isScalar(item)) : [];
}

/**
 * A control-plane static pod as kubeadm writes it: a Pod in kube-system that runs a control-plane
 * component. The kubelet reads it from disk, and a static pod cannot use a ServiceAccount, a
 * Secret or a ConfigMap (Kubernetes docs, "Create static Pods").
 */
export function isControlPlaneStaticPod(object: KubernetesObject): boolean {
  return object.kind === 'Pod' && object.namespace === 'kube-system' && controlPlaneInvocations(object).length > 0;
}
