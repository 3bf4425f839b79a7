// Contract with Binance USDⓈ-M: the exact HTTP requests ccxt (4.5.84) builds for every operation
// the worker performs, captured by replacing `fetch` on the ccxt instance (no network), checked
// field by field against the parameters Binance documents for each endpoint. A ccxt upgrade that
// renames, adds or drops a parameter, or routes an operation to another endpoint, fails here.
//
// Sources (Binance's USDⓈ-M futures REST documentation): New Order, Query/Cancel Order, New Algo
// Order (conditional orders since the December 2025 algo-order migration: algoType=CONDITIONAL,
// clientAlgoId, triggerPrice, activatePrice, callbackRate), Query/Cancel Algo Order, Current Open
// Orders, Current Open Algo Orders, Position Information V3, Notional and Leverage Brackets,
// Get Current Position Mode, Check Server Time, Exchange Information. Signed endpoints: X-MBX-APIKEY header, timestamp,
// recvWindow, and an HMAC-SHA256 signature of exactly the other parameters.
import { createHmac } from "node:crypto";
import ccxt from "ccxt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCcxtClient, type BinanceUsdm } from "./ccxt-client";
import { CcxtExchange } from "./ccxt-exchange";
import { clientOrderIdFor } from "./client-order-id";
import { ClockSync } from "./clock-sync";
import { exitRequest, sendOnce } from "./testing/exit-request";

const KEY = "contract-key";
const SECRET = "contract-secret";
const HOST = "https://fapi.binance.com";

interface Captured {
  method: string;
  path: string;
  params: Record<string, string>;
  /** the raw query or form body, as signed */
  raw: string;
  headers: Record<string, string>;
}

interface Documented {
  required: readonly string[];
  optional: readonly string[];
  /** sent by ccxt though not in the endpoint's documented list (Binance ignores it) */
  tolerated?: readonly string[];
  signed: boolean;
}

const SIGNING = ["timestamp", "recvWindow", "signature"];

// Each endpoint's documented parameters (besides timestamp/recvWindow/signature on signed ones).
const DOCUMENTED: Record<string, Documented> = {
  "GET /fapi/v1/time": { required: [], optional: [], signed: false },
  "GET /fapi/v1/exchangeInfo": { required: [], optional: [], signed: false },
  "POST /fapi/v1/order": {
    required: ["symbol", "side", "type"],
    optional: ["positionSide", "timeInForce", "quantity", "reduceOnly", "price", "newClientOrderId", "stopPrice", "closePosition",
      "activationPrice", "callbackRate", "workingType", "priceProtect", "newOrderRespType", "priceMatch", "selfTradePreventionMode", "goodTillDate"],
    signed: true,
  },
  "GET /fapi/v1/order": { required: ["symbol"], optional: ["orderId", "origClientOrderId"], signed: true },
  "DELETE /fapi/v1/order": { required: ["symbol"], optional: ["orderId", "origClientOrderId"], signed: true },
  "POST /fapi/v1/algoOrder": {
    required: ["algoType", "symbol", "side", "type"],
    optional: ["positionSide", "timeInForce", "quantity", "price", "triggerPrice", "workingType", "priceMatch", "closePosition", "priceProtect",
      "reduceOnly", "activatePrice", "callbackRate", "clientAlgoId", "newOrderRespType", "selfTradePreventionMode", "goodTillDate"],
    signed: true,
  },
  "GET /fapi/v1/algoOrder": { required: [], optional: ["algoId", "clientAlgoId"], tolerated: ["symbol"], signed: true },
  "DELETE /fapi/v1/algoOrder": { required: [], optional: ["algoId", "clientAlgoId"], tolerated: ["symbol"], signed: true },
  "GET /fapi/v1/openOrders": { required: [], optional: ["symbol"], signed: true },
  "GET /fapi/v1/openAlgoOrders": { required: [], optional: ["algoType", "symbol", "algoId"], signed: true },
  "GET /fapi/v3/positionRisk": { required: [], optional: ["symbol"], signed: true },
  "GET /fapi/v1/leverageBracket": { required: [], optional: ["symbol"], signed: true },
  "GET /fapi/v1/positionSide/dual": { required: [], optional: [], signed: true },
};

const EXCHANGE_INFO = {
  timezone: "UTC", serverTime: 1_750_000_000_000, futuresType: "U_MARGINED",
  rateLimits: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 2400 }],
  exchangeFilters: [], assets: [{ asset: "USDT", marginAvailable: true, autoAssetExchange: "-10000" }],
  symbols: [{
    symbol: "BTCUSDT", pair: "BTCUSDT", contractType: "PERPETUAL", deliveryDate: 4133404800000, onboardDate: 1569398400000, status: "TRADING",
    maintMarginPercent: "2.5000", requiredMarginPercent: "5.0000", baseAsset: "BTC", quoteAsset: "USDT", marginAsset: "USDT",
    pricePrecision: 2, quantityPrecision: 3, baseAssetPrecision: 8, quotePrecision: 8, underlyingType: "COIN", underlyingSubType: [],
    triggerProtect: "0.0500", liquidationFee: "0.012500", marketTakeBound: "0.05", maxMoveOrderLimit: 10000,
    filters: [
      { filterType: "PRICE_FILTER", minPrice: "556.80", maxPrice: "4529764", tickSize: "0.10" },
      { filterType: "LOT_SIZE", stepSize: "0.001", minQty: "0.001", maxQty: "1000" },
      { filterType: "MARKET_LOT_SIZE", stepSize: "0.001", minQty: "0.001", maxQty: "120" },
      { filterType: "MAX_NUM_ORDERS", limit: 200 },
      { filterType: "MAX_NUM_ALGO_ORDERS", limit: 10 },
      { filterType: "MIN_NOTIONAL", notional: "100" },
      { filterType: "PERCENT_PRICE", multiplierUp: "1.0500", multiplierDown: "0.9500", multiplierDecimal: "4" },
    ],
    orderTypes: ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
    timeInForce: ["GTC", "IOC", "FOK", "GTX", "GTD"],
  }],
};

const ALGO_ANSWER = {
  algoId: 3000001, clientAlgoId: "x", algoType: "CONDITIONAL", orderType: "STOP_MARKET", symbol: "BTCUSDT", side: "SELL", positionSide: "BOTH",
  timeInForce: "GTC", quantity: "0.010", algoStatus: "NEW", triggerPrice: "49000.00", price: "0.00", reduceOnly: true, closePosition: false,
  createTime: 1, updateTime: 1, triggerTime: 0, actualOrderId: "",
};
const ORDER_ANSWER = {
  orderId: 8389765001, symbol: "BTCUSDT", status: "FILLED", clientOrderId: "x", price: "0", avgPrice: "50000", origQty: "0.010",
  executedQty: "0.010", cumQuote: "500", timeInForce: "GTC", type: "MARKET", reduceOnly: true, closePosition: false, side: "SELL",
  positionSide: "BOTH", stopPrice: "0", workingType: "CONTRACT_PRICE", origType: "MARKET", time: 1, updateTime: 1,
};

let ex: BinanceUsdm;
let port: CcxtExchange;
let captured: Captured[] = [];
/** look-ups by client id answer "does not exist", so a placement goes on to the POST */
let lookupsFind = false;
/** the account's position mode as GET /fapi/v1/positionSide/dual answers it */
let dualSidePosition = false;

function answer(method: string, path: string): unknown {
  if (path === "/fapi/v1/time") return { serverTime: Date.now() };
  if (path === "/fapi/v1/exchangeInfo") return EXCHANGE_INFO;
  if (path === "/fapi/v1/positionSide/dual") return { dualSidePosition };
  if (path === "/fapi/v1/leverageBracket") return [{ symbol: "BTCUSDT", brackets: [{ bracket: 1, initialLeverage: 125, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 }] }];
  if (method === "GET" && (path === "/fapi/v1/order" || path === "/fapi/v1/algoOrder") && !lookupsFind) {
    throw new ccxt.OrderNotFound(`binanceusdm {"code":-2013,"msg":"Order does not exist."}`);
  }
  if (path === "/fapi/v1/algoOrder") return method === "DELETE" ? { algoId: 3000001, clientAlgoId: "x", code: "200", msg: "success" } : ALGO_ANSWER;
  if (path === "/fapi/v1/order") return ORDER_ANSWER;
  return [];
}

beforeAll(async () => {
  // Binance mode (the URLs, options and hooks the worker uses live), without the throttle's waits.
  ex = await createCcxtClient({ mode: "binance", apiKey: KEY, secret: SECRET, throttle: false });
  (ex as unknown as { fetch: (url: string, method?: string, headers?: Record<string, string>, body?: string) => Promise<unknown> }).fetch = async (
    url, method = "GET", headers = {}, body,
  ) => {
    const u = new URL(url);
    expect(u.origin).toBe(HOST);
    const raw = method === "GET" || method === "DELETE" ? u.search.replace(/^\?/, "") : (body ?? "");
    captured.push({ method, path: u.pathname, params: Object.fromEntries(new URLSearchParams(raw)), raw, headers });
    return answer(method, u.pathname);
  };
  port = new CcxtExchange(ex, "binance", { clockResyncMs: null, positionModeCheckMs: null });
  await port.loadMarkets();
  await port.fetchPositionMode(); // as the worker does when it connects
});
afterAll(async () => {
  await port?.close();
});
beforeEach(() => {
  captured = [];
  lookupsFind = false;
  dualSidePosition = false;
});

/** Every request: a documented endpoint, its required parameters, nothing undocumented, signed right. */
function checkAgainstDocs(r: Captured): void {
  const doc = DOCUMENTED[`${r.method} ${r.path}`];
  expect(doc, `${r.method} ${r.path} is not an endpoint this contract documents`).toBeDefined();
  if (!doc) return;
  const allowed = new Set([...doc.required, ...doc.optional, ...(doc.tolerated ?? []), ...(doc.signed ? SIGNING : [])]);
  for (const name of doc.required) expect(r.params, `${r.method} ${r.path} needs ${name}`).toHaveProperty(name);
  for (const name of Object.keys(r.params)) expect(allowed.has(name), `${r.method} ${r.path}: '${name}' is not a documented parameter`).toBe(true);
  if (!doc.signed) {
    expect(r.params.signature).toBeUndefined();
    return;
  }
  expect(r.headers["X-MBX-APIKEY"]).toBe(KEY);
  expect(Number(r.params.timestamp)).toBeGreaterThan(1_600_000_000_000);
  expect(Number(r.params.recvWindow)).toBeGreaterThan(0);
  expect(Number(r.params.recvWindow)).toBeLessThanOrEqual(60_000);
  // the signature covers exactly the other parameters, in the order sent, and comes last
  const unsigned = r.raw.replace(/&signature=[0-9a-f]+$/, "");
  expect(r.raw.endsWith(`signature=${r.params.signature}`)).toBe(true);
  expect(r.params.signature).toBe(createHmac("sha256", SECRET).update(unsigned).digest("hex"));
}

/** The requests of one operation, each checked against the docs, without the signing fields. */
function requests(): { method: string; path: string; params: Record<string, string> }[] {
  for (const r of captured) checkAgainstDocs(r);
  return captured.map(({ method, path, params }) => {
    const rest = Object.fromEntries(Object.entries(params).filter(([k]) => !SIGNING.includes(k)));
    return { method, path, params: rest };
  });
}

describe("what ccxt sends for each operation of the worker (Binance USDⓈ-M)", () => {
  it("loads markets: exchangeInfo, then the server time (adjustForTimeDifference), both public", async () => {
    const fresh = await createCcxtClient({ mode: "binance", apiKey: KEY, secret: SECRET, throttle: false });
    (fresh as unknown as { fetch: typeof ex.fetch }).fetch = ex.fetch;
    await fresh.loadMarkets();
    expect(requests()).toEqual([
      { method: "GET", path: "/fapi/v1/exchangeInfo", params: {} },
      { method: "GET", path: "/fapi/v1/time", params: {} },
    ]);
    await fresh.close();
  });

  const long = { symbol: "BTCUSDT", positionSide: "long" } as const;
  const short = { symbol: "BTCUSDT", positionSide: "short" } as const;

  it("stop with a quantity: one POST /fapi/v1/algoOrder (CONDITIONAL, STOP_MARKET, triggerPrice, reduceOnly); no look-up (the gateway looks up only before a resend)", async () => {
    const id = clientOrderIdFor("contract-stop");
    await sendOnce(port, exitRequest("contract-stop", { ...long, orderType: "STOP_MARKET", quantity: 0.0109, stopPrice: 49_000.04 }));
    expect(requests()).toEqual([
      {
        method: "POST", path: "/fapi/v1/algoOrder",
        params: {
          algoType: "CONDITIONAL", symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", quantity: "0.01", triggerPrice: "49000",
          reduceOnly: "true", clientAlgoId: id, newOrderRespType: "RESULT",
        },
      },
    ]);
  });

  it("stop for the whole position: closePosition=true, neither quantity nor reduceOnly (Binance refuses them together)", async () => {
    await sendOnce(port, exitRequest("contract-close-all", { ...short, orderType: "STOP_MARKET", quantity: 0.01, closePosition: true, stopPrice: 52_000 }));
    const post = requests().find((r) => r.method === "POST")!;
    expect(post).toEqual({
      method: "POST", path: "/fapi/v1/algoOrder",
      params: {
        algoType: "CONDITIONAL", symbol: "BTCUSDT", side: "BUY", type: "STOP_MARKET", triggerPrice: "52000", closePosition: "true",
        clientAlgoId: clientOrderIdFor("contract-close-all"), newOrderRespType: "RESULT",
      },
    });
  });

  it("take-profit: TAKE_PROFIT_MARKET with triggerPrice", async () => {
    await sendOnce(port, exitRequest("contract-tp", { ...long, orderType: "TAKE_PROFIT_MARKET", quantity: 0.01, stopPrice: 55_000 }));
    expect(requests().find((r) => r.method === "POST")?.params).toMatchObject({ algoType: "CONDITIONAL", type: "TAKE_PROFIT_MARKET", triggerPrice: "55000", reduceOnly: "true", quantity: "0.01" });
  });

  it("trailing stop: TRAILING_STOP_MARKET with callbackRate and the activation price as activatePrice (not ccxt's activationPrice)", async () => {
    await sendOnce(port, exitRequest("contract-trail", { ...long, orderType: "TRAILING_STOP_MARKET", quantity: 0.01, callbackRate: 1.04, activationPrice: 51_000 }));
    const post = requests().find((r) => r.method === "POST")!;
    expect(post.params).toEqual({
      algoType: "CONDITIONAL", symbol: "BTCUSDT", side: "SELL", type: "TRAILING_STOP_MARKET", quantity: "0.01", callbackRate: "1",
      activatePrice: "51000", reduceOnly: "true", clientAlgoId: clientOrderIdFor("contract-trail"), newOrderRespType: "RESULT",
    });
    expect(post.params).not.toHaveProperty("activationPrice");
  });

  it("market close: one POST /fapi/v1/order (MARKET, quantity, reduceOnly, newClientOrderId)", async () => {
    const id = clientOrderIdFor("contract-market");
    await sendOnce(port, exitRequest("contract-market", { ...long, orderType: "MARKET", quantity: 0.01 }));
    expect(requests()).toEqual([
      {
        method: "POST", path: "/fapi/v1/order",
        params: { symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: "0.01", reduceOnly: "true", newClientOrderId: id, newOrderRespType: "RESULT" },
      },
    ]);
  });

  it("one-way mode: no order names a positionSide (Binance's default BOTH)", async () => {
    await sendOnce(port, exitRequest("contract-ps", { ...long, orderType: "STOP_MARKET", quantity: 0.01, stopPrice: 49_000 }));
    for (const r of requests()) expect(r.params).not.toHaveProperty("positionSide");
  });

  it("position mode: GET /fapi/v1/positionSide/dual, signed, no parameters", async () => {
    expect(await port.fetchPositionMode()).toBe("one-way");
    expect(requests()).toEqual([{ method: "GET", path: "/fapi/v1/positionSide/dual", params: {} }]);
  });

  it("hedge mode: every exit names its positionSide (LONG/SHORT) and none sends reduceOnly (Binance: -1106)", async () => {
    dualSidePosition = true;
    const hedged = new CcxtExchange(ex, "binance", { clockResyncMs: null, positionModeCheckMs: null });
    try {
      await hedged.loadMarkets();
      expect(await hedged.fetchPositionMode()).toBe("hedge");
      captured = [];
      await sendOnce(hedged, exitRequest("contract-hedge-close", { ...long, orderType: "MARKET", quantity: 0.01, positionSize: 0.01 }));
      await sendOnce(hedged, exitRequest("contract-hedge-stop", { ...short, orderType: "STOP_MARKET", quantity: 0.01, positionSize: 0.01, stopPrice: 52_000 }));
      const [plain, algo] = requests();
      expect(plain).toEqual({
        method: "POST", path: "/fapi/v1/order",
        params: { symbol: "BTCUSDT", side: "SELL", positionSide: "LONG", type: "MARKET", quantity: "0.01", newClientOrderId: clientOrderIdFor("contract-hedge-close"), newOrderRespType: "RESULT" },
      });
      expect(algo).toEqual({
        method: "POST", path: "/fapi/v1/algoOrder",
        params: {
          algoType: "CONDITIONAL", symbol: "BTCUSDT", side: "BUY", positionSide: "SHORT", type: "STOP_MARKET", quantity: "0.01", triggerPrice: "52000",
          clientAlgoId: clientOrderIdFor("contract-hedge-stop"), newOrderRespType: "RESULT",
        },
      });
    } finally {
      dualSidePosition = false;
    }
  });

  it("look-up by client id: GET /fapi/v1/order?origClientOrderId, GET /fapi/v1/algoOrder?clientAlgoId", async () => {
    lookupsFind = true;
    await port.fetchOrderByClientId("BTCUSDT", "eb-plain", false);
    await port.fetchOrderByClientId("BTCUSDT", "eb-algo", true);
    expect(requests()).toEqual([
      { method: "GET", path: "/fapi/v1/order", params: { symbol: "BTCUSDT", origClientOrderId: "eb-plain" } },
      { method: "GET", path: "/fapi/v1/algoOrder", params: { symbol: "BTCUSDT", clientAlgoId: "eb-algo" } },
    ]);
  });

  it("cancel: DELETE /fapi/v1/order by origClientOrderId or orderId; DELETE /fapi/v1/algoOrder by clientAlgoId or algoId", async () => {
    await port.cancelOrder({ symbol: "BTCUSDT", conditional: false, clientOrderId: "eb-plain" });
    await port.cancelOrder({ symbol: "BTCUSDT", conditional: false, id: "8389765001" });
    await port.cancelOrder({ symbol: "BTCUSDT", conditional: true, clientOrderId: "eb-algo" });
    await port.cancelOrder({ symbol: "BTCUSDT", conditional: true, id: "3000001" });
    expect(requests()).toEqual([
      { method: "DELETE", path: "/fapi/v1/order", params: { symbol: "BTCUSDT", origClientOrderId: "eb-plain" } },
      { method: "DELETE", path: "/fapi/v1/order", params: { symbol: "BTCUSDT", orderId: "8389765001" } },
      { method: "DELETE", path: "/fapi/v1/algoOrder", params: { symbol: "BTCUSDT", clientAlgoId: "eb-algo" } },
      { method: "DELETE", path: "/fapi/v1/algoOrder", params: { symbol: "BTCUSDT", algoId: "3000001" } },
    ]);
  });

  it("open orders: the account-wide plain and algo lists (weight 40 each on Binance)", async () => {
    await port.fetchOpenOrders();
    expect(requests().sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { method: "GET", path: "/fapi/v1/openAlgoOrders", params: {} },
      { method: "GET", path: "/fapi/v1/openOrders", params: {} },
    ]);
  });

  it("positions: GET /fapi/v3/positionRisk (ccxt loads the leverage brackets once before it)", async () => {
    await port.fetchPositions();
    await port.fetchPositions();
    const r = requests();
    expect(r.filter((x) => x.path === "/fapi/v3/positionRisk")).toEqual([
      { method: "GET", path: "/fapi/v3/positionRisk", params: {} },
      { method: "GET", path: "/fapi/v3/positionRisk", params: {} },
    ]);
    expect(r.filter((x) => x.path === "/fapi/v1/leverageBracket").length).toBeLessThanOrEqual(1);
  });

  it("time (clock re-sync): GET /fapi/v1/time, public", async () => {
    await new ClockSync([ex]).resync();
    expect(requests()).toEqual([{ method: "GET", path: "/fapi/v1/time", params: {} }]);
  });

  it("ccxt forwards positionSide as given (for hedge-mode accounts, where reduceOnly must not be sent)", async () => {
    await ex.createOrder("BTC/USDT:USDT", "market", "sell", 0.01, undefined, { positionSide: "LONG", newClientOrderId: "eb-hedge" });
    await ex.createOrder("BTC/USDT:USDT", "market", "sell", 0.01, undefined, { positionSide: "LONG", stopLossPrice: 49_000, clientOrderId: "eb-hedge-stop" });
    const [plain, algo] = requests();
    expect(plain).toMatchObject({ path: "/fapi/v1/order", params: { positionSide: "LONG", type: "MARKET" } });
    expect(algo).toMatchObject({ path: "/fapi/v1/algoOrder", params: { positionSide: "LONG", type: "STOP_MARKET", algoType: "CONDITIONAL", clientAlgoId: "eb-hedge-stop" } });
    for (const r of [plain, algo]) expect(r!.params).not.toHaveProperty("reduceOnly");
  });
});
