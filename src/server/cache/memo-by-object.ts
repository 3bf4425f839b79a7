// The status cache hands out the same report object until it recomputes, so work derived from
// that object (its JSON text, its validated copy) can be done once per object instead of once
// per request. Keyed weakly: a replaced report and its derived value are collected together.
export function memoByObject<K extends object, V>(derive: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>();
  return (key) => {
    if (memo.has(key)) return memo.get(key) as V;
    const value = derive(key);
    memo.set(key, value);
    return value;
  };
}
