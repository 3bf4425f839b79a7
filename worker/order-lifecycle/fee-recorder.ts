// The fee of each exit order, from the user-data stream: Binance reports a fill's commission only
// there (ORDER_TRADE_UPDATE `n`, asset `N`), never in the order look-up the lifecycle recorder
// makes. Commissions are summed per order (one order may fill in several trades; a trade seen
// twice counts once) and written onto the attempt row by its client order id. A conditional
// order (stop, take-profit) fills through the market order the exchange places when it triggers:
// ALGO_UPDATE names that order (`ai`), and its commission goes to the conditional order's row,
// whichever of the two events arrives first. Writes are idempotent (the order's total so far).
import type pg from "pg";
import type { UserDataEvent } from "../../src/core/account/user-data-events";
import type { Logger } from "../../src/server/logger";

interface OrderFees {
  fee: number;
  asset: string | null;
  clientOrderId: string;
  trades: Set<string>;
}

/** Orders remembered at most (oldest forgotten first): an order's fills arrive within seconds. */
const MAX_ORDERS = 5_000;

export class FeeRecorder {
  private readonly orders = new Map<string, OrderFees>();
  /** symbol:actual order id → the conditional order's client id */
  private readonly triggeredBy = new Map<string, string>();
  /** client order id → the order's fee so far (what the lifecycle recorder's history line says) */
  private readonly totals = new Map<string, { fee: number; asset: string | null }>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: pg.Pool, private readonly log: Logger) {}

  /** Feed every validated user-data event; returns at once (the write is queued). */
  observe(e: UserDataEvent): void {
    if (e.e === "ALGO_UPDATE") {
      const actual = e.o.ai === undefined ? "" : String(e.o.ai);
      if (actual === "" || actual === "0") return;
      const key = `${e.o.s}:${actual}`;
      if (this.triggeredBy.get(key) === e.o.caid) return;
      this.remember(this.triggeredBy, key, e.o.caid);
      const seen = this.orders.get(key);
      if (seen && seen.fee > 0) this.queue(e.o.caid, seen.fee, seen.asset);
      return;
    }
    if (e.e !== "ORDER_TRADE_UPDATE") return;
    const o = e.o;
    if (o.n === undefined || !(o.n > 0)) return;
    const key = `${o.s}:${String(o.i)}`;
    const trade = o.t === undefined ? `${e.T}:${o.z}` : String(o.t);
    let f = this.orders.get(key);
    if (!f) {
      f = { fee: 0, asset: o.N ?? null, clientOrderId: o.c, trades: new Set() };
      this.remember(this.orders, key, f);
    }
    if (f.trades.has(trade)) return;
    f.trades.add(trade);
    f.fee += o.n;
    f.asset = o.N ?? f.asset;
    this.queue(f.clientOrderId, f.fee, f.asset);
    const parent = this.triggeredBy.get(key);
    if (parent) this.queue(parent, f.fee, f.asset);
  }

  /** The fee reported so far for an order (by its client order id, conditional or plain), or null. */
  feeOf(clientOrderId: string): { fee: number; asset: string | null } | null {
    return this.totals.get(clientOrderId) ?? null;
  }

  /** Resolves when the writes queued so far are done (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.writes;
  }

  private remember<V>(m: Map<string, V>, key: string, v: V): void {
    m.set(key, v);
    if (m.size > MAX_ORDERS) m.delete(m.keys().next().value!);
  }

  private queue(clientOrderId: string, fee: number, asset: string | null): void {
    this.remember(this.totals, clientOrderId, { fee, asset });
    this.writes = this.writes
      .then(() => this.pool.query(`UPDATE exit_order_attempt SET fee = $2, fee_asset = $3 WHERE client_order_id = $1 AND fee IS DISTINCT FROM $2`, [clientOrderId, fee, asset]))
      .catch((err: unknown) => this.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_ORDERS] recording the fee of ${clientOrderId} failed; the order shows "fee not reported"`));
  }
}
