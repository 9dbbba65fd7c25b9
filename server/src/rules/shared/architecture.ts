import { LOCATION_AUTHENTICATION, holdsSensitiveData, type ArchitectureFlow, type ArchitectureModel, type ModelIndex } from '../../model/architecture';
import { missingAuthentication, missingAuthorization, threagileOf } from './threagile';
import type { OffsetRange } from '../../core/types';
import type { TextEdit } from '../../core/types';
import { isScalar, isSeq, type YAMLMap } from '../../core/yaml';
import { rangeOf, scalarText, type YamlTree } from '../../core/tree';
import { insertIntoMap, replaceNode } from '../../core/edits';
import { columnOf } from '../../core/positions';

/** The first lines of every model in our format (guidance examples start with it). */
export const MODEL_HEADER = 'apiVersion: securebydesign/v1\nkind: Architecture\n';

/** Protocols where authentication between the ends is not a network question. */
export const LOCAL_PROTOCOLS = new Set(['in-process-library-call', 'inter-process-communication', 'local-file-access', 'in-process']);

export function quoteList(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}

/**
 * Adds values to a list-valued key of a map (`controls`, `authentication`), whatever form it has:
 * missing, empty, a scalar, a flow list or a block list. One edit, comments kept.
 */
export function addToList(tree: YamlTree, map: YAMLMap, key: string, values: readonly string[]): TextEdit | undefined {
  const pair = tree.pair(map, key);
  if (!pair) return insertIntoMap(tree, map, [`${key}: [${values.join(', ')}]`]);
  const value = tree.resolve(pair.value);
  if (isSeq(value)) {
    const range = rangeOf(value);
    if (!range) return undefined;
    if (value.flow) {
      const close = tree.text.lastIndexOf(']', range.end);
      if (close === -1) return undefined;
      return { start: close, end: close, newText: value.items.length > 0 ? `, ${values.join(', ')}` : values.join(', ') };
    }
    const first = rangeOf(value.items[0]);
    if (!first) return undefined;
    const dash = tree.text.lastIndexOf('-', first.start);
    const indent = ' '.repeat(columnOf(tree.text, dash));
    return { start: dash, end: dash, newText: values.map((v) => `- ${v}\n${indent}`).join('') };
  }
  const text = scalarText(value);
  if (isScalar(value) && text !== undefined && text !== '') return replaceNode(value, `[${[text, ...values].join(', ')}]`);
  const keyRange = rangeOf(pair.key);
  if (!keyRange) return undefined;
  const colon = tree.text.indexOf(':', keyRange.end);
  if (colon === -1) return undefined;
  const valueRange = rangeOf(value);
  return { start: colon + 1, end: valueRange && valueRange.end > colon ? valueRange.end : colon + 1, newText: ` [${values.join(', ')}]` };
}

/** Closest name within two edits, for "did you mean" fixes. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

const LOCATION_METHODS = new Set<string>(LOCATION_AUTHENTICATION);

/**
 * How a flow's authentication falls short, as ZT101/ZT102 report it (BND101 leaves these to
 * them, so one problem is one finding): `none` (nothing stated or `none`), `location` (only
 * network location), or undefined when the flow is authenticated or out of scope. Threagile
 * links follow Threagile's missing-authentication (shared/threagile.ts).
 */
export function authenticationGap(model: ArchitectureModel, index: ModelIndex, flow: ArchitectureFlow): 'none' | 'location' | undefined {
  const threagile = threagileOf(model);
  if (threagile) return flow.threagile ? missingAuthentication(threagile.index, flow.threagile.link)?.kind : undefined;
  if (flow.protocol && LOCAL_PROTOCOLS.has(flow.protocol.value)) return undefined;
  const methods = flow.authentication.map((method) => method.value);
  // Deliberately anonymous traffic (a public shop front) is fine where it enters through a gateway.
  if (methods.includes('anonymous')) return index.endpoints(flow).target?.componentType === 'gateway' ? undefined : 'none';
  if (methods.some((method) => method !== 'none' && !LOCATION_METHODS.has(method))) return undefined;
  return methods.some((method) => LOCATION_METHODS.has(method)) ? 'location' : 'none';
}

/** Authorization too weak for the target's data, as ZT103 reports it (Threagile links: for the link's own data). */
export function authorizationGap(model: ArchitectureModel, index: ModelIndex, flow: ArchitectureFlow): boolean {
  const threagile = threagileOf(model);
  if (threagile) return flow.threagile ? missingAuthorization(threagile.index, flow.threagile.link) !== undefined : false;
  const { target } = index.endpoints(flow);
  if (!target || !holdsSensitiveData(target)) return false;
  const authorization = flow.authorization?.value;
  return authorization === undefined || authorization === 'none' || authorization === 'service-level';
}
