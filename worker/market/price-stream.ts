// A live price stream over the port's watchPrices (ccxt pro) that reconnects by itself: on any
// error it waits (exponential back-off, capped) and subscribes again; the last price per symbol
// is always readable. Stop it with stop(); it never throws to its caller.
import type { ExchangePort, PriceTick } from "../exchange/exchange-port";

export interface PriceStreamOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (err: unknown, attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

export class PriceStream {
  private readonly last = new Map<string, PriceTick>();
  private readonly listeners = new Set<(ticks: PriceTick[]) => void>();
  private running = false;
  private loop: Promise<void> | null = null;
  /** consecutive failures since the last good update */
  failures = 0;
  reconnects = 0;

  constructor(
    private readonly port: Pick<ExchangePort, "watchPrices">,
    private readonly symbols: string[],
    private readonly opts: PriceStreamOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    // The pending watch resolves on the next update (or when the port is closed).
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  latest(symbol: string): PriceTick | undefined {
    return this.last.get(symbol);
  }

  onTicks(listener: (ticks: PriceTick[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async run(): Promise<void> {
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const initial = this.opts.initialBackoffMs ?? 500;
    const max = this.opts.maxBackoffMs ?? 15_000;
    while (this.running) {
      try {
        const ticks = await this.port.watchPrices(this.symbols);
        if (!this.running) break;
        this.failures = 0;
        for (const t of ticks) this.last.set(t.symbol, t);
        for (const l of this.listeners) l(ticks);
      } catch (err) {
        if (!this.running) break; // stop() closed the port: not an error
        this.failures += 1;
        this.opts.onError?.(err, this.failures);
        await sleep(Math.min(max, initial * 2 ** (this.failures - 1)));
        this.reconnects += 1;
      }
    }
  }
}
