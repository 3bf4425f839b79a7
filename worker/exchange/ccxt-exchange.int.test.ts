// The worker's ExchangePort (ccxt) against the in-process simulator: snapshots, exit orders,
// refusals before the network, and the idempotency proof under "accept, then time out".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, orderLog, startTestSimulator, TEST_CREDENTIALS } from "../../sim/testing/test-simulator";
import { PriceStream } from "../market/price-stream";
import { ExchangePortError, ExitOrderRefusedError } from "./classify-error";
import { clientOrderIdFor } from "./client-order-id";
import { createExchange } from "./create-exchange";
import type { ExchangePort, ExitOrderRequest } from "./exchange-port";

let sim: RunningSimulator;
let port: ExchangePort;

const env = (url: string) => ({
  EXCHANGE: "sim", SIM_URL: url, SIM_PORT: 0, SIM_API_KEY: TEST_CREDENTIALS.apiKey, SIM_API_SECRET: TEST_CREDENTIALS.apiSecret,
  BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined,
});

beforeAll(async () => {
  sim = await startTestSimulator();
  // Short timeout so "accept then time out" costs little; retries without delay.
  port = await createExchange(env(sim.url), { timeoutMs: 500, retryDelayMs: 0, maxSubmitAttempts: 3 });
});
afterAll(async () => {
  await port?.close();
  await sim?.close();
});
beforeEach(async () => {
  await admin(sim, "DELETE", "/admin/faults");
  for (const p of sim.sim.engine.book.all()) await admin(sim, "POST", "/admin/position/close", { symbol: p.symbol });
  await admin(sim, "POST", "/admin/position/open", { symbol: "ETHUSDT", side: "short", quantity: 0.5, leverage: 10 });
});

const close = (requestId: string, quantity = 0.1): ExitOrderRequest => ({ requestId, symbol: "ETHUSDT", kind: "close", side: "buy", quantity, reduceOnly: true });

describe("snapshots", () => {
  it("gives positions as PositionSnapshot with every field filled", async () => {
    const [p] = await port.fetchPositions();
    const price = sim.sim.feed.price("ETHUSDT");
    expect(p).toMatchObject({ symbol: "ETHUSDT", side: "short", size: 0.5, leverage: 10, markPrice: price });
    expect(p!.entryPrice).toBeGreaterThan(0);
    expect(p!.liquidationPrice).toBeGreaterThan(price);
    expect(p!.unrealizedPnl).toBeCloseTo((p!.entryPrice - price) * 0.5, 6);
  });

  it("gives markets, ticker, candles and balance", async () => {
    const eth = (await port.loadMarkets()).find((m) => m.symbol === "ETHUSDT");
    expect(eth).toMatchObject({ unified: "ETH/USDT:USDT", tickSize: 0.01, stepSize: 0.001, minNotional: 20 });
    expect((await port.fetchTicker("ETHUSDT")).price).toBe(sim.sim.feed.price("ETHUSDT"));
    const candles = await port.fetchCandles("ETHUSDT", "15m", 20);
    expect(candles).toHaveLength(20);
    expect(candles[1]!.openTime - candles[0]!.openTime).toBe(15 * 60_000);
    expect((await port.fetchBalance()).total).toBeGreaterThan(0);
  });
});

describe("exit orders", () => {
  it("places each kind, lists plain and conditional open orders, cancels by client id", async () => {
    const px = sim.sim.feed.price("ETHUSDT");
    const placed = await port.placeExitOrder(close("x-close"));
    expect(placed.order).toMatchObject({ type: "MARKET", status: "closed", filled: 0.1, reduceOnly: true, clientOrderId: clientOrderIdFor("x-close") });
    await port.placeExitOrder({ requestId: "x-sl", symbol: "ETHUSDT", kind: "stop", side: "buy", quantity: 0.4, triggerPrice: px * 1.05, reduceOnly: true });
    await port.placeExitOrder({ requestId: "x-tp", symbol: "ETHUSDT", kind: "take_profit", side: "buy", closePosition: true, triggerPrice: px * 0.95, reduceOnly: true });
    await port.placeExitOrder({ requestId: "x-tr", symbol: "ETHUSDT", kind: "trailing_stop", side: "buy", quantity: 0.2, callbackRatePct: 2, reduceOnly: true });
    const open = await port.fetchOpenOrders("ETHUSDT");
    expect(open.map((o) => [o.type, o.conditional, o.status, o.reduceOnly]).sort()).toEqual([
      ["STOP_MARKET", true, "open", true],
      ["TAKE_PROFIT_MARKET", true, "open", true],
      ["TRAILING_STOP_MARKET", true, "open", true],
    ]);
    await port.cancelOrder({ symbol: "ETHUSDT", conditional: true, clientOrderId: clientOrderIdFor("x-sl") });
    expect((await port.fetchOrderByClientId("ETHUSDT", clientOrderIdFor("x-sl"), true))?.status).toBe("canceled");
    expect(await port.fetchOrderByClientId("ETHUSDT", "eb-never-sent", false)).toBeNull();
  });

  it("refuses a request without reduce-only before any network call", async () => {
    const dead = await createExchange(env("http://127.0.0.1:9")); // nothing listens there
    try {
      const req = { ...close("x-not-ro"), reduceOnly: false } as unknown as ExitOrderRequest;
      await expect(dead.placeExitOrder(req)).rejects.toBeInstanceOf(ExitOrderRefusedError);
    } finally {
      await dead.close();
    }
    expect((await orderLog(sim, clientOrderIdFor("x-not-ro"))).orders).toHaveLength(0);
  });

  it("places a reduce-only part below min notional (Binance exempts reduce-only orders from it)", async () => {
    const placed = await port.placeExitOrder(close("x-tiny", 0.001)); // ~0.001 ETH: far under the 20 USDT minimum
    expect(placed.order).toMatchObject({ reduceOnly: true, quantity: 0.001 });
    expect((await orderLog(sim, clientOrderIdFor("x-tiny"))).orders).toHaveLength(1);
  });

  it("passes the venue's reduce-only rejection on as a permanent invalid_order (-2022)", async () => {
    const err = await port.placeExitOrder({ ...close("x-wrong-side"), side: "sell" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangePortError);
    expect(err).toMatchObject({ kind: "invalid_order", retryable: false, code: -2022 });
  });
});

describe("idempotency: one decision → at most one order", () => {
  it("accepted then timed out: the retry finds the order, which exists exactly once in the simulator's log", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "accept-then-timeout", path: "/fapi/v1/order", method: "POST", count: 1, holdMs: 5000 });
    const placed = await port.placeExitOrder(close("idem-market"));
    expect(placed.alreadyExisted).toBe(true);
    expect(placed.order.status).toBe("closed");
    const log = await orderLog(sim, clientOrderIdFor("idem-market"));
    expect(log.orders).toHaveLength(1);
    expect(sim.sim.engine.book.amt("ETHUSDT")).toBe(-0.4); // closed 0.1 once, not twice
  });

  it("same for a conditional (algo) stop order", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "accept-then-timeout", path: "/fapi/v1/algoOrder", method: "POST", count: 1, holdMs: 5000 });
    const px = sim.sim.feed.price("ETHUSDT");
    const req: ExitOrderRequest = { requestId: "idem-stop", symbol: "ETHUSDT", kind: "stop", side: "buy", closePosition: true, triggerPrice: px * 1.1, reduceOnly: true };
    const placed = await port.placeExitOrder(req);
    expect(placed.alreadyExisted).toBe(true);
    expect((await orderLog(sim, clientOrderIdFor("idem-stop"))).orders).toHaveLength(1);
  });

  it("a caller retrying the whole call after a failure gets the same order back, not a second one", async () => {
    const first = await port.placeExitOrder(close("idem-caller"));
    const again = await port.placeExitOrder(close("idem-caller"));
    expect(again).toMatchObject({ alreadyExisted: true, order: { id: first.order.id } });
    const log = await orderLog(sim, clientOrderIdFor("idem-caller"));
    expect(log.orders).toHaveLength(1);
    expect(log.rejections).toEqual([]); // found by the look-up, never re-sent
  });

  it("with reads throttled (as on Binance), orders bypass the throttle queue and share the loaded markets", async () => {
    const throttled = await createExchange(env(sim.url), { timeoutMs: 5000, retryDelayMs: 0, throttleReads: true });
    try {
      await throttled.loadMarkets();
      // Counts every exchangeInfo request from here on: the order client must not load markets itself.
      const counter = await admin<{ fault: { id: number } }>(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/exchangeInfo", latencyMs: 0 });
      // Account-wide open-order reads weigh 40 each: ccxt's throttle spaces them ~2 s apart.
      let readsDone = 0;
      const reads = Array.from({ length: 4 }, () => throttled.fetchOpenOrders().then(() => readsDone++, () => readsDone++));
      const placed = await throttled.placeExitOrder(close("unthrottled-order"));
      const stop = await throttled.placeExitOrder({
        requestId: "unthrottled-stop", symbol: "ETHUSDT", kind: "stop", side: "buy", closePosition: true, triggerPrice: sim.sim.feed.price("ETHUSDT") * 1.1, reduceOnly: true,
      });
      await throttled.cancelOrder({ symbol: "ETHUSDT", conditional: true, clientOrderId: stop.clientOrderId });
      // Two sends, their look-ups and a cancel did not wait behind the queued reads.
      expect(readsDone).toBeLessThan(reads.length - 1);
      expect(placed.alreadyExisted).toBe(false);
      expect((await orderLog(sim, clientOrderIdFor("unthrottled-order"))).orders).toHaveLength(1);
      expect(sim.sim.engine.openAlgos("ETHUSDT").filter((a) => a.clientAlgoId === stop.clientOrderId)).toEqual([]);
      const { faults } = await admin<{ faults: { id: number; fired: number }[] }>(sim, "GET", "/admin/faults");
      expect(faults.find((f) => f.id === counter.fault.id)?.fired).toBe(0);
    } finally {
      await throttled.close();
    }
  });

  it("retries a 503 and places the order once", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "http-5xx", path: "/fapi/v1/order", method: "POST", count: 1 });
    const placed = await port.placeExitOrder(close("retry-503"));
    expect(placed.alreadyExisted).toBe(false);
    expect((await orderLog(sim, clientOrderIdFor("retry-503"))).orders).toHaveLength(1);
  });
});

describe("price stream", () => {
  it("delivers live prices through the port's watchPrices", async () => {
    const stream = new PriceStream(port, ["ETHUSDT", "BTCUSDT"]);
    const got = new Promise<number>((resolve) => stream.onTicks((ticks) => {
      const eth = ticks.find((t) => t.symbol === "ETHUSDT");
      if (eth?.price === 2_500) resolve(eth.price);
    }));
    stream.start();
    // Keep moving the price until the stream has subscribed and sees it (subscription is async).
    const mover = setInterval(() => void admin(sim, "POST", "/admin/price", { symbol: "ETHUSDT", price: 2_500 }), 50);
    try {
      expect(await got).toBe(2_500);
      expect(stream.latest("ETHUSDT")?.price).toBe(2_500);
    } finally {
      clearInterval(mover);
      void stream.stop();
    }
  });
});

describe("order path round trips", () => {
  it("an exit order needs no price: it goes out while every ticker request fails, with no stream running", async () => {
    const fresh = await createExchange(env(sim.url), { timeoutMs: 2_000, retryDelayMs: 0, maxSubmitAttempts: 1 });
    try {
      const { fault } = await admin<{ fault: { id: number } }>(sim, "POST", "/admin/faults", { kind: "http-5xx", path: "/fapi/v1/ticker" });
      const placed = await fresh.placeExitOrder(close("no-price-needed"));
      expect(placed.alreadyExisted).toBe(false);
      expect((await orderLog(sim, clientOrderIdFor("no-price-needed"))).orders).toHaveLength(1);
      const { faults } = await admin<{ faults: { id: number; fired: number }[] }>(sim, "GET", "/admin/faults");
      expect(faults.find((f) => f.id === fault.id)?.fired).toBe(0); // no ticker was requested
    } finally {
      await admin(sim, "DELETE", "/admin/faults");
      await fresh.close();
    }
  });
});
