// The subset of Binance's USDⓈ-M futures REST API that ccxt's binanceusdm uses for markets,
// positions, orders (plain and algo/conditional), tickers, klines, balance and the listenKey.
import { SimApiError } from "../engine/sim-error";
import type { AlgoOrder, PlainOrder } from "../engine/order-types";
import type { Simulator } from "../engine/simulator";
import {
  accountJson, algoJson, balanceJson, exchangeInfoJson, klineJson, leverageBracketJson, orderJson, positionRiskJson,
  ticker24hJson,
} from "./binance-json";
import type { ListenKeys } from "./listen-keys";
import {
  algoRefSchema, dualSideSchema, KLINE_INTERVALS, klinesSchema, leverageSchema, newAlgoOrderSchema, newOrderSchema,
  optionalSymbolSchema, orderRefSchema, parseParams,
} from "./request-schemas";
import { requestWeight } from "./request-weights";

/** NONE: public; USER_STREAM: API key only; SIGNED: API key + HMAC signature + timestamp. */
export type Security = "NONE" | "USER_STREAM" | "SIGNED";

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  security: Security;
  /** places an order: subject to injected order rejects */
  placesOrder?: boolean;
  /** Binance's request weight of this call (IP limit, X-MBX-USED-WEIGHT-1M) */
  weight: (params: Record<string, string>) => number;
  handle(params: Record<string, string>): unknown;
}

export function fapiRoutes(sim: Simulator, listenKeys: ListenKeys, wallNow: () => number): Route[] {
  const engine = sim.engine;
  const spec = (symbol: string) => engine.spec(symbol);
  const symbolOrAll = (symbol: string | undefined) => {
    if (symbol !== undefined) spec(symbol);
    return symbol;
  };
  const plain = (o: PlainOrder) => orderJson(o, spec(o.symbol));
  const algo = (a: AlgoOrder) => algoJson(a, spec(a.symbol));
  const positions = (params: Record<string, string>) => {
    const { symbol } = parseParams(optionalSymbolSchema, params);
    symbolOrAll(symbol);
    return engine.book.all().filter((p) => !symbol || p.symbol === symbol).map((p) => positionRiskJson(sim, p));
  };

  const routes: Omit<Route, "weight">[] = [
    { method: "GET", path: "/fapi/v1/ping", security: "NONE", handle: () => ({}) },
    { method: "GET", path: "/fapi/v1/time", security: "NONE", handle: () => ({ serverTime: wallNow() }) },
    { method: "GET", path: "/fapi/v1/exchangeInfo", security: "NONE", handle: () => exchangeInfoJson(sim, wallNow()) },
    {
      method: "GET", path: "/fapi/v1/ticker/24hr", security: "NONE",
      handle: (params) => {
        const symbol = symbolOrAll(parseParams(optionalSymbolSchema, params).symbol);
        return symbol ? ticker24hJson(sim, symbol) : sim.symbols().map((s) => ticker24hJson(sim, s));
      },
    },
    {
      method: "GET", path: "/fapi/v1/ticker/price", security: "NONE",
      handle: (params) => {
        const symbol = symbolOrAll(parseParams(optionalSymbolSchema, params).symbol);
        const one = (s: string) => ({ symbol: s, price: String(sim.feed.price(s)), time: sim.clock.now() });
        return symbol ? one(symbol) : sim.symbols().map(one);
      },
    },
    {
      method: "GET", path: "/fapi/v1/premiumIndex", security: "NONE",
      handle: (params) => {
        const symbol = symbolOrAll(parseParams(optionalSymbolSchema, params).symbol);
        const one = (s: string) => {
          const p = String(sim.feed.price(s));
          return { symbol: s, markPrice: p, indexPrice: p, estimatedSettlePrice: p, lastFundingRate: "0.00010000", interestRate: "0.00010000", nextFundingTime: 0, time: sim.clock.now() };
        };
        return symbol ? one(symbol) : sim.symbols().map(one);
      },
    },
    {
      method: "GET", path: "/fapi/v1/klines", security: "NONE",
      handle: (params) => {
        const q = parseParams(klinesSchema, params);
        spec(q.symbol);
        const intervalMs = KLINE_INTERVALS[q.interval]!;
        if (intervalMs % sim.feed.intervalMs(q.symbol) !== 0) {
          throw new SimApiError(-1120, `Invalid interval: the simulator's ${q.symbol} data has ${sim.feed.intervalMs(q.symbol) / 60_000}m candles; ask for a multiple of that.`);
        }
        const opts: { limit: number; startTime?: number; endTime?: number } = { limit: q.limit ?? 500 };
        if (q.startTime !== undefined) opts.startTime = q.startTime;
        if (q.endTime !== undefined) opts.endTime = q.endTime;
        return sim.feed.klines(q.symbol, intervalMs, opts).map((c) => klineJson(c, intervalMs));
      },
    },
    { method: "GET", path: "/fapi/v1/leverageBracket", security: "SIGNED", handle: () => leverageBracketJson(sim) },
    {
      method: "POST", path: "/fapi/v1/leverage", security: "SIGNED",
      handle: (params) => {
        const q = parseParams(leverageSchema, params);
        engine.setLeverage(q.symbol, q.leverage);
        return { symbol: q.symbol, leverage: q.leverage, maxNotionalValue: "1000000" };
      },
    },
    { method: "GET", path: "/fapi/v3/positionRisk", security: "SIGNED", handle: positions },
    { method: "GET", path: "/fapi/v2/positionRisk", security: "SIGNED", handle: positions },
    { method: "GET", path: "/fapi/v3/account", security: "SIGNED", handle: () => accountJson(sim) },
    { method: "GET", path: "/fapi/v2/account", security: "SIGNED", handle: () => accountJson(sim) },
    { method: "GET", path: "/fapi/v3/balance", security: "SIGNED", handle: () => balanceJson(sim) },
    { method: "GET", path: "/fapi/v2/balance", security: "SIGNED", handle: () => balanceJson(sim) },
    {
      method: "GET", path: "/fapi/v1/openOrders", security: "SIGNED",
      handle: (params) => engine.openOrders(symbolOrAll(parseParams(optionalSymbolSchema, params).symbol)).map(plain),
    },
    {
      method: "POST", path: "/fapi/v1/order", security: "SIGNED", placesOrder: true,
      handle: (params) => {
        const q = parseParams(newOrderSchema, params);
        const order = engine.submit({
          symbol: q.symbol, side: q.side, type: q.type, quantity: q.quantity, price: q.price, reduceOnly: q.reduceOnly,
          closePosition: q.closePosition, clientOrderId: q.newClientOrderId, timeInForce: q.timeInForce,
          positionSide: q.positionSide, source: "api",
        }, "order") as PlainOrder;
        return plain(order);
      },
    },
    {
      method: "GET", path: "/fapi/v1/order", security: "SIGNED",
      handle: (params) => {
        const q = parseParams(orderRefSchema, params);
        spec(q.symbol);
        const o = engine.findOrder(q.symbol, { orderId: q.orderId, clientOrderId: q.origClientOrderId });
        if (!o) throw new SimApiError(-2013, "Order does not exist.");
        return plain(o);
      },
    },
    {
      method: "DELETE", path: "/fapi/v1/order", security: "SIGNED",
      handle: (params) => {
        const q = parseParams(orderRefSchema, params);
        spec(q.symbol);
        return plain(engine.cancelOrder(q.symbol, { orderId: q.orderId, clientOrderId: q.origClientOrderId }));
      },
    },
    {
      method: "POST", path: "/fapi/v1/algoOrder", security: "SIGNED", placesOrder: true,
      handle: (params) => {
        if (params.activationPrice !== undefined) {
          // /fapi/v1/order's name for it; Binance documents activatePrice for the algo endpoint.
          throw new SimApiError(-1104, "Not all sent parameters were read: 'activationPrice' is not a parameter of /fapi/v1/algoOrder (it takes activatePrice).");
        }
        const q = parseParams(newAlgoOrderSchema, params);
        const a = engine.submit({
          symbol: q.symbol, side: q.side, type: q.type, quantity: q.quantity, triggerPrice: q.triggerPrice,
          activationPrice: q.activatePrice, callbackRate: q.callbackRate, reduceOnly: q.reduceOnly,
          closePosition: q.closePosition, clientOrderId: q.clientAlgoId, positionSide: q.positionSide, source: "api",
        }) as AlgoOrder;
        return algo(a);
      },
    },
    {
      method: "GET", path: "/fapi/v1/algoOrder", security: "SIGNED",
      handle: (params) => {
        const q = parseParams(algoRefSchema, params);
        const a = engine.findAlgo(q.symbol, { algoId: q.algoId, clientAlgoId: q.clientAlgoId });
        if (!a) throw new SimApiError(-2013, "Order does not exist.");
        return algo(a);
      },
    },
    {
      method: "DELETE", path: "/fapi/v1/algoOrder", security: "SIGNED",
      handle: (params) => {
        const q = parseParams(algoRefSchema, params);
        const a = engine.findAlgo(q.symbol, { algoId: q.algoId, clientAlgoId: q.clientAlgoId });
        if (!a) throw new SimApiError(-2011, "Unknown order sent.");
        engine.cancelAlgo(a.symbol, { algoId: a.algoId });
        return { algoId: a.algoId, clientAlgoId: a.clientAlgoId, code: "200", msg: "success" };
      },
    },
    {
      method: "GET", path: "/fapi/v1/openAlgoOrders", security: "SIGNED",
      handle: (params) => engine.openAlgos(symbolOrAll(parseParams(optionalSymbolSchema, params).symbol)).map(algo),
    },
    { method: "GET", path: "/fapi/v1/positionSide/dual", security: "SIGNED", handle: () => ({ dualSidePosition: engine.isDualSide() }) },
    {
      method: "POST", path: "/fapi/v1/positionSide/dual", security: "SIGNED",
      handle: (params) => {
        engine.setDualSide(parseParams(dualSideSchema, params).dualSidePosition);
        return { code: 200, msg: "success" };
      },
    },
    { method: "POST", path: "/fapi/v1/listenKey", security: "USER_STREAM", handle: () => ({ listenKey: listenKeys.create() }) },
    {
      method: "PUT", path: "/fapi/v1/listenKey", security: "USER_STREAM",
      handle: () => {
        const key = listenKeys.keepAlive();
        if (!key) throw new SimApiError(-1125, "This listenKey does not exist.");
        return { listenKey: key };
      },
    },
    { method: "DELETE", path: "/fapi/v1/listenKey", security: "USER_STREAM", handle: () => (listenKeys.close(), {}) },
  ];
  return routes.map((r) => ({ ...r, weight: (params: Record<string, string>) => requestWeight(r.method, r.path, params) }));
}
