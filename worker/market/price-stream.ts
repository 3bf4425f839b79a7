// A live price stream over the port's watchPrices (ccxt pro) that reconnects by itself: on any
// error it waits (exponential back-off, capped: worker/exchange/reconnect-loop.ts, the loop every
// stream shares) and subscribes again; the last price per symbol is always readable. Stop it with
// stop(); it never throws to its caller.
import type { ExchangePort, PriceTick } from "../exchange/exchange-port";
import { ReconnectLoop } from "../exchange/reconnect-loop";

export interface PriceStreamOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (err: unknown, attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

export class PriceStream {
  private readonly last = new Map<string, PriceTick>();
  private readonly listeners = new Set<(ticks: PriceTick[]) => void>();
  private readonly loop: ReconnectLoop;

  constructor(
    private readonly port: Pick<ExchangePort, "watchPrices">,
    private readonly symbols: string[],
    opts: PriceStreamOptions = {},
  ) {
    this.loop = new ReconnectLoop((opened) => this.watch(opened), {
      initialBackoffMs: opts.initialBackoffMs ?? 500,
      maxBackoffMs: opts.maxBackoffMs ?? 15_000,
      onDisconnected: (_reason, attempt, err) => opts.onError?.(err, attempt),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
  }

  /** consecutive failures since the last good update */
  get failures(): number {
    return this.loop.failures;
  }

  get reconnects(): number {
    return this.loop.reconnects;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    // The pending watch resolves on the next update (or when the port is closed).
    await Promise.race([this.loop.stop(), new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  latest(symbol: string): PriceTick | undefined {
    return this.last.get(symbol);
  }

  onTicks(listener: (ticks: PriceTick[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One session of ccxt's watch: updates until it throws (ccxt pro reconnects inside; an error is the end). */
  private async watch(opened: () => void): Promise<string> {
    while (this.loop.isRunning()) {
      const ticks = await this.port.watchPrices(this.symbols);
      if (!this.loop.isRunning()) break;
      opened(); // a good update: the back-off starts again from the first step
      for (const t of ticks) this.last.set(t.symbol, t);
      for (const l of this.listeners) l(ticks);
    }
    return "stopped";
  }
}
