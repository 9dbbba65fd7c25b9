/**
 * Helm's values pipeline with origins kept: merging the user's values files (`helm -f a -f b`:
 * later files win, maps merge), coalescing them with a chart's `values.yaml` defaults (user
 * values win, an explicit `null` removes a default), subchart values under the subchart's name,
 * and `global` values copied down to every subchart (the parent's win). After Helm's
 * `pkg/chartutil/coalesce.go`.
 */
import { copyKeyOrigin, selfOrigin, setSelfOrigin } from './template/provenance';
import { deepCopy } from './template/sprig';
import { hasKey, isGoMap, newMap, type GoMap } from './template/values';

/** Merges `override` into `base` (both mutated/owned by the caller): later files win, maps merge. */
export function mergeUserValues(base: GoMap, override: GoMap): GoMap {
  for (const key of Object.keys(override)) {
    const o = override[key];
    const b = hasKey(base, key) ? base[key] : undefined;
    if (isGoMap(o) && isGoMap(b)) {
      mergeUserValues(b, o);
      continue;
    }
    base[key] = o;
    copyKeyOrigin(override, key, base, key);
  }
  return base;
}

/**
 * Coalesces chart defaults into user values `dst` (mutated): keys the user did not set get the
 * default, nested maps coalesce, a user `null` deletes the default. Returns `dst`.
 */
export function coalesceValues(dst: GoMap, defaults: GoMap, depth = 0): GoMap {
  if (depth > 200) return dst;
  for (const key of Object.keys(defaults)) {
    const d = defaults[key];
    if (hasKey(dst, key)) {
      const u = dst[key];
      if (u === null) {
        delete dst[key];
        continue;
      }
      if (isGoMap(u) && isGoMap(d)) coalesceValues(u, d, depth + 1);
      continue;
    }
    dst[key] = deepCopy(d);
    copyKeyOrigin(defaults, key, dst, key);
  }
  return dst;
}

/** Copies the parent's `global` map into the subchart's values (the parent's entries win). */
export function coalesceGlobals(subValues: GoMap, parentValues: GoMap): void {
  const sg = isGoMap(parentValues.global) ? parentValues.global : newMap();
  const existing = isGoMap(subValues.global) ? subValues.global : newMap();
  const dg = newMap();
  setSelfOrigin(dg, selfOrigin(existing) ?? selfOrigin(sg));
  for (const key of Object.keys(existing)) {
    dg[key] = existing[key];
    copyKeyOrigin(existing, key, dg, key);
  }
  for (const key of Object.keys(sg)) {
    const value = sg[key];
    if (isGoMap(value)) {
      const copy = deepCopy(value) as GoMap;
      const current = dg[key];
      if (isGoMap(current)) coalesceValues(copy, current);
      dg[key] = copy;
    } else if (isGoMap(dg[key])) {
      continue; // a map in the subchart is not replaced by a scalar
    } else dg[key] = value;
    copyKeyOrigin(sg, key, dg, key);
  }
  subValues.global = dg;
}

/** Reads a dotted path (`a.b.c`) of values. */
export function valueAt(values: GoMap, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (!isGoMap(current as GoMap) || !hasKey(current as GoMap, part)) return undefined;
    current = (current as GoMap)[part];
  }
  return current;
}
