import { isMap, isScalar } from '../../core/yaml';
import { valueTextRange, type YamlTree } from '../../core/tree';
import { insertIntoMap, setMapValue } from '../../core/edits';
import type { TextEdit } from '../../core/types';
import { portNumber } from '../../model/common';
import type { ComposePort, ComposeService } from '../../model/compose';
import { DATASTORE_PORTS, isDatastore } from '../../model/names';

/** Ports too generic to mean "a datastore" on an image we do not recognise (php-fpm, portainer, sonarqube…). */
export const AMBIGUOUS_PORTS: ReadonlySet<number> = new Set([9000, 8086]);

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
