/**
 * Caches a pure function of a model object for as long as the object lives. Models are rebuilt
 * only for the documents an edit touched, so cross-file rules that read facts through these
 * functions recompute them for those documents alone instead of re-walking every tree.
 * Results are shared: callers must treat them as read-only (their types say so).
 */
export function perObject<Key extends object, Value>(compute: (key: Key) => Value): (key: Key) => Value {
  const cache = new WeakMap<Key, Value>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as Value;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
