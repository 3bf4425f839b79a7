// LIVE: Exit Brain owns the position's exits. On the first LIVE evaluation it takes over from
// the stop and target already on the exchange (never looser); afterwards it re-protects a
// position whose stop disappeared, and carries each decision out through the gateway, re-sending
// an order the venue rejected only after a back-off, under a new decision id.
import { applyDecision, createBrainState, evaluatePosition, observePrice, type MarketSnapshot } from "../../src/core/exit-brain";
import type { RetryAfterRejection } from "../../src/core/orders/retry-after-rejection";
import type { PositionSnapshot } from "../../src/core/market/types";
import { liveExecutingLine } from "../../src/core/decisions";
import { executorModeOf } from "../../src/core/toggles";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { AccountSnapshot } from "../account/exchange-snapshot";
import type { ToggleView, ToggleWatcher } from "../toggles/toggle-watcher";
import { carryOutPlan } from "./carry-out-plan";
import type { EvaluationContext, Times, Trigger } from "./evaluation-context";
import { exitOrdersOf } from "./exit-orders-of";
import { planLiveActions } from "./plan-live-actions";
import type { TrackedPosition } from "./tracked-position";

export interface LiveContext extends EvaluationContext {
  gateway: Pick<ExitOrderGateway, "submit" | "cancel">;
  toggles: Pick<ToggleWatcher, "view">;
  /** leadership right now (false on any doubt) */
  canAct: () => boolean;
  leaderEpoch?: () => number | null;
  retries: RetryAfterRejection;
  now: () => number;
  /** counters the executor publishes */
  counts: { errors: number; ordersPlaced: number };
}

export async function evaluateLive(
  ctx: LiveContext, t: TrackedPosition, position: PositionSnapshot, market: MarketSnapshot, trigger: Trigger, view: ToggleView, snap: AccountSnapshot, times: Times,
): Promise<void> {
  const now = times.exchange;
  const resting = exitOrdersOf(snap.openOrders, position.symbol, position.side, position.markPrice, times.wall);
  let state = t.lastMode === "LIVE" ? t.live : null;
  if (!state) {
    // Taking over: start from the stop / target already on the exchange, never looser.
    state = createBrainState(position, now, resting.existing);
    const best = t.virtual?.bestPrice;
    if (best !== undefined) state = observePrice(state, best, best);
    t.own = { stops: [], takeProfits: [] };
    t.everLive = true;
    ctx.log.info(
      `[EXIT_BRAIN_LIVE] Taking over ${position.symbol} ${position.side}: existing stop=${resting.existing.stopPrice ?? "none"}, tp=${resting.existing.takeProfitPrice ?? "none"}`,
    );
  } else if (state.stopPrice !== null && resting.protectingStops.length === 0 && snap.at > t.lastActionAt + 1000) {
    // The exchange no longer shows a working stop (cancelled by hand, expired, stuck firing):
    // protect it again.
    ctx.log.warn(`[EXIT_BRAIN_LIVE] ${position.symbol} ${position.side}: no stop on the exchange any more (expected $${state.stopPrice}); placing a new one`);
    state = { ...state, stopPrice: null, slReason: null };
    t.own.stops = [];
  }
  state = observePrice(state, position.markPrice, position.markPrice);
  for (let k = 0; k < ctx.config.maxActionsPerEvaluation; k++) {
    const d = evaluatePosition(position, market, state, ctx.config.params, now);
    if (d.type === "hold") {
      if (trigger === "interval") ctx.record(t, position, d, "LIVE", view.version, times.wall);
      break;
    }
    // The kill switch may have committed meanwhile: never start an order outside LIVE.
    if (executorModeOf(ctx.toggles.view().state) !== "LIVE" || !ctx.canAct()) break;
    ctx.log.info(liveExecutingLine(position, d));
    ctx.record(t, position, d, "LIVE", view.version, times.wall);
    const plan = planLiveActions({ decision: d, position, positionKey: t.key, toggleVersion: view.version, resting, own: t.own });
    const baseId = plan.submit?.decisionId;
    if (plan.submit && baseId) {
      const id = ctx.retries.retryIdFor(baseId, ctx.now());
      if (id === null) break; // rejected before: wait for the back-off before sending it again
      plan.submit = { ...plan.submit, decisionId: id };
    }
    const done = await carryOutPlan(
      { gateway: ctx.gateway, log: ctx.log, under: { state: view.state, toggleVersion: view.version, leaderEpoch: ctx.leaderEpoch?.() ?? null } },
      plan, position,
    );
    ctx.counts.errors += done.errors;
    if (baseId && done.outcome) ctx.retries.record(baseId, t.key, done.outcome, ctx.now());
    if (!done.placed) break;
    ctx.counts.ordersPlaced++;
    t.lastActionAt = ctx.now();
    if (plan.submit?.orderType === "STOP_MARKET") t.own.stops = done.placedRef ? [done.placedRef] : [];
    if (plan.submit?.orderType === "TAKE_PROFIT_MARKET") t.own.takeProfits = done.placedRef ? [done.placedRef] : [];
    if (plan.submit?.kind === "close") t.own = { stops: [], takeProfits: [] };
    state = applyDecision(state, d);
    // Size changed: decide again on fresh exchange data rather than on a stale size.
    if (d.type === "partial_close" || d.type === "full_exit_now") break;
  }
  t.live = state;
}
