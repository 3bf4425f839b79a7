// Exit Brain as a backtest policy: per candle, observe the candle, then evaluate and apply
// decisions until it holds (the executor likewise re-evaluates after each action), calling
// exactly the functions the executor calls.
import { applyDecision, createBrainState, observeCandle, type BrainState } from "../exit-brain/brain-state";
import type { Decision, SlReason } from "../exit-brain/decision";
import { evaluatePosition } from "../exit-brain/evaluate-position";
import type { ExitBrainParams } from "../exit-brain/params";
import type { BacktestPolicy, PolicyContext } from "./policy";
import { markPosition, marketClose, setStop, setTargets, type SimTrade } from "./sim-trade";
import type { CloseType } from "./types";

const MAX_ACTIONS_PER_CANDLE = 6;

function stopCloseType(r: SlReason): CloseType {
  return r === "trailing" ? "TRAILING_STOP" : r === "breakeven" ? "BREAKEVEN_STOP" : "STOP_LOSS";
}

function execute(t: SimTrade<BrainState>, d: Decision, ctx: PolicyContext): void {
  switch (d.type) {
    case "move_sl":
      setStop(t, d.newSl, stopCloseType(d.slReason));
      return;
    case "set_tp":
      setTargets(t, [{ price: d.newTp, fraction: 1 }]);
      return;
    case "partial_close":
      marketClose(t, d.fraction, ctx.candle.close, ctx.index, "TAKE_PROFIT", ctx.cfg);
      return;
    case "full_exit_now": {
      const type: CloseType = d.exitReason === "time_limit" ? "TIME_LIMIT" : d.exitReason === "trailing_stop" ? "TRAILING_STOP" : "EMERGENCY";
      marketClose(t, 1, ctx.candle.close, ctx.index, type, ctx.cfg);
      return;
    }
    case "hold":
      return;
  }
}

export function brainPolicy(params: ExitBrainParams): BacktestPolicy<BrainState> {
  return {
    name: "brain",
    atrPeriod: params.atrPeriod,
    init: (position, ctx) => createBrainState(position, ctx.now),
    onClose(t, ctx, entry) {
      if (!entry) t.state = observeCandle(t.state, ctx.candle);
      markPosition(t, ctx.candle.close);
      for (let k = 0; k < MAX_ACTIONS_PER_CANDLE && t.closeType === null; k++) {
        const d = evaluatePosition(t.position, ctx.market, t.state, params, ctx.now);
        if (d.type === "hold") break;
        execute(t, d, ctx);
        t.state = applyDecision(t.state, d);
        t.position.size = t.remaining;
      }
    },
  };
}
