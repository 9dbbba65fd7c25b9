/**
 * Where values came from: the values-file span that set each key of a map or item of a list, and
 * the span of a whole map or list. Kept beside the values (weakly keyed by the container object),
 * so values stay plain Go-like data and functions that copy entries can copy their origins too.
 */
import type { ValueOrigin } from '../../sourceMap';
import type { GoValue } from './values';

const keyOrigins = new WeakMap<object, Map<string, ValueOrigin>>();
const selfOrigins = new WeakMap<object, ValueOrigin>();

/** Records that `container[key]` was set at `origin` (lists use the index as key). */
export function setKeyOrigin(container: object, key: string | number, origin: ValueOrigin | undefined): void {
  let map = keyOrigins.get(container);
  if (!origin) {
    map?.delete(String(key));
    return;
  }
  if (!map) keyOrigins.set(container, (map = new Map()));
  map.set(String(key), origin);
}

/** Where `container[key]` was set, when known. */
export function keyOrigin(container: GoValue, key: string | number): ValueOrigin | undefined {
  if (container === null || typeof container !== 'object') return undefined;
  return keyOrigins.get(container)?.get(String(key));
}

/** Records where a whole map or list was set (its key in the values file). */
export function setSelfOrigin(value: GoValue, origin: ValueOrigin | undefined): void {
  if (origin && value !== null && typeof value === 'object' && !selfOrigins.has(value)) selfOrigins.set(value, origin);
}

/** Where a whole map or list was set, when known. */
export function selfOrigin(value: GoValue): ValueOrigin | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return selfOrigins.get(value);
}

/** Copies the origin of `from[fromKey]` to `to[toKey]`. */
export function copyKeyOrigin(from: object, fromKey: string | number, to: object, toKey: string | number): void {
  setKeyOrigin(to, toKey, keyOrigins.get(from)?.get(String(fromKey)));
}
