// Cancels the left-over exit orders of closed positions (issue 14; which orders:
// src/core/account/leftover-stops.ts). Run by the leader's account cycle on each confirmed view:
// an order left over for the grace period is cancelled only after a REST read of its symbol
// (positionRisk, weight 5) still shows its position flat, through the gateway (the committed
// toggle state must be confirmed, the leader term live, one send deadline; logged like every
// cancel). Nothing is done while the account view is unconfirmed; the grace period starts again
// after it.
import { orderKey } from "../../src/core/account/account-view";
import { scanLeftoverOrders, stillFlat } from "../../src/core/account/leftover-stops";
import { LEFTOVER_MODULE } from "../../src/core/gateway/cancel-rules";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { AccountSnapshot } from "./exchange-snapshot";

/** how long an order must be seen without its position before it is cancelled (LEFTOVER_GRACE_MS) */
export const LEFTOVER_GRACE_MS = 10_000;

export interface LeftoverStopsDeps {
  port: Pick<ExchangePort, "fetchPositions" | "positionMode">;
  gateway: Pick<ExitOrderGateway, "cancel">;
  log: Logger;
  graceMs?: number;
  now?: () => number;
}

export class LeftoverStops {
  private seenSince = new Map<string, number>();
  private readonly now: () => number;
  counts = { cancelled: 0, reopened: 0, failed: 0 };

  constructor(private readonly d: LeftoverStopsDeps) {
    this.now = d.now ?? Date.now;
  }

  /** One pass over the view; `confirmed` = the view follows the venue now (stream confirmed or a fresh REST read). */
  async run(account: AccountSnapshot, ctx: { confirmed: boolean; leaderEpoch: number | null }): Promise<number> {
    if (!ctx.confirmed) {
      this.seenSince.clear(); // the grace period counts confirmed time only
      return 0;
    }
    const mode = this.d.port.positionMode().connected;
    const scan = scanLeftoverOrders(account, this.seenSince, this.now(), { mode, graceMs: this.d.graceMs ?? LEFTOVER_GRACE_MS });
    this.seenSince = scan.seenSince;
    let cancelled = 0;
    for (const g of scan.due) {
      const what = `${g.symbol}${g.side ? ` ${g.side}` : ""}`;
      let rest;
      try {
        rest = await this.d.port.fetchPositions([g.symbol]);
      } catch (err) {
        this.d.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[LEFTOVER] could not confirm ${what} flat over REST; its ${g.orders.length} left-over orders wait for the next cycle`);
        continue;
      }
      if (!stillFlat(g, rest)) {
        // Reopened (the view has not caught up yet): these may be the new position's orders.
        this.counts.reopened++;
        for (const o of g.orders) this.seenSince.delete(orderKey(o));
        continue;
      }
      for (const o of g.orders) {
        const c = await this.d.gateway.cancel({
          module: LEFTOVER_MODULE, ref: { symbol: o.symbol, conditional: o.conditional, id: o.id }, leaderEpoch: ctx.leaderEpoch,
          reason: `left over: ${what} closed (flat in the stream and over REST)`,
        });
        if (c.outcome === "cancelled" || c.outcome === "gone") {
          cancelled++;
          this.counts.cancelled++;
        } else this.counts.failed++;
      }
    }
    return cancelled;
  }
}
