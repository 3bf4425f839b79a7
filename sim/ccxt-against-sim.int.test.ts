// Real ccxt (binanceusdm, pro) against the simulator over HTTP and WebSocket.
import ccxt from "ccxt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCcxtClient, retryAfterMs, type BinanceUsdm } from "../worker/exchange/ccxt-client";
import { classifyError } from "../worker/exchange/classify-error";
import type { RunningSimulator } from "./server/start-simulator";
import { admin, orderLog, startTestSimulator, TEST_CREDENTIALS, waitUntil } from "./testing/test-simulator";

const BTC = "BTC/USDT:USDT";
let sim: RunningSimulator;
let ex: BinanceUsdm;

const client = (over: Partial<{ apiKey: string; secret: string; timeoutMs: number }> = {}) =>
  createCcxtClient({ mode: "sim", apiKey: TEST_CREDENTIALS.apiKey, secret: TEST_CREDENTIALS.apiSecret, simUrl: sim.url, timeoutMs: 3000, ...over });

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sim = await startTestSimulator();
  ex = await client();
  await ex.loadMarkets();
});
afterAll(async () => {
  await ex?.close();
  await sim?.close();
});
beforeEach(async () => {
  await admin(sim, "DELETE", "/admin/faults");
  for (const p of sim.sim.engine.book.all()) await admin(sim, "POST", "/admin/position/close", { symbol: p.symbol });
  for (const a of sim.sim.engine.openAlgos()) sim.sim.engine.cancelAlgo(a.symbol, { algoId: a.algoId });
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.02, leverage: 5 });
});

describe("markets and account", () => {
  it("loads the perpetuals with precision and limits from the exchangeInfo filters", () => {
    expect(Object.keys(ex.markets ?? {}).sort()).toEqual(["BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT", "XRP/USDT:USDT"]);
    const m = ex.market(BTC);
    expect({ linear: m.linear, swap: m.swap, settle: m.settle, precision: m.precision }).toMatchObject({
      linear: true, swap: true, settle: "USDT", precision: { amount: 0.001, price: 0.1 },
    });
    expect(m.limits.cost?.min).toBe(100);
  });

  it("fetches the position with entry, mark, leverage and liquidation price (positionRisk v3)", async () => {
    const [p] = await ex.fetchPositions([BTC]);
    const price = sim.sim.feed.price("BTCUSDT");
    expect(p).toMatchObject({ symbol: BTC, side: "long", contracts: 0.02, leverage: 5, markPrice: price });
    expect(p!.entryPrice).toBeGreaterThan(0);
    expect(p!.liquidationPrice).toBeLessThan(price);
  });

  it("fetches balance, ticker and klines", async () => {
    const bal = await ex.fetchBalance();
    expect(bal.USDT?.total).toBeGreaterThan(9_000);
    expect((await ex.fetchTicker(BTC)).last).toBe(sim.sim.feed.price("BTCUSDT"));
    const k = await ex.fetchOHLCV(BTC, "5m", undefined, 50);
    expect(k).toHaveLength(50);
    expect(k.at(-1)![4]).toBe(sim.sim.feed.price("BTCUSDT"));
  });
});

describe("orders", () => {
  it("partially closes with a reduce-only market order", async () => {
    const o = await ex.createOrder(BTC, "market", "sell", 0.005, undefined, { reduceOnly: true, clientOrderId: "it-partial-1" });
    expect(o).toMatchObject({ status: "closed", filled: 0.005, reduceOnly: true, clientOrderId: "it-partial-1" });
    expect(sim.sim.engine.book.amt("BTCUSDT")).toBe(0.015);
  });

  it("rejects a reduce-only order that would increase the position: -2022 → InvalidOrder", async () => {
    const err = await rejection(ex.createOrder(BTC, "market", "buy", 0.005, undefined, { reduceOnly: true }));
    expect(err).toBeInstanceOf(ccxt.InvalidOrder);
    expect(err.message).toContain("-2022");
    expect(sim.sim.engine.book.amt("BTCUSDT")).toBe(0.02);
  });

  it("places STOP_MARKET, TAKE_PROFIT_MARKET (closePosition) and TRAILING_STOP_MARKET as algo orders", async () => {
    const px = sim.sim.feed.price("BTCUSDT");
    await ex.createOrder(BTC, "market", "sell", 0.02, undefined, { reduceOnly: true, stopLossPrice: ex.priceToPrecision(BTC, px * 0.97), clientOrderId: "it-sl" });
    await ex.createOrder(BTC, "market", "sell", 0, undefined, { closePosition: true, takeProfitPrice: ex.priceToPrecision(BTC, px * 1.03), clientOrderId: "it-tp" });
    await ex.createOrder(BTC, "market", "sell", 0.01, undefined, { reduceOnly: true, trailingPercent: 1.5, clientOrderId: "it-trail" });
    const open = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    const types = Object.fromEntries(open.map((o) => [o.clientOrderId, (o.info as { orderType: string }).orderType]));
    expect(types).toEqual({ "it-sl": "STOP_MARKET", "it-tp": "TAKE_PROFIT_MARKET", "it-trail": "TRAILING_STOP_MARKET" });
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]); // no plain orders
    const sl = await ex.fetchOrder("", BTC, { clientOrderId: "it-sl", trigger: true });
    expect(sl.status).toBe("open");
    await ex.cancelOrder("", BTC, { clientOrderId: "it-sl", trigger: true });
    expect((await ex.fetchOrder("", BTC, { clientOrderId: "it-sl", trigger: true })).status).toBe("canceled");
  });

  it("refuses a reused client order id: -4116 → DuplicateOrderId", async () => {
    await ex.createOrder(BTC, "market", "sell", 0.001 * 5, undefined, { reduceOnly: true, clientOrderId: "it-dup" });
    const err = await rejection(ex.createOrder(BTC, "market", "sell", 0.005, undefined, { reduceOnly: true, clientOrderId: "it-dup" }));
    expect(err).toBeInstanceOf(ccxt.DuplicateOrderId);
    expect((await orderLog(sim, "it-dup")).orders).toHaveLength(1);
  });

  it("fires a stop when the price crosses it and pushes the updates on the user-data stream", async () => {
    const px = sim.sim.feed.price("BTCUSDT");
    const trigger = Number(ex.priceToPrecision(BTC, px * 0.99));
    await ex.createOrder(BTC, "market", "sell", 0.02, undefined, { reduceOnly: true, stopLossPrice: trigger, clientOrderId: "it-stop-fire" });
    const seen: { clientOrderId?: string; status?: string; type?: string }[] = [];
    const watching = (async () => {
      // ccxt resolves watchOrders per message batch: collect until the triggered fill arrives.
      while (!seen.some((o) => o.clientOrderId?.startsWith("algo-") && o.status === "closed")) {
        for (const o of await ex.watchOrders(BTC)) seen.push({ clientOrderId: o.clientOrderId, status: o.status, type: (o.info as { ot?: string }).ot });
      }
    })();
    await waitUntil(() => sim.wsClients().user > 0, "the user-data stream to connect");
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: px * 0.98 });
    await watching;
    expect(seen.find((o) => o.clientOrderId?.startsWith("algo-"))).toMatchObject({ status: "closed", type: "STOP_MARKET" });
    expect(sim.sim.engine.book.amt("BTCUSDT")).toBe(0);
    const [pos] = await ex.fetchPositions([BTC]);
    expect(pos).toBeUndefined();
  });
});

describe("market stream", () => {
  it("streams tickers and follows a price change", async () => {
    expect((await ex.watchTicker(BTC)).last).toBe(sim.sim.feed.price("BTCUSDT"));
    // Wait first, then move: an update that arrives while nobody waits only refreshes ccxt's cache.
    const next = ex.watchTicker(BTC);
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 43_210 });
    expect((await next).last).toBe(43_210);
  });
});

describe("authentication", () => {
  it("rejects a bad signature (-1022) and an unknown key (-2015) as AuthenticationError", async () => {
    const badSecret = await client({ secret: "wrong-secret" });
    const badKey = await client({ apiKey: "nobody" });
    try {
      const e1 = await rejection(badSecret.fetchPositions());
      expect(e1).toBeInstanceOf(ccxt.AuthenticationError);
      expect(e1.message).toContain("-1022");
      const e2 = await rejection(badKey.fetchBalance());
      expect(e2).toBeInstanceOf(ccxt.AuthenticationError);
      expect(e2.message).toContain("-2015");
      expect(e1.message + e2.message).not.toContain("wrong-secret");
    } finally {
      await badSecret.close();
      await badKey.close();
    }
  });
});

describe("injected faults → ccxt error class → retryable?", () => {
  const order = () => ex.createOrder(BTC, "market", "sell", 0.005, undefined, { reduceOnly: true });

  it("HTTP 503 → ExchangeNotAvailable, retryable", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "http-5xx", status: 503, count: 1 });
    const err = await rejection(ex.fetchBalance());
    expect(err).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(classifyError(err, { action: "t" })).toMatchObject({ kind: "unavailable", retryable: true });
    expect((await ex.fetchBalance()).USDT?.total).toBeGreaterThan(0); // spent after one
  });

  it("HTTP 429 with Retry-After → DDoSProtection (rate limit), retryable", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "rate-limit", retryAfterS: 3, count: 1 });
    const err = await rejection(ex.fetchTicker(BTC));
    expect(err).toBeInstanceOf(ccxt.DDoSProtection);
    expect(retryAfterMs(ex)).toBe(3000);
    expect(classifyError(err, { action: "t", retryAfterMs: retryAfterMs(ex) })).toMatchObject({ kind: "rate_limit", retryable: true, retryAfterMs: 3000 });
  });

  it("no answer → RequestTimeout, retryable with unknown outcome", async () => {
    const fast = await client({ timeoutMs: 300 });
    try {
      await fast.loadMarkets();
      await admin(sim, "POST", "/admin/faults", { kind: "timeout", path: "/fapi/v1/order", count: 1, holdMs: 5000 });
      const err = await rejection(fast.createOrder(BTC, "market", "sell", 0.005, undefined, { reduceOnly: true }));
      expect(err).toBeInstanceOf(ccxt.RequestTimeout);
      expect(classifyError(err, { action: "t" })).toMatchObject({ kind: "timeout", retryable: true, outcomeUnknown: true });
      expect(sim.sim.engine.book.amt("BTCUSDT")).toBe(0.02); // "timeout" drops the request unprocessed
    } finally {
      await fast.close();
    }
  });

  it("an injected order reject (-2019) → InsufficientFunds, permanent", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "reject", code: -2019, msg: "Margin is insufficient.", count: 1 });
    const err = await rejection(order());
    expect(err).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(classifyError(err, { action: "t" })).toMatchObject({ kind: "insufficient_funds", retryable: false });
  });
});
