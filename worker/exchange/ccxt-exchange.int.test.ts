// The worker's ExchangePort (ccxt) against the in-process simulator: snapshots, exit orders,
// refusals before the network, one send per call (the look-up before a resend and the retries are
// the gateway's: worker/gateway/exit-order-gateway.int.test.ts), and the account's position mode.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { admin, orderLog, resetAccount, startTestSimulator } from "../../sim/testing/test-simulator";
import { PriceStream } from "../market/price-stream";
import { ExchangePortError, ExitOrderRefusedError } from "./classify-error";
import { clientOrderIdFor } from "./client-order-id";
import { createExchange } from "./create-exchange";
import type { ExchangePort } from "./exchange-port";
import { exitRequest, sendOnce } from "./testing/exit-request";
import { simExchangeEnv } from "./testing/sim-exchange";

let sim: RunningSimulator;
let port: ExchangePort;

const env = (url: string) => simExchangeEnv({ url });

beforeAll(async () => {
  sim = await startTestSimulator();
  // Short timeout so "accept then time out" costs little; retries without delay.
  port = await createExchange(env(sim.url), { timeoutMs: 500 });
  // The first exchangeInfo read (large, cold) can exceed 500 ms on a loaded machine; every test
  // needs the markets, so load them once here, with a few tries, instead of failing the whole file.
  for (let attempt = 1; ; attempt++) {
    try {
      await port.loadMarkets();
      break;
    } catch (err) {
      if (attempt === 5) throw err;
    }
  }
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

const close = (decisionId: string, quantity = 0.1): ExitOrderRequest =>
  exitRequest(decisionId, { symbol: "ETHUSDT", positionSide: "short", orderType: "MARKET", quantity, positionSize: 0.5 });

describe("markets", () => {
  it("a first market load that fails (timeout) does not doom the port: the next call loads them", async () => {
    // ccxt keeps a failed loadMarkets promise and hands it back on every later call unless asked to
    // reload; a worker whose first exchangeInfo read timed out would never trade again.
    const fresh = await createExchange(env(sim.url), { timeoutMs: 500 });
    try {
      await admin(sim, "POST", "/admin/faults", { kind: "timeout", path: "/fapi/v1/exchangeInfo", method: "GET", count: 1 });
      await expect(fresh.loadMarkets()).rejects.toThrow(/exchangeInfo/);
      await admin(sim, "DELETE", "/admin/faults");
      expect((await fresh.loadMarkets()).map((m) => m.symbol)).toContain("ETHUSDT");
      expect((await fresh.fetchPositions()).map((p) => p.symbol)).toContain("ETHUSDT");
    } finally {
      await fresh.close();
    }
  });
});

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
    const placed = await sendOnce(port, close("x-close"));
    expect(placed.order).toMatchObject({ type: "MARKET", status: "closed", filled: 0.1, reduceOnly: true, clientOrderId: clientOrderIdFor("x-close") });
    const short = { symbol: "ETHUSDT", positionSide: "short" } as const;
    await sendOnce(port, exitRequest("x-sl", { ...short, orderType: "STOP_MARKET", quantity: 0.4, stopPrice: px * 1.05 }));
    await sendOnce(port, exitRequest("x-tp", { ...short, orderType: "TAKE_PROFIT_MARKET", quantity: 0.4, closePosition: true, stopPrice: px * 0.95 }));
    await sendOnce(port, exitRequest("x-tr", { ...short, orderType: "TRAILING_STOP_MARKET", quantity: 0.2, callbackRate: 2 }));
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
      await expect(sendOnce(dead, req)).rejects.toBeInstanceOf(ExitOrderRefusedError);
    } finally {
      await dead.close();
    }
    expect((await orderLog(sim, clientOrderIdFor("x-not-ro"))).orders).toHaveLength(0);
  });

  it("places a reduce-only part below min notional (Binance exempts reduce-only orders from it)", async () => {
    const placed = await sendOnce(port, close("x-tiny", 0.001)); // ~0.001 ETH: far under the 20 USDT minimum
    expect(placed.order).toMatchObject({ reduceOnly: true, quantity: 0.001 });
    expect((await orderLog(sim, clientOrderIdFor("x-tiny"))).orders).toHaveLength(1);
  });

  it("passes the venue's reduce-only rejection on as a permanent invalid_order (-2022)", async () => {
    const err = await sendOnce(port, { ...close("x-wrong-side"), side: "sell" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangePortError);
    expect(err).toMatchObject({ kind: "invalid_order", retryable: false, code: -2022 });
  });
});

describe("one send per call: idempotency and retries are the gateway's", () => {
  it("accepted then timed out: the port answers 'outcome unknown' and does not resend; the order exists once", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "accept-then-timeout", path: "/fapi/v1/order", method: "POST", count: 1, holdMs: 5000 });
    const err = await sendOnce(port, close("once-timeout")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangePortError);
    expect(err).toMatchObject({ outcomeUnknown: true });
    const log = await orderLog(sim, clientOrderIdFor("once-timeout"));
    expect(log.orders).toHaveLength(1);
    expect(sim.sim.engine.book.amt("ETHUSDT")).toBe(-0.4); // closed 0.1 once
    // what the gateway does next: look it up by the client order id
    expect(await port.fetchOrderByClientId("ETHUSDT", clientOrderIdFor("once-timeout"), false)).toMatchObject({ status: "closed", filled: 0.1 });
  });

  it("a 503 is passed on as retryable, nothing placed (the gateway re-checks the state, then retries)", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "http-5xx", path: "/fapi/v1/order", method: "POST", count: 1 });
    const err = await sendOnce(port, close("once-503")).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true });
    expect((await orderLog(sim, clientOrderIdFor("once-503"))).orders).toHaveLength(0);
  });

  it("with reads throttled (as on Binance), orders bypass the throttle queue and share the loaded markets", async () => {
    const throttled = await createExchange(env(sim.url), { timeoutMs: 5000, throttleReads: true });
    try {
      await throttled.loadMarkets();
      await throttled.fetchPositionMode(); // as the worker does when it connects
      // Counts every exchangeInfo request from here on: the order client must not load markets itself.
      const counter = await admin<{ fault: { id: number } }>(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/exchangeInfo", latencyMs: 0 });
      // Account-wide open-order reads weigh 40 each: ccxt's throttle spaces them ~2 s apart.
      let readsDone = 0;
      const reads = Array.from({ length: 4 }, () => throttled.fetchOpenOrders().then(() => readsDone++, () => readsDone++));
      const placed = await sendOnce(throttled, close("unthrottled-order"));
      const stop = await sendOnce(throttled, exitRequest("unthrottled-stop", {
        symbol: "ETHUSDT", positionSide: "short", orderType: "STOP_MARKET", quantity: 0.4, closePosition: true, stopPrice: sim.sim.feed.price("ETHUSDT") * 1.1,
      }));
      await throttled.cancelOrder({ symbol: "ETHUSDT", conditional: true, clientOrderId: stop.clientOrderId });
      // Two sends and a cancel did not wait behind the queued reads.
      expect(readsDone).toBeLessThan(reads.length - 1);
      expect(placed.order.status).toBe("closed");
      expect((await orderLog(sim, clientOrderIdFor("unthrottled-order"))).orders).toHaveLength(1);
      expect(sim.sim.engine.openAlgos("ETHUSDT").filter((a) => a.clientAlgoId === stop.clientOrderId)).toEqual([]);
      const { faults } = await admin<{ faults: { id: number; fired: number }[] }>(sim, "GET", "/admin/faults");
      expect(faults.find((f) => f.id === counter.fault.id)?.fired).toBe(0);
    } finally {
      await throttled.close();
    }
  });
});

describe("position mode", () => {
  it("hedge mode: detected at connect; LONG and SHORT on one symbol stay apart; each exit names its position side, without reduceOnly", async () => {
    await resetAccount(sim, "hedge");
    const hedged = await createExchange(env(sim.url), { timeoutMs: 2_000 });
    try {
      expect(await hedged.fetchPositionMode()).toBe("hedge");
      expect(hedged.positionMode()).toEqual({ connected: "hedge", refusal: null });
      await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.3, leverage: 5 });
      await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "short", quantity: 0.2, leverage: 5 });
      const positions = (await hedged.fetchPositions()).filter((p) => p.symbol === "BTCUSDT").map((p) => [p.side, p.size]).sort();
      expect(positions).toEqual([["long", 0.3], ["short", 0.2]]);
      const px = sim.sim.feed.price("BTCUSDT");
      const longStop = await sendOnce(hedged, exitRequest("hedge-long-sl", { symbol: "BTCUSDT", positionSide: "long", orderType: "STOP_MARKET", quantity: 0.3, positionSize: 0.3, stopPrice: px * 0.9 }));
      const shortStop = await sendOnce(hedged, exitRequest("hedge-short-sl", { symbol: "BTCUSDT", positionSide: "short", orderType: "STOP_MARKET", quantity: 0.2, positionSize: 0.2, stopPrice: px * 1.1 }));
      const open = await hedged.fetchOpenOrders("BTCUSDT");
      expect(open.find((o) => o.clientOrderId === longStop.clientOrderId)).toMatchObject({ side: "sell", positionSide: "LONG" });
      expect(open.find((o) => o.clientOrderId === shortStop.clientOrderId)).toMatchObject({ side: "buy", positionSide: "SHORT" });
      // a partial market close of the short leaves the long alone
      await sendOnce(hedged, exitRequest("hedge-short-close", { symbol: "BTCUSDT", positionSide: "short", orderType: "MARKET", quantity: 0.1, positionSize: 0.2 }));
      expect(sim.sim.engine.book.amt("BTCUSDT", "SHORT")).toBeCloseTo(-0.1, 9);
      expect(sim.sim.engine.book.amt("BTCUSDT", "LONG")).toBeCloseTo(0.3, 9);
    } finally {
      await hedged.close();
      await resetAccount(sim, "one-way");
    }
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
    const fresh = await createExchange(env(sim.url), { timeoutMs: 2_000 });
    try {
      const { fault } = await admin<{ fault: { id: number } }>(sim, "POST", "/admin/faults", { kind: "http-5xx", path: "/fapi/v1/ticker" });
      const placed = await sendOnce(fresh, close("no-price-needed"));
      expect(placed.order.status).toBe("closed");
      expect((await orderLog(sim, clientOrderIdFor("no-price-needed"))).orders).toHaveLength(1);
      const { faults } = await admin<{ faults: { id: number; fired: number }[] }>(sim, "GET", "/admin/faults");
      expect(faults.find((f) => f.id === fault.id)?.fired).toBe(0); // no ticker was requested
    } finally {
      await admin(sim, "DELETE", "/admin/faults");
      await fresh.close();
    }
  });
});
