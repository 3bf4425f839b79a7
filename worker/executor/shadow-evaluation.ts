// SHADOW: Exit Brain decides against a virtual brain state and places nothing. Each decision is
// logged and recorded; the virtual stop or take-profit closes the virtual position when the
// price crosses it (a virtual fill), as it would have on the exchange.
import { applyDecision, createBrainState, evaluatePosition, observePrice, type BrainState, type MarketSnapshot } from "../../src/core/exit-brain";
import type { PositionSnapshot } from "../../src/core/market/types";
import { pnlPct } from "../../src/core/market/types";
import { shadowDecisionLine } from "../../src/core/decisions";
import type { Logger } from "../../src/server/logger";
import type { EvaluationContext, Times, Trigger } from "./evaluation-context";
import type { TrackedPosition } from "./tracked-position";

const isNum = (x: number | null): x is number => x !== null && Number.isFinite(x);

export function evaluateShadow(
  ctx: EvaluationContext, t: TrackedPosition, position: PositionSnapshot, market: MarketSnapshot, trigger: Trigger, version: number | null, times: Times,
): void {
  const now = times.exchange;
  // Shadow state: its own decisions from a fresh start (so the log and the replay show the
  // whole policy), or, right after LIVE, the real state it leaves behind.
  let state: BrainState = (t.lastMode === "LIVE" ? t.live : t.virtual) ?? createBrainState(position, now);
  state = observePrice(state, position.markPrice, position.markPrice);
  state = virtualFills(ctx.log, state, position);
  const subject = { symbol: position.symbol, side: position.side, size: position.size, pnlPct: pnlPct(position.side, position.entryPrice, position.markPrice) };
  for (let k = 0; k < ctx.config.maxActionsPerEvaluation; k++) {
    const d = evaluatePosition(position, market, state, ctx.config.params, now);
    // Holds go out once per interval, not on every price tick.
    if (d.type !== "hold" || trigger === "interval") {
      ctx.log.info(shadowDecisionLine(subject, d));
      ctx.record(t, position, d, "SHADOW", version, times.wall);
    }
    if (d.type === "hold") break;
    t.decisions.push({ at: now, markPrice: position.markPrice, decision: d });
    const next = applyDecision(state, d);
    if (next === state) break;
    state = next;
  }
  t.virtual = state;
}

/** The virtual stop or take-profit the price crossed closes the shadow position (it would have). */
function virtualFills(log: Logger, state: BrainState, p: PositionSnapshot): BrainState {
  if (state.closed) return state;
  const sign = p.side === "long" ? 1 : -1;
  const stopHit = isNum(state.stopPrice) && sign * (p.markPrice - state.stopPrice) <= 0;
  const tpHit = isNum(state.takeProfitPrice) && sign * (p.markPrice - state.takeProfitPrice) >= 0;
  if (!stopHit && !tpHit) return state;
  const what = stopHit ? `stop $${state.stopPrice!.toFixed(4)}` : `take-profit $${state.takeProfitPrice!.toFixed(4)}`;
  log.info(`[EXIT_BRAIN_SHADOW] ${p.symbol} ${p.side} virtual ${what} reached at mark $${p.markPrice.toFixed(4)}: the shadow position is closed`);
  return { ...state, closed: true };
}
