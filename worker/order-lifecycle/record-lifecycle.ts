// The leader's order lifecycle recorder: after each account refresh, every placed exit order whose
// life is not over is matched with the open orders the refresh saw (resting, or firing); one that
// left them is looked up by its deterministic client order id to learn how it ended (filled,
// cancelled, expired, rejected). Look-ups cost exchange request weight, so a cycle makes at most
// `maxLookUps`; the rest wait for the next cycle. The decision is pure (src/core/orders).
import type pg from "pg";
import { nextLifecycle, type LifecycleChange, type OrderObservation } from "../../src/core/orders/order-lifecycle";
import type { Logger } from "../../src/server/logger";
import type { ExchangeOrder, ExchangePort } from "../exchange/exchange-port";
import type { AccountSnapshot } from "../account/exchange-snapshot";
import { applyLifecycleChange, trackedOrders, type TrackedOrder } from "./lifecycle-store";

export interface LifecycleDeps {
  pool: pg.Pool;
  port: Pick<ExchangePort, "fetchOrderByClientId">;
  log: Logger;
  /** exchange look-ups per cycle at most (request weight) */
  maxLookUps?: number;
  /**
   * An order changed this recently (ms) may have been placed after the snapshot was taken: it is
   * not looked up as "gone" yet. Covers the snapshot's age plus the database/worker clock gap.
   */
  settleMs?: number;
  now?: () => number;
  /** fees from the user-data stream (the look-up does not report them); absent when polling */
  fees?: { feeOf(clientOrderId: string): { fee: number; asset: string | null } | null };
}

export interface LifecycleCycleResult {
  changed: number;
  lookedUp: number;
  /** left the open orders but the venue did not say how it ended (look-up failed or not found) */
  unresolved: number;
}

function observe(o: ExchangeOrder, fee: { fee: number; asset: string | null } | null = null): OrderObservation {
  if (o.status === "open") return { kind: "resting", firing: o.algoStatus === "TRIGGERING" || o.algoStatus === "TRIGGERED" };
  return { kind: "final", status: o.status, filled: o.filled, averagePrice: o.averagePrice, fee: fee?.fee ?? null, feeAsset: fee?.asset ?? null };
}

export async function recordLifecycle(d: LifecycleDeps, account: AccountSnapshot): Promise<LifecycleCycleResult> {
  const result: LifecycleCycleResult = { changed: 0, lookedUp: 0, unresolved: 0 };
  const now = d.now ?? Date.now;
  const settleMs = d.settleMs ?? 5_000;
  const maxLookUps = d.maxLookUps ?? 10;
  const byClientId = new Map<string, ExchangeOrder>();
  const byId = new Map<string, ExchangeOrder>();
  for (const o of account.openOrders) {
    if (o.clientOrderId) byClientId.set(o.clientOrderId, o);
    byId.set(`${o.symbol}:${o.id}`, o);
  }
  const write = async (t: TrackedOrder, change: LifecycleChange | null): Promise<void> => {
    if (!change) return;
    if (await applyLifecycleChange(d.pool, t.id, t.exchangeStatus, change)) {
      result.changed++;
      d.log.info(`[EXIT_ORDERS] ${t.module} ${t.orderType} ${t.symbol} ${t.clientOrderId}: ${change.detail}`);
    }
  };
  for (const t of await trackedOrders(d.pool)) {
    const seen = byClientId.get(t.clientOrderId) ?? (t.exchangeOrderId ? byId.get(`${t.symbol}:${t.exchangeOrderId}`) : undefined);
    if (seen) {
      await write(t, nextLifecycle(t.exchangeStatus, observe(seen)));
      continue;
    }
    // Not among the open orders: placed after the snapshot, or over. Only the latter is looked up.
    if (account.at - t.updatedAtMs < settleMs || now() - t.updatedAtMs < settleMs) continue;
    if (result.lookedUp >= maxLookUps) continue;
    result.lookedUp++;
    const found = await d.port.fetchOrderByClientId(t.symbol, t.clientOrderId, t.orderType !== "MARKET").catch((err: unknown) => {
      d.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_ORDERS] look-up of ${t.symbol} ${t.clientOrderId} failed; tried again next cycle`);
      return null;
    });
    if (!found) {
      result.unresolved++;
      continue;
    }
    const change = nextLifecycle(t.exchangeStatus, observe(found, d.fees?.feeOf(t.clientOrderId) ?? null));
    if (!change && found.status !== "open") result.unresolved++;
    await write(t, change);
  }
  return result;
}

/**
 * Runs the recorder after every account refresh (and every few seconds on the latest view) while
 * this worker leads; never two at once (one arriving meanwhile is skipped: the next covers it).
 */
export function followLifecycle(
  d: LifecycleDeps & { isLeader: () => boolean; everyMs?: number },
  snapshot: {
    on(event: "refreshed", fn: (a: AccountSnapshot) => void): unknown;
    off(event: "refreshed", fn: (a: AccountSnapshot) => void): unknown;
    latest(): AccountSnapshot | null;
  },
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const onRefresh = (account: AccountSnapshot): void => {
    if (running || !d.isLeader()) return;
    running = recordLifecycle(d, account)
      .then(() => undefined)
      .catch((err: unknown) => d.log.error({ err: err instanceof Error ? err.message : String(err) }, "[EXIT_ORDERS] lifecycle recording failed; next refresh retries"))
      .finally(() => (running = null));
  };
  snapshot.on("refreshed", onRefresh);
  // The account view may also be kept current by the user-data stream without a "refreshed"
  // event: the latest view is read every few seconds too.
  const timer = setInterval(() => {
    const latest = snapshot.latest();
    if (latest) onRefresh(latest);
  }, d.everyMs ?? 2_000);
  return {
    async stop() {
      clearInterval(timer);
      snapshot.off("refreshed", onRefresh);
      await running;
    },
  };
}
