import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from '../core/yaml';
import { rangeOf, scalarText, valueTextRange, type YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { readComposeEnvironment, type EnvVar } from './common';

export interface ComposePort {
  readonly node: Node;
  readonly range: OffsetRange;
  /** Host interface the port is bound to; undefined means all interfaces. */
  readonly hostIp?: string;
  readonly published?: string;
  readonly target?: string;
  readonly protocol?: string;
  readonly form: 'short' | 'long';
}

export interface ComposeVolume {
  readonly node: Node;
  readonly range: OffsetRange;
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'other';
  readonly source?: string;
  readonly target?: string;
  readonly readOnly: boolean;
  readonly form: 'short' | 'long';
}

export interface ComposeNamedRef {
  readonly name: string;
  readonly node: Node;
  readonly range: OffsetRange;
}

export interface ComposeService {
  readonly name: string;
  /** The service's key: where findings about something missing point. */
  readonly key: Scalar;
  readonly keyRange: OffsetRange;
  /** The definition map; undefined while the user has only typed the name. */
  readonly node: YAMLMap | undefined;
  readonly image?: { readonly value: string; readonly node: Scalar; readonly range: OffsetRange };
  readonly environment: readonly EnvVar[];
  readonly ports: readonly ComposePort[];
  readonly volumes: readonly ComposeVolume[];
  /** Networks the service joins; empty means the project's default network. */
  readonly networks: readonly ComposeNamedRef[];
  readonly secrets: readonly ComposeNamedRef[];
}

export interface ComposeModel {
  readonly kind: 'compose';
  readonly tree: YamlTree;
  readonly root: YAMLMap;
  readonly servicesKey: Scalar;
  readonly services: readonly ComposeService[];
  /** Top-level `networks:` definitions. */
  readonly networks: readonly ComposeNamedRef[];
  /** Top-level `secrets:` definitions. */
  readonly secrets: readonly ComposeNamedRef[];
}

export function buildComposeModel(tree: YamlTree): ComposeModel | undefined {
  const root = tree.root;
  if (!isMap(root)) return undefined;
  const servicesPair = tree.pair(root, 'services');
  if (!servicesPair || !isScalar(servicesPair.key)) return undefined;
  const services: ComposeService[] = [];
  for (const [key, value] of tree.entries(servicesPair.value)) {
    services.push(buildService(tree, key, isMap(value) ? value : undefined));
  }
  return {
    kind: 'compose',
    tree,
    root,
    servicesKey: servicesPair.key,
    services,
    networks: namedEntries(tree, tree.get(root, 'networks')),
    secrets: namedEntries(tree, tree.get(root, 'secrets')),
  };
}

function buildService(tree: YamlTree, key: Scalar, node: YAMLMap | undefined): ComposeService {
  const imageNode = node ? tree.scalar(node, 'image') : undefined;
  const imageText = scalarText(imageNode);
  return {
    name: String(key.value),
    key,
    keyRange: rangeOf(key) ?? { start: 0, end: 0 },
    node,
    image: imageNode && imageText !== undefined ? { value: imageText, node: imageNode, range: valueTextRange(tree.text, imageNode) ?? { start: 0, end: 0 } } : undefined,
    environment: node ? readComposeEnvironment(tree, tree.get(node, 'environment')) : [],
    ports: node ? readPorts(tree, tree.get(node, 'ports')) : [],
    volumes: node ? readVolumes(tree, tree.get(node, 'volumes')) : [],
    networks: node ? namedRefs(tree, tree.get(node, 'networks')) : [],
    secrets: node ? namedRefs(tree, tree.get(node, 'secrets'), 'source') : [],
  };
}

/** `networks: [a, b]`, `networks: {a: {...}}` and `secrets: [{source: x}]` all give names with nodes. */
function namedRefs(tree: YamlTree, node: Node | undefined, longKey = ''): ComposeNamedRef[] {
  if (isMap(node)) return namedEntries(tree, node);
  const refs: ComposeNamedRef[] = [];
  for (const item of tree.items(node)) {
    if (isScalar(item)) {
      const name = scalarText(item);
      const range = rangeOf(item);
      if (name !== undefined && range) refs.push({ name, node: item, range });
    } else if (isMap(item) && longKey) {
      const source = tree.scalar(item, longKey);
      const name = scalarText(source);
      const range = rangeOf(source);
      if (name !== undefined && range && source) refs.push({ name, node: source, range });
    }
  }
  return refs;
}

function namedEntries(tree: YamlTree, node: Node | undefined): ComposeNamedRef[] {
  return tree.entries(node).flatMap(([key, value]) => {
    const range = rangeOf(key);
    return range ? [{ name: String(key.value), node: (value ?? key) as Node, range }] : [];
  });
}

const SHORT_PORT = /^(?:(\[[^\]]*\]|[^:[\]]+):)??(?:([^:]*):)?([^:]+)$/;

function readPorts(tree: YamlTree, node: Node | undefined): ComposePort[] {
  const ports: ComposePort[] = [];
  for (const item of tree.items(node)) {
    const range = rangeOf(item);
    if (!range) continue;
    if (isScalar(item)) {
      const text = scalarText(item);
      if (text === undefined) continue;
      const [spec, protocol] = text.split('/');
      const match = SHORT_PORT.exec(spec.trim());
      if (!match) continue;
      const hostIp = match[1]?.replace(/^\[|\]$/g, '');
      ports.push({ node: item, range, hostIp: hostIp || undefined, published: match[2] || undefined, target: match[3], protocol, form: 'short' });
    } else if (isMap(item)) {
      ports.push({
        node: item,
        range,
        hostIp: tree.string(item, 'host_ip') || undefined,
        published: tree.string(item, 'published'),
        target: tree.string(item, 'target'),
        protocol: tree.string(item, 'protocol'),
        form: 'long',
      });
    }
  }
  return ports;
}

function readVolumes(tree: YamlTree, node: Node | undefined): ComposeVolume[] {
  const volumes: ComposeVolume[] = [];
  for (const item of tree.items(node)) {
    const range = rangeOf(item);
    if (!range) continue;
    if (isScalar(item)) {
      const text = scalarText(item);
      if (text === undefined) continue;
      const parts = text.split(':');
      const hasSource = parts.length >= 2;
      const source = hasSource ? parts[0] : undefined;
      const target = hasSource ? parts[1] : parts[0];
      const mode = parts.length >= 3 ? parts[2] : '';
      const isPath = source !== undefined && /^(?:[./~]|\$\{?\w)/.test(source);
      volumes.push({
        node: item,
        range,
        type: source === undefined ? 'volume' : isPath ? 'bind' : 'volume',
        source,
        target,
        readOnly: mode.split(',').includes('ro'),
        form: 'short',
      });
    } else if (isMap(item)) {
      const type = tree.string(item, 'type');
      volumes.push({
        node: item,
        range,
        type: type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other',
        source: tree.string(item, 'source'),
        target: tree.string(item, 'target'),
        readOnly: tree.boolean(item, 'read_only') === true,
        form: 'long',
      });
    }
  }
  return volumes;
}

/** Service names a service depends on or links to (for "who reaches whom" questions). */
export function serviceList(tree: YamlTree, node: Node | undefined): string[] {
  if (isSeq(node)) return tree.items(node).map(scalarText).filter((n): n is string => n !== undefined);
  return tree.entries(node).map(([key]) => String(key.value));
}

/** Whether a compose host IP keeps a published port on this machine. */
export function isLoopback(hostIp: string): boolean {
  const ip = hostIp.trim().toLowerCase();
  return ip === 'localhost' || ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(ip);
}

/**
 * Whether a published compose port is reachable from other machines: no host IP (all
 * interfaces), or an explicit wildcard. A templated host IP is decided elsewhere and left alone.
 */
export function publishedOnAllInterfaces(port: ComposePort): boolean {
  if (port.hostIp === undefined) return true;
  if (port.hostIp.includes('$')) return false;
  const ip = port.hostIp.trim();
  return ip === '0.0.0.0' || ip === '::' || ip === '';
}

/** `network_mode`, `privileged`, `pid`, `ipc`: how a compose service shares the host. */
export function composeHostAccess(tree: YamlTree, service: ComposeService): Array<{ reason: string; range: OffsetRange }> {
  const node = service.node;
  if (!node) return [];
  const found: Array<{ reason: string; range: OffsetRange }> = [];
  if (tree.boolean(node, 'privileged') === true) found.push({ reason: 'privileged: true', range: valueTextRange(tree.text, tree.get(node, 'privileged'))! });
  for (const key of ['network_mode', 'pid', 'ipc']) {
    if (tree.string(node, key) === 'host') found.push({ reason: `${key}: host`, range: valueTextRange(tree.text, tree.get(node, key))! });
  }
  return found;
}

/** One `security_opt` entry: `seccomp:unconfined`, `apparmor=unconfined`, `no-new-privileges:true`. */
export interface SecurityOption {
  readonly name: string;
  /** Undefined for a bare flag (`no-new-privileges`). */
  readonly value?: string;
  readonly node: Scalar;
  readonly range: OffsetRange;
}

export function securityOptions(tree: YamlTree, service: ComposeService): SecurityOption[] {
  if (!service.node) return [];
  const options: SecurityOption[] = [];
  for (const item of tree.items(tree.get(service.node, 'security_opt'))) {
    const text = scalarText(item);
    const range = valueTextRange(tree.text, item);
    if (!isScalar(item) || text === undefined || !range) continue;
    const separator = text.search(/[:=]/);
    options.push({
      name: (separator === -1 ? text : text.slice(0, separator)).trim().toLowerCase(),
      value: separator === -1 ? undefined : text.slice(separator + 1).trim(),
      node: item,
      range,
    });
  }
  return options;
}

export function securityOptionList(tree: YamlTree, service: ComposeService): Node | undefined {
  return service.node ? tree.get(service.node, 'security_opt') : undefined;
}

/** `extends:` pulls settings from another definition we may not see: a missing setting is not evidence. */
export function extendsAnotherService(tree: YamlTree, service: ComposeService): boolean {
  return service.node !== undefined && tree.pair(service.node, 'extends') !== undefined;
}
