import { isMap, isScalar, isSeq, type Node } from '../core/yaml';
import { rangeOf } from '../core/tree';
import { shiftRange } from '../core/positions';
import type { FileAnalysis } from '../analysis/analyze';
import type { FileKind, OffsetRange } from '../core/types';
import { findInterpolations, type Interpolation } from '../model/interpolation';

/** The key (or interpolation) under a cursor, for hovers on security-relevant settings. */
export interface KeyAtOffset {
  readonly key: string;
  /** Keys from the document root down to the parent of `key` (sequence items skipped). */
  readonly path: readonly string[];
  readonly kind?: FileKind;
  /** Range of the key in the file, or of the interpolation when `interpolation` is set. */
  readonly range: OffsetRange;
  /** The key's scalar value as written, when it is a scalar. */
  readonly value?: string;
  readonly interpolation?: Interpolation;
}

/** How deep the descent goes; real configuration is far shallower, hostile input is not. */
const MAX_DEPTH = 200;

/** Finds the key or the `${…}` expression at a file offset. Iterative, bounded, alias-free. */
export function keyAtOffset(analysis: FileAnalysis, offset: number): KeyAtOffset | undefined {
  const segment = analysis.segments.find((s) => offset >= s.segment.start && offset <= s.segment.start + s.segment.text.length);
  if (!segment) return undefined;
  const base = segment.segment.start;
  const relative = offset - base;
  for (const document of segment.documents) {
    let node: unknown = document.tree.root;
    const path: string[] = [];
    let parentKey: string | undefined;
    for (let depth = 0; node && depth < MAX_DEPTH; depth++) {
      if (isMap(node)) {
        let next: unknown;
        for (const pair of node.items) {
          const keyRange = rangeOf(pair.key);
          const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (keyRange && name !== undefined && relative >= keyRange.start && relative <= keyRange.end) {
            const value = pair.value as Node | null;
            const text = isScalar(value) && value.value !== null ? String(value.value) : undefined;
            return { key: name, path, kind: document.kind, range: shiftRange(keyRange, base), value: text };
          }
          const valueRange = rangeOf(pair.value);
          if (valueRange && relative >= valueRange.start && relative <= valueRange.end) {
            if (isScalar(pair.value) && name !== undefined) {
              return interpolationAt(document.tree.text, pair.value, relative, base, name, path, document.kind);
            }
            if (name !== undefined) path.push(name);
            parentKey = name;
            next = pair.value;
            break;
          }
        }
        node = next;
      } else if (isSeq(node)) {
        node = node.items.find((item) => {
          const range = rangeOf(item);
          return range !== undefined && relative >= range.start && relative <= range.end;
        });
        if (isScalar(node) && parentKey !== undefined) return interpolationAt(document.tree.text, node, relative, base, parentKey, path.slice(0, -1), document.kind);
      } else return undefined;
    }
  }
  return undefined;
}

function interpolationAt(text: string, scalar: Node, relative: number, base: number, key: string, path: string[], kind: FileKind | undefined): KeyAtOffset | undefined {
  const range = rangeOf(scalar);
  if (!range) return undefined;
  const source = text.slice(range.start, range.end);
  if (!source.includes('${')) return undefined;
  const interpolation = findInterpolations(source, range.start).find((i) => relative >= i.range.start && relative <= i.range.end);
  if (!interpolation) return undefined;
  return { key, path, kind, range: shiftRange(interpolation.range, base), interpolation: { ...interpolation, range: shiftRange(interpolation.range, base) } };
}
