// The legacy modules as a backtest policy: at entry, place the protective orders the module
// wants (the same functions the worker's legacy modules diff against open orders); after a
// take-profit rung fills, ask again with the filled count.
import { hybridTpslOrders } from "../legacy/hybrid-tpsl-rule";
import type { HybridTpslParams, PositionMonitorParams } from "../legacy/legacy-params";
import { positionMonitorOrders } from "../legacy/position-monitor-rule";
import type { ProtectiveOrder } from "../legacy/protective-order";
import type { BacktestPolicy } from "./policy";
import { markPosition, setStop, setTargets, type SimTrade } from "./sim-trade";

export type LegacyModule =
  | { module: "position_monitor"; params: PositionMonitorParams }
  | { module: "hybrid_tpsl"; params: HybridTpslParams };

interface LegacyState {
  placedForFilled: number;
}

function place(t: SimTrade<LegacyState>, orders: readonly ProtectiveOrder[]): void {
  const tps: { price: number; fraction: number }[] = [];
  for (const o of orders) {
    if (o.kind === "sl") {
      if (Number.isNaN(t.stop)) setStop(t, o.price, "STOP_LOSS");
    } else tps.push({ price: o.price, fraction: o.fraction });
  }
  setTargets(t, tps);
}

export function legacyPolicy(legacy: LegacyModule): BacktestPolicy<LegacyState> {
  const ordersFor = (t: SimTrade<LegacyState>): ProtectiveOrder[] =>
    legacy.module === "position_monitor" ? positionMonitorOrders(t.position, legacy.params) : hybridTpslOrders(t.position, legacy.params, t.targetsFilled);
  return {
    name: "legacy",
    atrPeriod: 14,
    init: () => ({ placedForFilled: -1 }),
    onClose(t, ctx) {
      if (t.state.placedForFilled === t.targetsFilled) return;
      markPosition(t, ctx.candle.close);
      place(t, ordersFor(t));
      t.state = { placedForFilled: t.targetsFilled };
    },
  };
}
