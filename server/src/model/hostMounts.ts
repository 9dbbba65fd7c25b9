import { isMap, isScalar, type YAMLMap } from '../core/yaml';
import { scalarText, valueTextRange, type YamlTree } from '../core/tree';
import { deleteSeqItem, setMapValue } from '../core/edits';
import type { OffsetRange, TextEdit } from '../core/types';
import type { ComposeModel, ComposeVolume } from './compose';
import { declaredContainers, type KubernetesObject } from './kubernetes';
import { valueWhenUnset } from './interpolation';

/** A directory or file of the host made visible inside a container. */
export interface HostMount {
  /** `Service "api"` or `DaemonSet "agent"`: the start of a finding's sentence. */
  readonly label: string;
  /** The host path as written (compose may use `./`, `~` or `${VAR}`). */
  readonly hostPath: string;
  /**
   * Absolute host path with `//` and trailing `/` removed, read with the defaults of its variables
   * (`${DOCKER_SOCK:-/var/run/docker.sock}`); undefined for relative sources and variables without one.
   */
  readonly absolutePath?: string;
  /** `device` for a compose `devices:` entry or a Kubernetes hostPath of type CharDevice/BlockDevice. */
  readonly via: 'mount' | 'device';
  /** Paths inside the container, one per mount. */
  readonly containerPaths: readonly string[];
  /** Names of the containers that mount it (Kubernetes). */
  readonly containers: readonly string[];
  /** True only when every mount of it is read-only. */
  readonly readOnly: boolean;
  /** The host path text: where findings point. */
  readonly range: OffsetRange;
  /** Edits that make every writable mount read-only; undefined when that cannot be written safely. */
  readonly readOnlyEdits: TextEdit[] | undefined;
  /** Edits that remove the mount altogether (compose only; Kubernetes splits it over volumes and volumeMounts). */
  readonly removalEdits?: TextEdit[];
}

export function composeHostMounts(model: ComposeModel): HostMount[] {
  const tree = model.tree;
  const mounts: HostMount[] = [];
  for (const service of model.services) {
    for (const volume of service.volumes) {
      if (volume.type !== 'bind' || volume.source === undefined) continue;
      const range = composeSourceRange(tree, volume);
      if (!range) continue;
      mounts.push({
        label: `Service "${service.name}"`,
        hostPath: volume.source,
        absolutePath: normalizeAbsolute(valueWhenUnset(volume.source) ?? ''),
        via: 'mount',
        containerPaths: volume.target === undefined ? [] : [volume.target],
        containers: [],
        readOnly: volume.readOnly,
        range,
        readOnlyEdits: volume.readOnly ? [] : composeReadOnlyEdit(tree, volume),
        removalEdits: removalOf(tree, service.node, volume),
      });
    }
    for (const device of service.devices) {
      const range = valueTextRange(tree.text, device.node);
      if (!range) continue;
      const source = tree.text.startsWith(device.source, range.start) ? { start: range.start, end: range.start + device.source.length } : range;
      mounts.push({
        label: `Service "${service.name}"`,
        hostPath: device.source,
        absolutePath: normalizeAbsolute(valueWhenUnset(device.source) ?? ''),
        via: 'device',
        containerPaths: device.target === undefined ? [] : [device.target],
        containers: [],
        readOnly: !device.permissions.includes('w'),
        range: source,
        readOnlyEdits: undefined,
      });
    }
  }
  return mounts;
}

function removalOf(tree: YamlTree, service: YAMLMap | undefined, volume: ComposeVolume): TextEdit[] | undefined {
  const list = service ? tree.get(service, 'volumes') : undefined;
  const edit = list ? deleteSeqItem(tree, list, volume.node) : undefined;
  return edit ? [edit] : undefined;
}

function composeSourceRange(tree: YamlTree, volume: ComposeVolume): OffsetRange | undefined {
  if (volume.form === 'long') {
    const source = tree.get(volume.node, 'source');
    return valueTextRange(tree.text, source);
  }
  const inner = valueTextRange(tree.text, volume.node);
  if (!inner || volume.source === undefined) return inner;
  return tree.text.startsWith(volume.source, inner.start) ? { start: inner.start, end: inner.start + volume.source.length } : inner;
}

/** `src:dst` → `src:dst:ro`, `src:dst:rw` → `src:dst:ro`, `src:dst:z` → `src:dst:ro,z`; long form `read_only: true`. */
function composeReadOnlyEdit(tree: YamlTree, volume: ComposeVolume): TextEdit[] | undefined {
  if (volume.form === 'long') {
    const edit = isMap(volume.node) ? setMapValue(tree, volume.node, 'read_only', 'true') : undefined;
    return edit ? [edit] : undefined;
  }
  const inner = valueTextRange(tree.text, volume.node);
  const value = scalarText(volume.node);
  if (!inner || value === undefined || tree.text.slice(inner.start, inner.end) !== value) return undefined;
  const parts = value.split(':');
  if (parts.length === 2) return [{ start: inner.end, end: inner.end, newText: ':ro' }];
  if (parts.length !== 3) return undefined;
  const options = parts[2].split(',').filter((option) => option !== '' && option !== 'rw');
  const modeStart = inner.start + parts[0].length + parts[1].length + 2;
  return [{ start: modeStart, end: inner.end, newText: ['ro', ...options].join(',') }];
}

export function kubernetesHostMounts(object: KubernetesObject): HostMount[] {
  const spec = object.podSpec;
  if (!spec) return [];
  const tree = object.tree;
  const mounts: HostMount[] = [];
  for (const volume of tree.items(tree.get(spec.node, 'volumes'))) {
    const hostPath = tree.map(volume, 'hostPath');
    const volumeName = tree.string(volume, 'name');
    const pathNode = hostPath ? tree.get(hostPath, 'path') : undefined;
    const path = scalarText(pathNode);
    const range = valueTextRange(tree.text, pathNode);
    if (!hostPath || volumeName === undefined || path === undefined || !range || !isScalar(pathNode)) continue;
    const uses: Array<{ container: string; mountPath?: string; mount: YAMLMap; readOnly: boolean }> = [];
    for (const container of declaredContainers(object)) {
      for (const mount of tree.items(tree.get(container.node, 'volumeMounts'))) {
        if (!isMap(mount) || tree.string(mount, 'name') !== volumeName) continue;
        uses.push({ container: container.name ?? '?', mountPath: tree.string(mount, 'mountPath'), mount, readOnly: tree.boolean(mount, 'readOnly') === true });
      }
    }
    // A volume no container mounts exposes nothing.
    if (uses.length === 0) continue;
    const writable = uses.filter((use) => !use.readOnly);
    const edits = writable.map((use) => setMapValue(tree, use.mount, 'readOnly', 'true'));
    mounts.push({
      label: `${object.kind} "${object.name ?? '?'}"`,
      hostPath: path,
      absolutePath: normalizeAbsolute(path),
      via: /^(?:CharDevice|BlockDevice)$/.test(tree.string(hostPath, 'type') ?? '') ? 'device' : 'mount',
      containerPaths: uses.flatMap((use) => (use.mountPath === undefined ? [] : [use.mountPath])),
      containers: [...new Set(uses.map((use) => use.container))],
      readOnly: writable.length === 0,
      range,
      readOnlyEdits: edits.every((edit): edit is TextEdit => edit !== undefined) ? edits : undefined,
    });
  }
  return mounts;
}

/** `/var/run//docker.sock/` → `/var/run/docker.sock`; relative or templated paths → undefined. */
export function normalizeAbsolute(path: string): string | undefined {
  const text = path.trim();
  if (!text.startsWith('/')) return undefined;
  const collapsed = text.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/|$)/g, '');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : '/';
}

/** Whether `path` is `root` or lies under it. */
export function isUnder(path: string, root: string): boolean {
  if (root === '/') return true;
  return path === root || path.startsWith(`${root}/`);
}
