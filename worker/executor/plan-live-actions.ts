// LIVE: what one decision means on the exchange, as data. One reduce-only order through the
// gateway (module exit_executor), then the cancels that may only run once it was placed:
//   move_sl       STOP_MARKET at the new stop (kind sl; trailing moves kind trailing), then
//                 cancel the old stop(s)   - a position is never without a stop in between
//   set_tp        TAKE_PROFIT_MARKET (kind tp), then cancel the old take-profit(s)
//   partial_close reduce-only MARKET for fraction x size (kind partial_tp)
//   full_exit_now reduce-only MARKET for the whole size (kind close), then cancel every other
//                 exit order of the position (a fraction of 1 is a full exit too)
// Pure: the executor carries the plan out (carry-out-plan.ts).
import type { Decision } from "../../src/core/exit-brain";
import { closingSide, type ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { EXECUTOR_MODULE } from "../../src/core/gateway/modules";
import type { PositionSnapshot } from "../../src/core/market/types";
import { decisionIdFor } from "../../src/core/decisions";
import type { OrderRef } from "../exchange/exchange-port";
import { refOf, type PositionExitOrders } from "./exit-orders-of";

export interface OwnOrders {
  /** stops / take-profits this executor placed that the snapshot may not show yet */
  stops: OrderRef[];
  takeProfits: OrderRef[];
}

export interface LivePlanInput {
  decision: Decision;
  position: PositionSnapshot;
  positionKey: string;
  toggleVersion: number | null;
  resting: PositionExitOrders;
  own: OwnOrders;
}

export interface LivePlan {
  submit: ExitOrderRequest | null;
  /** cancel these only after `submit` was placed */
  cancelAfterPlaced: OrderRef[];
}

function uniqueRefs(refs: readonly OrderRef[]): OrderRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.symbol}|${r.id ?? ""}|${r.clientOrderId ?? ""}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function planLiveActions(i: LivePlanInput): LivePlan {
  const { decision: d, position: p } = i;
  const base = {
    module: EXECUTOR_MODULE, symbol: p.symbol, positionSide: p.side, side: closingSide(p.side), positionSize: p.size, reduceOnly: true,
    decisionId: decisionIdFor(i.positionKey, d, i.toggleVersion),
  } as const;
  const fullExit = (): LivePlan => ({
    submit: { ...base, kind: "close", orderType: "MARKET", quantity: p.size, stopPrice: null },
    cancelAfterPlaced: uniqueRefs([...i.resting.all.map(refOf), ...i.own.stops, ...i.own.takeProfits]),
  });
  switch (d.type) {
    case "hold":
      return { submit: null, cancelAfterPlaced: [] };
    case "move_sl":
      return {
        submit: { ...base, kind: d.slReason === "trailing" ? "trailing" : "sl", orderType: "STOP_MARKET", quantity: p.size, stopPrice: d.newSl },
        cancelAfterPlaced: uniqueRefs([...i.resting.stops.map(refOf), ...i.own.stops]),
      };
    case "set_tp":
      return {
        submit: { ...base, kind: "tp", orderType: "TAKE_PROFIT_MARKET", quantity: p.size, stopPrice: d.newTp },
        cancelAfterPlaced: uniqueRefs([...i.resting.takeProfits.map(refOf), ...i.own.takeProfits]),
      };
    case "partial_close":
      if (d.fraction >= 1) return fullExit();
      return { submit: { ...base, kind: "partial_tp", orderType: "MARKET", quantity: d.fraction * p.size, stopPrice: null }, cancelAfterPlaced: [] };
    case "full_exit_now":
      return fullExit();
  }
}
