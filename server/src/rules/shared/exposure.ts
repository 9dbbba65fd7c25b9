import { perObject } from '../../model/perObject';
import { isMap, isScalar, type Node, type YAMLMap } from '../../core/yaml';
import { scalarText, type YamlTree } from '../../core/tree';
import { insertIntoMap, setMapValue } from '../../core/edits';
import type { OffsetRange, TextEdit } from '../../core/types';
import { valueTextRange } from '../../model/common';
import type { ComposePort, ComposeService } from '../../model/compose';
import type { KubernetesObject } from '../../model/kubernetes';
import { DATASTORE_PORTS, isDatastoreImage } from '../../model/names';

/** Ports too generic to mean "a datastore" on an image we do not recognise (php-fpm, portainer, sonarqube…). */
export const AMBIGUOUS_PORTS: ReadonlySet<number> = new Set([9000, 8086]);

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

/** First number of a port spec (`5432`, `5432-5433`, `5432/tcp`); undefined when templated. */
export function portNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
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

/** A port of a Kubernetes Service. */
export interface ServicePort {
  readonly node: YAMLMap;
  readonly port?: number;
  readonly portRange?: OffsetRange;
  readonly targetPort?: string;
  readonly name?: string;
}

export interface KubernetesService {
  readonly object: KubernetesObject;
  readonly spec?: YAMLMap;
  /** `ClusterIP` when not written. */
  readonly type: string;
  readonly typeNode?: Node;
  readonly ports: readonly ServicePort[];
  readonly selector?: YAMLMap;
}

/** The Service an object is, or undefined (read once per object). */
export const readService: (object: KubernetesObject) => KubernetesService | undefined = perObject(readServiceOf);

function readServiceOf(object: KubernetesObject): KubernetesService | undefined {
  if (object.kind !== 'Service' || object.apiVersion !== 'v1') return undefined;
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  const typeNode = spec ? tree.get(spec, 'type') : undefined;
  const ports: ServicePort[] = [];
  for (const item of tree.items(spec ? tree.get(spec, 'ports') : undefined)) {
    if (!isMap(item)) continue;
    const portNode = tree.get(item, 'port');
    ports.push({
      node: item,
      port: portNumber(scalarText(portNode)),
      portRange: valueTextRange(tree.text, portNode),
      targetPort: tree.string(item, 'targetPort'),
      name: tree.string(item, 'name'),
    });
  }
  return { object, spec, type: scalarText(typeNode) ?? 'ClusterIP', typeNode, ports, selector: spec ? tree.map(spec, 'selector') : undefined };
}

/** LoadBalancer and NodePort Services are reachable from outside the cluster network. */
export function isExternallyReachable(service: KubernetesService): boolean {
  return service.type === 'LoadBalancer' || service.type === 'NodePort';
}

/** Client tools published under a datastore's name (`minio/mc`, `redis/redisinsight`, `mcp/clickhouse`). */
const DATASTORE_TOOL_IMAGE = /(?:^|\/)(?:minio\/mc|redis\/redisinsight|redislabs\/redisinsight|mcp\/[^:@]+)(?:[:@]|$)/i;

/** A datastore server image (not one of its client tools). */
export function isDatastore(image: string | undefined): boolean {
  return isDatastoreImage(image) && !DATASTORE_TOOL_IMAGE.test(image!.split('@')[0]);
}

/** A published port that leads to a datastore: a datastore image, or a well-known datastore port. */
export function exposesDatastore(service: ComposeService, port: ComposePort): boolean {
  if (isDatastore(service.image?.value)) return true;
  const target = portNumber(port.target);
  return target !== undefined && DATASTORE_PORTS.has(target) && !AMBIGUOUS_PORTS.has(target);
}

export function portRange(tree: YamlTree, port: ComposePort) {
  return valueTextRange(tree.text, port.node) ?? port.range;
}

/** Rewrites a published port to listen on 127.0.0.1 only (short or long syntax). */
export function bindToLoopback(tree: YamlTree, port: ComposePort): TextEdit | undefined {
  if (isMap(port.node)) {
    return tree.pair(port.node, 'host_ip') ? setMapValue(tree, port.node, 'host_ip', '127.0.0.1') : insertIntoMap(tree, port.node, ['host_ip: 127.0.0.1']);
  }
  if (!isScalar(port.node) || typeof port.node.value !== 'string' && typeof port.node.value !== 'number') return undefined;
  const range = valueTextRange(tree.text, port.node);
  if (!range) return undefined;
  const source = tree.text.slice(range.start, range.end);
  const [spec, ...protocol] = source.split('/');
  const suffix = protocol.length > 0 ? `/${protocol.join('/')}` : '';
  const published = port.published ?? '';
  const rewritten = `127.0.0.1:${published}:${port.target ?? spec}${suffix}`;
  // A bare number (`- 8080`) must become a quoted string to stay a port mapping.
  const quoted = port.node.type === 'QUOTE_DOUBLE' || port.node.type === 'QUOTE_SINGLE' ? rewritten : `"${rewritten}"`;
  return { start: range.start, end: range.end, newText: quoted };
}
