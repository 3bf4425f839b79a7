// A short per-process cache for one expensive read (the Exit Brain status): concurrent callers
// share one in-flight computation; a value is served while it is younger than ttlMs; a value
// up to maxStaleMs old is served at once while one refresh runs behind it (so a burst of
// requests never queues behind the database); anything older, or a value computed under
// another `version` (e.g. the stored toggle version), waits for a fresh computation.
// invalidate() drops the value and any in-flight result started before it.
export interface SingleFlightCacheOptions {
  ttlMs: number;
  maxStaleMs: number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  startedAt: number;
  version: unknown;
}

export class SingleFlightCache<T> {
  private entry: Entry<T> | null = null;
  private inflight: { promise: Promise<T>; version: unknown; generation: number } | null = null;
  private generation = 0;
  private readonly now: () => number;
  readonly stats = { hits: 0, stale: 0, computations: 0 };

  constructor(private readonly compute: () => Promise<T>, private readonly o: SingleFlightCacheOptions) {
    this.now = o.now ?? Date.now;
  }

  async get(version: unknown = null): Promise<T> {
    const e = this.entry;
    if (e && e.version === version) {
      const age = this.now() - e.startedAt;
      if (age < this.o.ttlMs) {
        this.stats.hits++;
        return e.value;
      }
      if (age < this.o.maxStaleMs) {
        this.stats.stale++;
        this.refresh(version).catch(() => {}); // the next caller sees the error, if it persists
        return e.value;
      }
    }
    return this.refresh(version);
  }

  invalidate(): void {
    this.entry = null;
    this.generation++;
  }

  private refresh(version: unknown): Promise<T> {
    const f = this.inflight;
    if (f && f.version === version && f.generation === this.generation) return f.promise;
    const generation = this.generation;
    const startedAt = this.now();
    this.stats.computations++;
    const promise = this.compute().then((value) => {
      if (generation === this.generation && (!this.entry || this.entry.startedAt <= startedAt)) this.entry = { value, startedAt, version };
      return value;
    });
    const mine = { promise, version, generation };
    this.inflight = mine;
    const clear = () => {
      if (this.inflight === mine) this.inflight = null;
    };
    promise.then(clear, clear);
    return promise;
  }
}
