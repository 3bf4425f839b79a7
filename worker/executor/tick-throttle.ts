// Leading-edge throttle per key (symbol) for price-triggered evaluations: the first tick runs at
// once; further ticks within the window are folded into one run at the end of the window (which
// reads the latest price then), and that run opens the next window. So a tick is never delayed
// when the symbol was quiet, a burst costs at most one run per window, and the last price of a
// burst is always evaluated. A window of 0 (or less) runs on every tick.
export interface ThrottleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: ThrottleTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Window {
  handle: unknown;
  /** a tick arrived during the window: run once more at its end */
  pending: boolean;
}

export class LeadingThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly run: (key: string) => void,
    /** read on every tick, so a changed setting applies to the next window */
    private readonly windowMs: () => number,
    private readonly timers: ThrottleTimers = realTimers,
  ) {}

  hit(key: string): void {
    const w = this.windows.get(key);
    if (w) {
      w.pending = true;
      return;
    }
    this.run(key);
    this.open(key);
  }

  /** keys with an open window (for tests and diagnostics) */
  openWindows(): number {
    return this.windows.size;
  }

  /** Drops every open window and its pending run. */
  clear(): void {
    for (const w of this.windows.values()) this.timers.clearTimeout(w.handle);
    this.windows.clear();
  }

  private open(key: string): void {
    const ms = this.windowMs();
    if (!(ms > 0)) return;
    const w: Window = { handle: null, pending: false };
    w.handle = this.timers.setTimeout(() => {
      if (this.windows.get(key) !== w) return;
      this.windows.delete(key);
      if (!w.pending) return;
      this.run(key);
      this.open(key);
    }, ms);
    this.windows.set(key, w);
  }
}
