/**
 * How the engine's growable typed arrays (ties, edge lists, queues, the readers' logs) make
 * room: a new array of the same kind, twice as long unless told, holding the old values; the
 * rest is zero. Called only when a store is full, never per member per tick.
 */
export function grow<T extends Int32Array | Uint8Array | Float32Array | Float64Array>(a: T, size = a.length * 2): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
