// "What would following Exit Brain's logged decisions have returned?" for a position that
// closed while it only shadowed. Replays the decisions, at their timestamps, on the exchange's
// candles between open and close, with the backtester's fill rules (sim-trade: a gap fills a
// stop at the open; stop before target when a candle touches both). Fees and slippage are left
// out on both sides of the comparison, since the legacy side is measured from marks.
// Approximation: a candle is matched against the orders resting at its start; decisions made
// during it take effect from the next candle (market closes happen at once at the logged mark).
import { improvesStop, type Decision } from "../exit-brain";
import { defaultFillConfig, type CloseType, type FillConfig } from "../backtest/types";
import { marketClose, openTrade, processIntrabar, setStop, setTargets } from "../backtest/sim-trade";
import type { Candle, Side } from "../market/types";

export interface LoggedDecision {
  /** epoch ms of the evaluation */
  at: number;
  /** mark price the decision was made at (market closes fill there) */
  markPrice: number;
  decision: Decision;
}

export interface ShadowReplayInput {
  side: Side;
  entryPrice: number;
  leverage: number;
  openedAt: number;
  closedAt: number;
  /** price a remainder still open at closedAt is valued at (the legacy close price) */
  closePrice: number;
  timeframeMs: number;
  /** oldest first; may include candles outside [openedAt, closedAt] */
  candles: readonly Candle[];
  decisions: readonly LoggedDecision[];
}

export interface ShadowReplayResult {
  /** return on the original size, percent of entry (gross: no fees, no slippage) */
  returnPct: number;
  exit: string;
  /** decisions that changed the replayed position (holds and post-exit decisions excluded) */
  decisionsApplied: number;
  partialCloses: number;
  /**
   * Exit Brain had closed none of the position when legacy closed it: its return is only the
   * legacy close price's, so the position says nothing about Exit Brain's exits (the readiness
   * test leaves it out; see shadow-comparison-test).
   */
  heldToClose: boolean;
}

const EXIT_TEXT: Record<CloseType, string> = {
  STOP_LOSS: "stop (initial)",
  BREAKEVEN_STOP: "stop (breakeven)",
  TRAILING_STOP: "stop (trailing)",
  TAKE_PROFIT: "take-profit",
  TIME_LIMIT: "full_exit_now (time_limit)",
  EMERGENCY: "full_exit_now",
  LIQUIDATION: "liquidation",
  END_OF_DATA: "still open at the legacy close (valued at the close price)",
};

function stopType(d: Extract<Decision, { type: "move_sl" }>): CloseType {
  return d.slReason === "trailing" ? "TRAILING_STOP" : d.slReason === "breakeven" ? "BREAKEVEN_STOP" : "STOP_LOSS";
}

export function replayShadowDecisions(i: ShadowReplayInput): ShadowReplayResult {
  const cfg: FillConfig = { ...defaultFillConfig, takerFeePct: 0, makerFeePct: 0, slippagePct: 0, leverage: Math.max(1, i.leverage) };
  const entry: Candle = { openTime: i.openedAt, open: i.entryPrice, high: i.entryPrice, low: i.entryPrice, close: i.entryPrice, volume: 0 };
  const t = openTrade(0, i.side, entry, i.openedAt, cfg, null);
  const candles = i.candles.filter((c) => c.openTime + i.timeframeMs > i.openedAt && c.openTime <= i.closedAt);
  const decisions = [...i.decisions].filter((d) => d.at >= i.openedAt && d.at <= i.closedAt).sort((a, b) => a.at - b.at);
  let next = 0;
  let applied = 0;
  let exitText: string | null = null;

  const apply = (ld: LoggedDecision, index: number): void => {
    const d = ld.decision;
    switch (d.type) {
      case "hold":
        return;
      case "move_sl":
        if (!improvesStop(i.side, Number.isNaN(t.stop) ? null : t.stop, d.newSl)) return;
        setStop(t, d.newSl, stopType(d));
        break;
      case "set_tp":
        setTargets(t, [{ price: d.newTp, fraction: 1 }]);
        break;
      case "partial_close":
        marketClose(t, d.fraction, ld.markPrice, index, "TAKE_PROFIT", cfg);
        if (t.closeType !== null) exitText = "partial_close (last part)";
        break;
      case "full_exit_now":
        marketClose(t, 1, ld.markPrice, index, d.exitReason === "time_limit" ? "TIME_LIMIT" : "EMERGENCY", cfg);
        exitText = `full_exit_now (${d.exitReason})`;
        break;
    }
    applied++;
  };

  // Decisions made before the first candle starts are in force for it.
  const firstStart = candles[0]?.openTime ?? i.closedAt + 1;
  while (next < decisions.length && decisions[next]!.at < firstStart && t.closeType === null) apply(decisions[next++]!, 0);
  for (let k = 0; k < candles.length && t.closeType === null; k++) {
    const c = candles[k]!;
    if (processIntrabar(t, c, k + 1, cfg)) break;
    const end = c.openTime + i.timeframeMs;
    while (next < decisions.length && decisions[next]!.at < end && t.closeType === null) apply(decisions[next++]!, k + 1);
  }
  while (next < decisions.length && t.closeType === null) apply(decisions[next++]!, candles.length + 1);
  if (t.closeType === null) marketClose(t, 1, i.closePrice, candles.length + 1, "END_OF_DATA", cfg);
  const closeType = t.closeType ?? "END_OF_DATA";
  return {
    returnPct: t.realized * 100,
    exit: exitText ?? EXIT_TEXT[closeType],
    decisionsApplied: applied,
    partialCloses: t.partialFills,
    heldToClose: closeType === "END_OF_DATA" && t.partialFills === 0,
  };
}
