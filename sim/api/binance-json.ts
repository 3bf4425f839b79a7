// Engine objects → the JSON shapes Binance's futures API returns (numbers as strings).
import type { Candle } from "../../src/core/market/types";
import type { MarketSpec } from "../engine/market-spec";
import type { AlgoOrder, PlainOrder } from "../engine/order-types";
import type { Position } from "../engine/position-book";
import type { Simulator } from "../engine/simulator";

const fix = (v: number, decimals: number): string => v.toFixed(Math.max(0, decimals));
const num = (v: number): string => String(Number(v.toPrecision(12)));

const ORDER_TYPES = ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"];

export function exchangeInfoJson(sim: Simulator, serverTime: number) {
  return {
    timezone: "UTC",
    serverTime,
    futuresType: "U_MARGINED",
    rateLimits: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 2400 }],
    exchangeFilters: [],
    assets: [{ asset: "USDT", marginAvailable: true, autoAssetExchange: "-10000" }],
    symbols: [...sim.specs.values()].map((s) => symbolJson(s, sim.engine.maxAlgoOrdersPerSymbol)),
  };
}

function symbolJson(s: MarketSpec, maxAlgoOrders: number) {
  const pd = s.pricePrecision;
  const qd = s.quantityPrecision;
  return {
    symbol: s.symbol, pair: s.symbol, contractType: "PERPETUAL", deliveryDate: 4133404800000, onboardDate: 1569398400000,
    status: "TRADING", maintMarginPercent: "2.5000", requiredMarginPercent: "5.0000", baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset, marginAsset: "USDT", pricePrecision: pd, quantityPrecision: qd, baseAssetPrecision: 8,
    quotePrecision: 8, underlyingType: "COIN", underlyingSubType: [], triggerProtect: "0.0500", liquidationFee: "0.012500",
    marketTakeBound: "0.05", maxMoveOrderLimit: 10000,
    filters: [
      { filterType: "PRICE_FILTER", minPrice: fix(s.minPrice, pd), maxPrice: fix(s.maxPrice, pd), tickSize: fix(s.tickSize, pd) },
      { filterType: "LOT_SIZE", stepSize: fix(s.stepSize, qd), minQty: fix(s.minQty, qd), maxQty: num(s.maxQty) },
      { filterType: "MARKET_LOT_SIZE", stepSize: fix(s.stepSize, qd), minQty: fix(s.minQty, qd), maxQty: num(s.marketMaxQty) },
      { filterType: "MAX_NUM_ORDERS", limit: 200 },
      { filterType: "MAX_NUM_ALGO_ORDERS", limit: maxAlgoOrders },
      { filterType: "MIN_NOTIONAL", notional: num(s.minNotional) },
      { filterType: "PERCENT_PRICE", multiplierUp: "1.0500", multiplierDown: "0.9500", multiplierDecimal: "4" },
    ],
    orderTypes: ORDER_TYPES,
    timeInForce: ["GTC", "IOC", "FOK", "GTX", "GTD"],
  };
}

export function leverageBracketJson(sim: Simulator) {
  return [...sim.specs.values()].map((s) => ({
    symbol: s.symbol,
    notionalCoef: 1,
    brackets: [
      { bracket: 1, initialLeverage: s.maxLeverage, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: s.maintMarginRatio, cum: 0 },
      { bracket: 2, initialLeverage: Math.max(1, Math.floor(s.maxLeverage / 2)), notionalCap: 10_000_000, notionalFloor: 50_000, maintMarginRatio: s.maintMarginRatio * 2, cum: 50_000 * s.maintMarginRatio },
    ],
  }));
}

export function orderJson(o: PlainOrder, spec: MarketSpec) {
  const pd = spec.pricePrecision;
  const qd = spec.quantityPrecision;
  return {
    orderId: o.orderId, symbol: o.symbol, status: o.status, clientOrderId: o.clientOrderId, price: fix(o.price, pd),
    avgPrice: fix(o.avgPrice, pd), origQty: fix(o.origQty, qd), executedQty: fix(o.executedQty, qd), cumQty: fix(o.executedQty, qd),
    cumQuote: fix(o.cumQuote, 5), timeInForce: o.timeInForce, type: o.type, reduceOnly: o.reduceOnly, closePosition: o.closePosition,
    side: o.side, positionSide: o.positionSide, stopPrice: fix(o.stopPrice, pd), workingType: "CONTRACT_PRICE", priceProtect: false,
    origType: o.origType, priceMatch: "NONE", selfTradePreventionMode: "EXPIRE_MAKER", goodTillDate: 0, time: o.time,
    updateTime: o.updateTime,
  };
}

export function algoJson(a: AlgoOrder, spec: MarketSpec) {
  const pd = spec.pricePrecision;
  return {
    algoId: a.algoId, clientAlgoId: a.clientAlgoId, algoType: "CONDITIONAL", orderType: a.orderType, symbol: a.symbol,
    side: a.side, positionSide: a.positionSide, timeInForce: "GTC", quantity: fix(a.quantity, spec.quantityPrecision),
    algoStatus: a.algoStatus, triggerPrice: fix(a.triggerPrice, pd), price: fix(0, pd), icebergQuantity: null,
    selfTradePreventionMode: "EXPIRE_MAKER", workingType: "CONTRACT_PRICE", priceMatch: "NONE", closePosition: a.closePosition,
    priceProtect: false, reduceOnly: a.reduceOnly, activatePrice: a.activationPrice === null ? undefined : fix(a.activationPrice, pd),
    callbackRate: a.callbackRate === null ? undefined : String(a.callbackRate), createTime: a.createTime, updateTime: a.updateTime,
    triggerTime: a.triggerTime, goodTillDate: 0, actualOrderId: a.actualOrderId === null ? "" : String(a.actualOrderId),
    // what the order placed at the trigger did: its average price and executed quantity
    actualPrice: fix(a.avgPrice, pd), avgPrice: fix(a.avgPrice, pd), executedQty: fix(a.executedQty, spec.quantityPrecision),
  };
}

export function positionRiskJson(sim: Simulator, p: Position) {
  const spec = sim.specs.get(p.symbol)!;
  const mark = sim.feed.price(p.symbol);
  const notional = p.amt * mark;
  const im = sim.engine.book.initialMargin(p, mark);
  return {
    symbol: p.symbol, positionSide: p.positionSide, positionAmt: fix(p.amt, spec.quantityPrecision), entryPrice: num(p.entryPrice),
    breakEvenPrice: num(p.entryPrice), markPrice: num(mark), unRealizedProfit: num(sim.engine.book.unrealizedPnl(p, mark)),
    liquidationPrice: num(Math.max(0, sim.engine.book.liquidationPrice(p, spec))), isolatedMargin: "0", notional: num(notional),
    marginAsset: "USDT", isolatedWallet: "0", initialMargin: num(im), maintMargin: num(Math.abs(notional) * spec.maintMarginRatio),
    positionInitialMargin: num(im), openOrderInitialMargin: "0", adl: 0, bidNotional: "0", askNotional: "0",
    // v2 fields, harmless in v3: ccxt reads leverage and margin type from them when present
    leverage: String(p.leverage), marginType: "cross", updateTime: p.updateTime,
  };
}

export function accountJson(sim: Simulator) {
  const book = sim.engine.book;
  const t = book.totals((s) => sim.feed.price(s));
  const wallet = num(book.walletBalance);
  const now = sim.clock.now();
  return {
    totalInitialMargin: num(t.initialMargin), totalMaintMargin: "0", totalWalletBalance: wallet,
    totalUnrealizedProfit: num(t.unrealized), totalMarginBalance: num(book.walletBalance + t.unrealized),
    totalPositionInitialMargin: num(t.initialMargin), totalOpenOrderInitialMargin: "0", totalCrossWalletBalance: wallet,
    totalCrossUnPnl: num(t.unrealized), availableBalance: num(t.available), maxWithdrawAmount: num(Math.max(0, t.available)),
    assets: [
      {
        asset: "USDT", walletBalance: wallet, unrealizedProfit: num(t.unrealized), marginBalance: num(book.walletBalance + t.unrealized),
        maintMargin: "0", initialMargin: num(t.initialMargin), positionInitialMargin: num(t.initialMargin), openOrderInitialMargin: "0",
        crossWalletBalance: wallet, crossUnPnl: num(t.unrealized), availableBalance: num(t.available),
        maxWithdrawAmount: num(Math.max(0, t.available)), updateTime: now,
      },
    ],
    positions: book.all().map((p) => {
      const mark = sim.feed.price(p.symbol);
      return {
        symbol: p.symbol, positionSide: p.positionSide, positionAmt: num(p.amt), unrealizedProfit: num(book.unrealizedPnl(p, mark)),
        isolatedMargin: "0", notional: num(p.amt * mark), isolatedWallet: "0", initialMargin: num(book.initialMargin(p, mark)),
        maintMargin: "0", updateTime: p.updateTime,
      };
    }),
  };
}

export function balanceJson(sim: Simulator) {
  const a = accountJson(sim).assets[0]!;
  return [
    {
      accountAlias: "SimFuture", asset: "USDT", balance: a.walletBalance, crossWalletBalance: a.crossWalletBalance,
      crossUnPnl: a.crossUnPnl, availableBalance: a.availableBalance, maxWithdrawAmount: a.maxWithdrawAmount,
      marginAvailable: true, updateTime: a.updateTime,
    },
  ];
}

export function ticker24hJson(sim: Simulator, symbol: string) {
  const s = sim.feed.stats24h(symbol);
  const now = sim.clock.now();
  const change = s.close - s.open;
  return {
    symbol, priceChange: num(change), priceChangePercent: (change / s.open * 100).toFixed(3), weightedAvgPrice: num((s.high + s.low + s.close) / 3),
    lastPrice: num(s.close), lastQty: "0.001", openPrice: num(s.open), highPrice: num(s.high), lowPrice: num(s.low),
    volume: num(s.volume), quoteVolume: num(s.quoteVolume), openTime: s.openTime, closeTime: now, firstId: 1, lastId: 2, count: 1,
  };
}

export function klineJson(c: Candle, intervalMs: number) {
  return [c.openTime, num(c.open), num(c.high), num(c.low), num(c.close), num(c.volume), c.openTime + intervalMs - 1,
    num(c.volume * c.close), 1, "0", "0", "0"];
}
