// When evaluations run: an interval cycle every EXIT_BRAIN_INTERVAL_S (the next one scheduled
// when the previous ends), and a price-triggered evaluation per symbol on ticks (leading edge: at
// once on the first tick, then at most once per EXIT_BRAIN_PRICE_DEBOUNCE_MS window, always
// ending on the latest price). Evaluations of one symbol run one at a time, in order.
import type { PriceStream } from "../market/price-stream";
import type { Trigger } from "./evaluation-context";
import type { ExecutorConfig } from "./executor-config";
import { LeadingThrottle } from "./tick-throttle";

export interface ScheduleDeps {
  prices?: Pick<PriceStream, "onTicks"> | null;
  config: Pick<ExecutorConfig, "intervalS" | "debounceMs">;
  /** one interval cycle (never throws) */
  cycle: () => Promise<void>;
  /** one evaluation of a symbol's positions (never throws) */
  evaluate: (symbol: string, trigger: Trigger) => Promise<void>;
  /** a tick on this symbol concerns a tracked position */
  watches: (symbol: string) => boolean;
}

export class EvaluationSchedule {
  private on = false;
  private timer: NodeJS.Timeout | null = null;
  private cycleRun: Promise<void> = Promise.resolve();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly ticks: LeadingThrottle;
  /** symbols with a price-triggered evaluation queued and not started yet (it will read the latest price) */
  private readonly priceQueued = new Set<string>();
  private unsubscribeTicks: (() => void) | null = null;

  constructor(private readonly d: ScheduleDeps) {
    this.ticks = new LeadingThrottle((symbol) => this.onThrottledTick(symbol), () => d.config.debounceMs);
  }

  get running(): boolean {
    return this.on;
  }

  start(): void {
    this.on = true;
    this.unsubscribeTicks = this.d.prices?.onTicks((ticks) => {
      for (const t of ticks) this.onPrice(t.symbol);
    }) ?? null;
    const loop = () => {
      if (!this.on) return;
      void this.cycleNow().finally(() => {
        if (this.on) this.timer = setTimeout(loop, this.d.config.intervalS * 1000);
      });
    };
    loop();
  }

  stop(): void {
    this.on = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribeTicks?.();
    this.unsubscribeTicks = null;
    this.ticks.clear();
    this.priceQueued.clear();
  }

  /** Runs one interval cycle now, after any cycle still running. */
  cycleNow(): Promise<void> {
    this.cycleRun = this.cycleRun.then(() => this.d.cycle());
    return this.cycleRun;
  }

  /** Queues an evaluation of the symbol behind the ones already queued for it. */
  evaluateSymbol(symbol: string, trigger: Trigger, onStart?: () => void): Promise<void> {
    const prev = this.chains.get(symbol);
    const run = () => {
      onStart?.();
      return this.d.evaluate(symbol, trigger);
    };
    // Nothing queued for the symbol: start now, without waiting for a microtask turn.
    const next = prev ? prev.then(run) : run();
    this.chains.set(symbol, next);
    void next.finally(() => {
      if (this.chains.get(symbol) === next) this.chains.delete(symbol);
    });
    return next;
  }

  /** Resolves when the running cycle and every queued evaluation have ended. */
  async idle(): Promise<void> {
    await this.cycleRun;
    await Promise.all(this.chains.values());
  }

  private onPrice(symbol: string): void {
    if (!this.on || !this.d.watches(symbol)) return;
    this.ticks.hit(symbol);
  }

  private onThrottledTick(symbol: string): void {
    if (!this.on || this.priceQueued.has(symbol)) return; // the queued one will read this price
    this.priceQueued.add(symbol);
    void this.evaluateSymbol(symbol, "price", () => this.priceQueued.delete(symbol));
  }
}
