// Binance behaviours the simulator reproduces, seen through real ccxt (binanceusdm) over HTTP:
// request weight (X-MBX-USED-WEIGHT-1M, 429 past the limit, 418 on repeated 429s), the
// algo-order states, -4120 for a conditional type on /fapi/v1/order, -4045 past
// MAX_NUM_ALGO_ORDERS, MARKET_LOT_SIZE and hedge mode (positionSide/dual, LONG/SHORT, no reduceOnly).
import ccxt from "ccxt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCcxtClient, type BinanceUsdm } from "../worker/exchange/ccxt-client";
import { binanceCode } from "../worker/exchange/classify-error";
import { untrackRequestWeight } from "../worker/exchange/request-weight";
import type { RunningSimulator } from "./server/start-simulator";
import { admin, startTestSimulator, TEST_CREDENTIALS } from "./testing/test-simulator";

const BTC = "BTC/USDT:USDT";
let sim: RunningSimulator;
let ex: BinanceUsdm;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sim = await startTestSimulator({ maxAlgoOrdersPerSymbol: 10 }); // Binance's MAX_NUM_ALGO_ORDERS
  ex = await createCcxtClient({ mode: "sim", apiKey: TEST_CREDENTIALS.apiKey, secret: TEST_CREDENTIALS.apiSecret, simUrl: sim.url, timeoutMs: 3000 });
  // These tests drive the simulator past its limit on purpose: without the worker's accounting,
  // which would hold the client back after a 429 (worker/exchange/request-weight.test.ts).
  untrackRequestWeight(ex);
  await ex.loadMarkets();
});
afterAll(async () => {
  await ex?.close();
  await sim?.close();
});
beforeEach(async () => {
  await admin(sim, "POST", "/admin/weight-limit", {});
  await admin(sim, "DELETE", "/admin/trigger-faults");
  await admin(sim, "POST", "/admin/trigger-faults/release", {});
  for (const a of sim.sim.engine.openAlgos()) if (a.algoStatus === "NEW") sim.sim.engine.cancelAlgo(a.symbol, { algoId: a.algoId });
  for (const symbol of new Set(sim.sim.engine.book.all().map((p) => p.symbol))) await admin(sim, "POST", "/admin/position/close", { symbol });
  if (sim.sim.engine.isDualSide()) sim.sim.engine.setDualSide(false);
  await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 50_000 });
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.05, leverage: 5 });
});

const header = (name: string): string | undefined => {
  const h = (ex.last_response_headers ?? {}) as Record<string, string>;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : h[key];
};

describe("request weight", () => {
  it("every answer carries X-MBX-USED-WEIGHT-1M, growing by Binance's weight of each call", async () => {
    await ex.fetchPositions(); // ccxt loads the leverage brackets the first time
    await ex.fetchOpenOrders(undefined, undefined, undefined, {}); // all symbols: 40
    const after1 = Number(header("x-mbx-used-weight-1m"));
    await ex.fetchPositions(); // 5
    expect(Number(header("x-mbx-used-weight-1m")) - after1).toBe(5);
    await ex.fetchOpenOrders(BTC); // one symbol: 1
    expect(Number(header("x-mbx-used-weight-1m")) - after1).toBe(6);
  });

  it("past the limit: 429 (-1003, Retry-After) and the request is not processed; then 418 for a client that keeps going", async () => {
    const { usedWeight1m } = await admin<{ usedWeight1m: Record<string, number> }>(sim, "GET", "/admin/weight-limit");
    const used = Math.max(0, ...Object.values(usedWeight1m));
    await admin(sim, "POST", "/admin/weight-limit", { limit: used + 45, banAfter429s: 2, banMs: 60_000 });
    await ex.fetchOpenOrders(); // 40: within the limit
    const first = await rejection(ex.fetchOpenOrders());
    expect(first).toBeInstanceOf(ccxt.DDoSProtection); // ccxt's class for HTTP 429 and 418
    expect(first.message).toMatch(/429/);
    expect(binanceCode(first.message)).toBe(-1003);
    expect(Number(header("retry-after"))).toBeGreaterThan(0);
    await rejection(ex.fetchOpenOrders()); // second 429 in a row
    const third = await rejection(ex.fetchOpenOrders()); // one too many: banned
    expect(third.message).toMatch(/418/);
    const banned = await rejection(ex.fetchPositions()); // even a light call, within the limit, while banned
    expect(banned).toBeInstanceOf(ccxt.DDoSProtection);
    expect(banned.message).toMatch(/418.*banned until/s);
    // an order sent while banned is not processed either
    await rejection(ex.createOrder(BTC, "market", "sell", 0.01, undefined, { reduceOnly: true }));
    expect(sim.sim.engine.book.amt("BTCUSDT")).toBe(0.05);
  });
});

describe("algo orders and order endpoints", () => {
  it("a held trigger is listed TRIGGERING by openAlgoOrders; released, the order reads FINISHED with its executed quantity", async () => {
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "hold", symbol: "BTCUSDT", count: 1 });
    await ex.createOrder(BTC, "market", "sell", 0.05, undefined, { stopLossPrice: 49_000, reduceOnly: true, clientOrderId: "held-stop" });
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 48_500 });
    const open = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(open.map((o) => (o.info as { algoStatus: string }).algoStatus)).toEqual(["TRIGGERING"]);
    await admin(sim, "POST", "/admin/trigger-faults/release", { symbol: "BTCUSDT" });
    const done = await ex.fetchOrder("", BTC, { trigger: true, clientOrderId: "held-stop" });
    expect(done.info).toMatchObject({ algoStatus: "FINISHED", executedQty: "0.050" });
    expect(done.filled).toBe(0.05);
  });

  it("-4120 for a conditional type sent to /fapi/v1/order", async () => {
    // ccxt itself routes conditional orders to the algo endpoint; its raw endpoint method does not
    const raw = ex as unknown as { fapiPrivatePostOrder(p: Record<string, string>): Promise<unknown> };
    const err = await rejection(raw.fapiPrivatePostOrder({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", quantity: "0.01", stopPrice: "49000", reduceOnly: "true" }));
    expect(binanceCode(err.message)).toBe(-4120);
    expect(sim.sim.engine.openAlgos("BTCUSDT")).toEqual([]);
  });

  it("-4045 past MAX_NUM_ALGO_ORDERS (10 per symbol, as exchangeInfo says)", async () => {
    const filter = (ex.market(BTC).info as { filters: { filterType: string; limit?: number }[] }).filters.find((f) => f.filterType === "MAX_NUM_ALGO_ORDERS");
    expect(filter?.limit).toBe(10);
    for (let i = 0; i < 10; i++) await ex.createOrder(BTC, "market", "sell", 0.001, undefined, { stopLossPrice: 40_000 + i, reduceOnly: true });
    const err = await rejection(ex.createOrder(BTC, "market", "sell", 0.001, undefined, { stopLossPrice: 39_000, reduceOnly: true }));
    expect(binanceCode(err.message)).toBe(-4045);
  });

  it("MARKET_LOT_SIZE: a market order above its maxQty is refused with -4005", async () => {
    expect(ex.market(BTC).info.filters.find((f: { filterType: string }) => f.filterType === "MARKET_LOT_SIZE")).toMatchObject({ maxQty: "120" });
    const err = await rejection(ex.createOrder(BTC, "market", "sell", 121, undefined, { reduceOnly: true }));
    expect(err).toBeInstanceOf(ccxt.BadRequest);
    expect(binanceCode(err.message)).toBe(-4005);
  });
});

describe("hedge mode", () => {
  it("switches with positionSide/dual, keeps LONG and SHORT, takes LONG/SHORT orders and refuses reduceOnly (-1106)", async () => {
    await admin(sim, "POST", "/admin/position/close", { symbol: "BTCUSDT" });
    expect(await ex.fetchPositionMode(BTC)).toMatchObject({ hedged: false });
    await ex.setPositionMode(true);
    expect(await ex.fetchPositionMode(BTC)).toMatchObject({ hedged: true });
    await ex.createOrder(BTC, "market", "buy", 0.02, undefined, { positionSide: "LONG" });
    await ex.createOrder(BTC, "market", "sell", 0.01, undefined, { positionSide: "SHORT" });
    const positions = (await ex.fetchPositions([BTC])).map((p) => ({ side: p.side, contracts: p.contracts, ps: (p.info as { positionSide: string }).positionSide }));
    expect(positions.sort((a, b) => a.ps.localeCompare(b.ps))).toEqual([
      { side: "long", contracts: 0.02, ps: "LONG" },
      { side: "short", contracts: 0.01, ps: "SHORT" },
    ]);
    const stop = await ex.createOrder(BTC, "market", "sell", 0.02, undefined, { positionSide: "LONG", stopLossPrice: 49_000 });
    expect(stop.info).toMatchObject({ positionSide: "LONG", algoStatus: "NEW" });
    const refused = await rejection(ex.createOrder(BTC, "market", "sell", 0.02, undefined, { positionSide: "LONG", stopLossPrice: 48_000, reduceOnly: true }));
    expect(binanceCode(refused.message)).toBe(-1106);
    const noSide = await rejection(ex.createOrder(BTC, "market", "sell", 0.01, undefined, {}));
    expect(binanceCode(noSide.message)).toBe(-4061);
    // cannot switch back while positions or orders exist
    const stuck = await rejection(ex.setPositionMode(false));
    expect([-4067, -4068]).toContain(binanceCode(stuck.message));
  });
});

describe("admin API for the new controls", () => {
  it("validates trigger-fault and weight-limit bodies, naming the field", async () => {
    const post = (path: string, body: unknown) =>
      fetch(sim.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const bad1 = await post("/admin/trigger-faults", { kind: "stall" });
    expect(bad1.status).toBe(400);
    expect(((await bad1.json()) as { error: string }).error).toMatch(/kind/);
    const bad2 = await post("/admin/trigger-faults", { kind: "partial-fill", fillRatio: 1 });
    expect(((await bad2.json()) as { error: string }).error).toMatch(/fillRatio/);
    const bad3 = await post("/admin/weight-limit", { limit: -5 });
    expect(bad3.status).toBe(400);
    expect(((await bad3.json()) as { error: string }).error).toMatch(/limit/);
    const ok = await admin<{ limit: number; banAfter429s: number }>(sim, "POST", "/admin/weight-limit", { limit: 2400 });
    expect(ok).toMatchObject({ limit: 2400, banAfter429s: 3 });
    const state = await admin<{ totals: { requests: number } }>(sim, "GET", "/admin/weight-limit");
    expect(state.totals.requests).toBeGreaterThan(0);
  });
});
