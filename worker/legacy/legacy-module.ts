// The legacy exit modules the product replaces: `position_monitor` (a stop and a take-profit at
// fixed distances) and `hybrid_tpsl` (a stop plus a partial take-profit ladder). They run in
// every state and know nothing of Exit Brain: each cycle they place whatever protective order is
// missing, through the gateway, which blocks them in LIVE (that is the point) — except for a
// position an operator handed back to legacy (worker/position-actions/), which they protect.
import { hybridTpslOrders, positionMonitorOrders, defaultHybridTpslParams, defaultPositionMonitorParams, type ProtectiveOrder } from "../../src/core/legacy";
import { missingProtectiveOrders } from "../../src/core/legacy/missing-protective-orders";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import type { RetryAfterRejection } from "../../src/core/orders/retry-after-rejection";
import type { LegacyModule } from "../../src/core/gateway/modules";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { Logger } from "../../src/server/logger";
import type { DecidedUnder, ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { AccountSnapshot } from "../account/exchange-snapshot";
import { handedBackPositions } from "../position-actions/handed-back";

export interface LegacyCycleResult {
  submitted: number;
  /** refused earlier and still waiting for its retry back-off */
  waiting: number;
  placed: number;
  blocked: number;
  failed: number;
  /** client order ids of the orders placed (what the account cycle waits to see in the view) */
  placedClientIds: string[];
  /** sends whose result is unknown (outcome "failed", or an error): the order may exist on the venue */
  unsure: number;
}

/** What one legacy module remembers between cycles. */
export interface LegacyMemory {
  ladder: LadderProgress;
  retries: RetryAfterRejection;
}

/** Remembers the best price per position so `hybrid_tpsl` knows which rungs have filled. */
export class LadderProgress {
  private best = new Map<string, number>();
  levelsFilled(p: PositionSnapshot, ladderPcts: readonly number[]): number {
    const key = positionKey(p);
    const prev = this.best.get(key);
    const best = prev === undefined ? p.markPrice : p.side === "long" ? Math.max(prev, p.markPrice) : Math.min(prev, p.markPrice);
    this.best.set(key, best);
    const gainPct = ((p.side === "long" ? best - p.entryPrice : p.entryPrice - best) / p.entryPrice) * 100;
    return ladderPcts.filter((pct) => gainPct >= pct).length;
  }
  forgetExcept(keys: Set<string>): void {
    for (const k of this.best.keys()) if (!keys.has(k)) this.best.delete(k);
  }
}

export function positionKey(p: Pick<PositionSnapshot, "symbol" | "side" | "entryPrice">): string {
  return `${p.symbol}:${p.side}:${p.entryPrice}`;
}

export function desiredOrders(module: LegacyModule, p: PositionSnapshot, ladder: LadderProgress): ProtectiveOrder[] {
  if (module === "position_monitor") return positionMonitorOrders(p, defaultPositionMonitorParams);
  const filled = ladder.levelsFilled(p, defaultHybridTpslParams.levels.map((l) => l.pct));
  return hybridTpslOrders(p, defaultHybridTpslParams, filled);
}

export function toGatewayRequest(module: LegacyModule, p: PositionSnapshot, o: ProtectiveOrder, toggleVersion: number | null): ExitOrderRequest {
  return {
    module,
    kind: o.kind,
    symbol: p.symbol,
    positionSide: p.side,
    side: o.closeSide,
    orderType: o.kind === "sl" ? "STOP_MARKET" : "TAKE_PROFIT_MARKET",
    quantity: o.quantity,
    positionSize: p.size,
    stopPrice: o.price,
    reduceOnly: true,
    // Same position + same order + same configuration = same decision (a retry never duplicates);
    // a new toggle version is a new decision, so a rollback lets the legacy modules act again.
    decisionId: `${module}:${positionKey(p)}:${o.kind}:${o.price.toPrecision(10)}:v${toggleVersion ?? 0}`,
  };
}

export async function runLegacyCycle(
  module: LegacyModule,
  account: AccountSnapshot,
  gateway: Pick<ExitOrderGateway, "submit">,
  under: DecidedUnder,
  memory: LegacyMemory,
  log: Logger,
  now: () => number = Date.now,
): Promise<LegacyCycleResult> {
  const r: LegacyCycleResult = { submitted: 0, waiting: 0, placed: 0, blocked: 0, failed: 0, placedClientIds: [], unsure: 0 };
  for (const p of account.positions) {
    try {
      const existing = account.openOrders.filter((o) => o.symbol === p.symbol);
      for (const o of missingProtectiveOrders(desiredOrders(module, p, memory.ladder), existing)) {
        // A position an operator handed back is legacy's to protect even in LIVE (issue 16).
        const req = { ...toGatewayRequest(module, p, o, under.toggleVersion), ...(handedBackPositions.has(p.symbol, p.side) ? { handedBack: true } : {}) };
        // A stop the venue refused is tried again after a back-off, under a new decision id.
        const decisionId = memory.retries.retryIdFor(req.decisionId, now());
        if (decisionId === null) {
          r.waiting++;
          continue;
        }
        r.submitted++;
        const res = await gateway.submit({ ...req, decisionId }, under);
        memory.retries.record(req.decisionId, positionKey(p), res.outcome, now());
        if (res.outcome === "placed") r.placedClientIds.push(res.clientOrderId);
        if (res.outcome === "placed") r.placed++;
        else if (res.outcome === "blocked") r.blocked++;
        else r.failed++;
        if (res.outcome === "failed") r.unsure++;
      }
    } catch (err) {
      r.failed++;
      r.unsure++;
      log.error({ err: err instanceof Error ? err.message : String(err) }, `[LEGACY] ${module}: ${p.symbol} failed; continuing with the other positions`);
    }
  }
  const open = new Set(account.positions.map(positionKey));
  memory.ladder.forgetExcept(open);
  memory.retries.forgetGroupsExcept(open);
  return r;
}
