import { describe, expect, it } from "vitest";
import { ExitOrderRefusedError } from "./classify-error";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import type { MarketInfo } from "./exchange-port";
import { prepareExitOrder, type Precision } from "./exit-order-rules";

const market: MarketInfo = { symbol: "BTCUSDT", unified: "BTC/USDT:USDT", tickSize: 0.1, stepSize: 0.001, minQty: 0.001, minNotional: 100 };
// Same behaviour as ccxt for this market: amounts truncate to 3 decimals, prices round to 1.
const precision: Precision = {
  amountToPrecision: (_s, a) => (Math.trunc(a * 1000 + 1e-9) / 1000).toFixed(3),
  priceToPrecision: (_s, p) => p.toFixed(1),
};
const base: ExitOrderRequest = {
  module: "exit_executor", kind: "close", decisionId: "d1", symbol: "BTCUSDT", positionSide: "long", side: "sell", orderType: "MARKET", quantity: 0.0109, reduceOnly: true,
};
const prep = (r: Partial<ExitOrderRequest>) => prepareExitOrder({ ...base, ...r } as ExitOrderRequest, market, precision, "eb-x");
const hedged = (r: Partial<ExitOrderRequest>) => prepareExitOrder({ ...base, ...r } as ExitOrderRequest, market, precision, "eb-x", "hedge");

describe("prepareExitOrder", () => {
  it("refuses a request that is not reduce-only", () => {
    expect(() => prep({ reduceOnly: false as unknown as true })).toThrow(ExitOrderRefusedError);
    expect(() => prep({ reduceOnly: undefined as unknown as true })).toThrow(/must be reduce-only/);
  });

  it("rounds the quantity down to the step and sends reduceOnly with the client id", () => {
    expect(prep({})).toEqual({ unified: "BTC/USDT:USDT", side: "sell", amount: 0.01, params: { clientOrderId: "eb-x", reduceOnly: true }, conditional: false });
  });

  it("refuses a quantity below the minimum after rounding", () => {
    expect(() => prep({ quantity: 0.0009 })).toThrow(/rounds to 0 .*below the minimum 0.001/);
  });

  it("never refuses a reduce-only order for its size: a part below min notional goes out (Binance exempts reduce-only)", () => {
    // 0.001 BTC at ~50,000 is ~50 USDT, under this market's 100 USDT minimum.
    expect(prep({ quantity: 0.001 })).toMatchObject({ amount: 0.001, params: { reduceOnly: true } });
    expect(prep({ orderType: "STOP_MARKET", quantity: 0.001, stopPrice: 48_000 })).toMatchObject({ amount: 0.001, params: { reduceOnly: true, stopLossPrice: 48_000 } });
  });

  it("shapes stop, take-profit and trailing orders with rounded prices", () => {
    expect(prep({ orderType: "STOP_MARKET", stopPrice: 48_000.04 }).params).toMatchObject({ stopLossPrice: 48_000, reduceOnly: true });
    expect(prep({ orderType: "TAKE_PROFIT_MARKET", stopPrice: 52_000.06, closePosition: true })).toMatchObject({ amount: 0, params: {
      clientOrderId: "eb-x", closePosition: true, takeProfitPrice: 52_000.1,
    } });
    expect(prep({ orderType: "TAKE_PROFIT_MARKET", stopPrice: 52_000.06, closePosition: true }).params).not.toHaveProperty("reduceOnly");
    expect(prep({ orderType: "TRAILING_STOP_MARKET", callbackRate: 1.04, activationPrice: 51_000 }).params).toMatchObject({ trailingPercent: 1, activatePrice: 51_000 });
  });

  it("says what is missing", () => {
    expect(() => prep({ orderType: "STOP_MARKET" })).toThrow(/stopPrice must be > 0/);
    expect(() => prep({ orderType: "TRAILING_STOP_MARKET", callbackRate: 20 })).toThrow(/between 0.1 and 10/);
    expect(() => prep({ closePosition: true })).toThrow(/market close needs a quantity/);
  });

  it("hedge mode: names the position side and sends no reduceOnly (Binance refuses it there, -1106)", () => {
    expect(hedged({})).toEqual({ unified: "BTC/USDT:USDT", side: "sell", amount: 0.01, params: { clientOrderId: "eb-x", positionSide: "LONG" }, conditional: false });
    expect(hedged({ positionSide: "short", side: "buy", orderType: "STOP_MARKET", stopPrice: 52_000 }).params).toEqual({ clientOrderId: "eb-x", positionSide: "SHORT", stopLossPrice: 52_000 });
    expect(hedged({ orderType: "STOP_MARKET", stopPrice: 48_000, closePosition: true }).params).toEqual({ clientOrderId: "eb-x", positionSide: "LONG", closePosition: true, stopLossPrice: 48_000 });
    expect(() => hedged({ reduceOnly: false as unknown as true })).toThrow(/must be reduce-only/);
  });
});
