import { isMap, isPair, isScalar, isSeq, parseAllDocuments } from '../../../server/src/core/yaml';

/**
 * The keys of every map entry whose text (key through value) contains `offset`, outermost first:
 * `['spec', 'template', 'spec', 'containers', 'securityContext', 'privileged']`. `onKey` is true
 * when the offset lies on the innermost key itself rather than in its value.
 */
export function keysAt(text: string, offset: number): { keys: string[]; onKey: boolean } {
  const keys: string[] = [];
  let onKey = false;
  for (const document of parseAllDocuments(text)) {
    let node: unknown = document.contents;
    for (let depth = 0; node && depth < 100; depth++) {
      let next: unknown;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
          const start = pair.key.range[0];
          const end = (pair.value as { range?: number[] } | null)?.range?.[1] ?? pair.key.range[1];
          if (offset < start || offset > end) continue;
          keys.push(String(pair.key.value));
          onKey = offset <= pair.key.range[1];
          next = pair.value;
          break;
        }
      } else if (isSeq(node)) {
        next = node.items.find((item) => {
          const range = (item as { range?: number[] } | null)?.range;
          return range !== undefined && offset >= range[0] && offset <= range[1];
        });
      }
      node = next;
    }
  }
  return { keys, onKey };
}
