import { isMap, isScalar, isSeq, type Node } from '../core/yaml';
import { rangeOf, scalarText } from '../core/tree';
import type { FileAnalysis } from './analyze';
import type { Finding } from '../core/types';

/**
 * What a finding is about, independent of where it sits in the file: the rule, the object
 * (compose service, Kubernetes kind/namespace/name, architecture model), the key path to the
 * offending node and a hash of the offending text. Line numbers and absolute paths are never
 * part of it, so inserting lines, reordering services or moving the repository keeps it.
 */
export interface FindingIdentity {
  /** `service web`, `Deployment/shop/web`, `Architecture//shop`; empty when the document names nothing. */
  readonly object: string;
  /** Keys from the document root to the offending node; sequence items by `name`/`id` where they have one. */
  readonly path: string;
  /** Hash of the offending text with whitespace runs collapsed (16 hex digits). */
  readonly valueHash: string;
}

/** Keys that identify a sequence item better than its index (containers, env entries, model elements). */
const ITEM_KEYS = ['name', 'id', 'key', 'containerPort', 'mountPath'];
/** Real manifests are far shallower; hostile input is not. */
const MAX_DEPTH = 200;

/** Identity of a finding in a file; offsets are the file's (as in `FileResult.findings`). */
export function findingIdentity(analysis: FileAnalysis, finding: Finding): FindingIdentity {
  const { start, end } = finding.range;
  const valueHash = hash64(analysis.text.slice(start, end).replace(/\s+/g, ' ').trim());
  const segment = analysis.segments.find((s) => start >= s.segment.start && start <= s.segment.start + s.segment.text.length);
  if (!segment) return { object: '', path: '', valueHash };
  const relative = { start: start - segment.segment.start, end: end - segment.segment.start };
  for (const document of segment.documents) {
    const root = document.tree.root;
    const range = rangeOf(root);
    if (!range || relative.start < range.start || relative.start > (root?.range?.[2] ?? range.end)) continue;
    const path = keyPath(root, relative);
    return { object: objectOf(root, path), path: path.join('.'), valueHash };
  }
  return { object: '', path: '', valueHash };
}

/** Descends to the deepest node containing the range; the path names each step. */
function keyPath(root: Node | null, target: { start: number; end: number }): string[] {
  const path: string[] = [];
  let node: unknown = root;
  const within = (candidate: unknown) => {
    const range = rangeOf(candidate);
    return range !== undefined && target.start >= range.start && target.end <= Math.max(range.end, target.start);
  };
  for (let depth = 0; node && depth < MAX_DEPTH; depth++) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : '?';
        if (within(pair.key)) return [...path, name];
        if (within(pair.value)) {
          path.push(name);
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        if (next === undefined && within(item)) {
          path.push(itemName(item, index));
          next = item;
        }
      });
    }
    if (next === undefined) break;
    node = next;
  }
  return path;
}

function itemName(item: unknown, index: number): string {
  if (isMap(item)) {
    for (const key of ITEM_KEYS) {
      const pair = item.items.find((p) => isScalar(p.key) && p.key.value === key);
      const value = scalarText(pair?.value);
      if (value !== undefined) return `[${key}=${value}]`;
    }
  }
  const scalar = scalarText(item);
  // A list of plain values (capabilities, ports) is identified by the value itself.
  return scalar !== undefined && scalar.length <= 200 ? `[${scalar}]` : `[${index}]`;
}

function objectOf(root: Node | null, path: readonly string[]): string {
  if (!isMap(root)) return '';
  const get = (map: unknown, key: string) => (isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value : undefined);
  const kind = scalarText(get(root, 'kind'));
  const metadata = get(root, 'metadata');
  const name = scalarText(get(metadata, 'name'));
  if (kind && name !== undefined) return `${kind}/${scalarText(get(metadata, 'namespace')) ?? ''}/${name}`;
  if (path[0] === 'services' && path.length > 1) return `service ${path[1]}`;
  const title = scalarText(get(root, 'title'));
  return title ? `model ${title}` : '';
}

/**
 * The fingerprint stored in baselines and SARIF `partialFingerprints`: rule, file relative to
 * the baseline's folder (`/`-separated), object, key path and value hash.
 */
export function fingerprint(ruleId: string, relativeFile: string, identity: FindingIdentity): string {
  return hash64([ruleId, relativeFile, identity.object, identity.path, identity.valueHash].join('\u0000'));
}

/** Two FNV-1a 32-bit hashes with different offsets, as 16 hex digits: stable, pure, no Node crypto. */
export function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
