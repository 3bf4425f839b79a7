// What the engine asks of an exit policy. Adapters translate a policy's own output (Exit
// Brain decisions, legacy protective orders) into resting orders and market closes on the
// simulated trade; the rules themselves are the same functions the worker calls.
import type { Candle, PositionSnapshot } from "../market/types";
import type { MarketSnapshot } from "../exit-brain/market-snapshot";
import type { SimTrade } from "./sim-trade";
import type { FillConfig } from "./types";

export interface PolicyContext {
  readonly candle: Candle;
  readonly index: number;
  readonly market: MarketSnapshot;
  /** close time of the candle, epoch ms */
  readonly now: number;
  readonly cfg: FillConfig;
}

export interface BacktestPolicy<S> {
  readonly name: string;
  /** ATR period the market snapshot should use */
  readonly atrPeriod: number;
  /** initial per-trade state, at the entry fill */
  init(position: PositionSnapshot, ctx: PolicyContext): S;
  /**
   * At the entry candle's close (entry = true) and every later close while the trade is open.
   * May set the stop / targets or close some or all of the trade.
   */
  onClose(trade: SimTrade<S>, ctx: PolicyContext, entry: boolean): void;
}
