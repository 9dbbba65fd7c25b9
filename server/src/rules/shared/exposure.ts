import { isMap, isScalar } from '../../core/yaml';
import { valueTextRange, type YamlTree } from '../../core/tree';
import { insertIntoMap, setMapValue } from '../../core/edits';
import type { TextEdit } from '../../core/types';
import { portNumber } from '../../model/common';
import type { ComposePort, ComposeService } from '../../model/compose';
import { DATASTORE_PORTS, isDatastore } from '../../model/names';
import { findInterpolations, valueWhenUnset } from '../../model/interpolation';

/** Ports too generic to mean "a datastore" on an image we do not recognise (php-fpm, portainer, sonarqube…). */
export const AMBIGUOUS_PORTS: ReadonlySet<number> = new Set([9000, 8086]);

/** A published port that leads to a datastore: a datastore image, or a well-known datastore port. */
export function exposesDatastore(service: ComposeService, port: ComposePort): boolean {
  if (isDatastore(service.image?.value)) return true;
  const target = portNumber(port.target === undefined ? undefined : valueWhenUnset(port.target));
  return target !== undefined && DATASTORE_PORTS.has(target) && !AMBIGUOUS_PORTS.has(target);
}

export function portRange(tree: YamlTree, port: ComposePort) {
  return valueTextRange(tree.text, port.node) ?? port.range;
}

/**
 * Rewrites a published port to listen on 127.0.0.1 only (short or long syntax). A host IP chosen
 * by a variable keeps the variable and gets 127.0.0.1 as its default.
 */
export function bindToLoopback(tree: YamlTree, port: ComposePort): TextEdit | undefined {
  if (isMap(port.node)) {
    return tree.pair(port.node, 'host_ip') ? setMapValue(tree, port.node, 'host_ip', '127.0.0.1') : insertIntoMap(tree, port.node, ['host_ip: 127.0.0.1']);
  }
  if (!isScalar(port.node) || typeof port.node.value !== 'string' && typeof port.node.value !== 'number') return undefined;
  const range = valueTextRange(tree.text, port.node);
  if (!range) return undefined;
  const source = tree.text.slice(range.start, range.end);
  if (port.hostIp !== undefined && source !== String(port.node.value)) return undefined;
  if (port.hostIp !== undefined) {
    const bracketed = source.startsWith(`[${port.hostIp}]`);
    if (!bracketed && !source.startsWith(port.hostIp)) return undefined;
    const [variable] = findInterpolations(port.hostIp, 0);
    const newText = variable ? `\${${variable.variable}:-127.0.0.1}` : '127.0.0.1';
    return { start: range.start, end: range.start + port.hostIp.length + (bracketed ? 2 : 0), newText };
  }
  const slash = source.lastIndexOf('/');
  const suffix = slash !== -1 && !source.slice(slash).includes('}') ? source.slice(slash) : '';
  const published = port.published ?? '';
  const rewritten = `127.0.0.1:${published}:${port.target ?? source}${suffix}`;
  // A bare number (`- 8080`) must become a quoted string to stay a port mapping.
  const quoted = port.node.type === 'QUOTE_DOUBLE' || port.node.type === 'QUOTE_SINGLE' ? rewritten : `"${rewritten}"`;
  return { start: range.start, end: range.end, newText: quoted };
}
