// The order lifecycle from what the exchange reports: real PostgreSQL, real ccxt, the simulator
// over HTTP. Orders go through the real gateway; the recorder reads the same open orders and
// look-ups the worker's leader does. Proves: a resting stop is open; a fired stop is filled with
// its price; a cancel through the gateway names the module and reason, one sent by hand on the
// exchange is the exchange's; a market close is filled; an expired and a rejected stop say so;
// each change is one event row, and a later observation never reopens a finished order.
// Fees: the user-data stream's fills (ORDER_TRADE_UPDATE `n`/`N`) reach the attempt row, for a
// market close and for a stop filled through the order the exchange placed when it triggered:
// the simulator charges Binance's taker rate, 0.04 % of the notional, in USDT.
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { parseCeilings, type ToggleSet } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { readStoredToggles } from "../../src/server/db/toggle-row";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin } from "../../sim/testing/test-simulator";
import type { TestDatabase } from "../../test/test-database";
import type { StreamClient } from "../exchange/stream-endpoints";
import { UserDataStream } from "../exchange/user-data-stream";
import { FeeRecorder } from "./fee-recorder";
import type { ExchangePort } from "../exchange/exchange-port";
import type { DecidedUnder } from "../gateway/exit-order-gateway";
import { ExitOrderGateway } from "../gateway/exit-order-gateway";
import { withCancelRecords, type OrderGateway } from "./lifecycle-gateway";
import { recordLifecycle } from "./record-lifecycle";
import { connectSimStreamClient } from "../exchange/testing/sim-exchange";
import { startSimTestWorld, type SimTestWorld } from "../exchange/testing/sim-test-world";

const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const log = createLogger({ name: "test", level: "silent", console: false });

let t: TestDatabase;
let world: SimTestWorld | undefined;
let sim: RunningSimulator;
let port: ExchangePort;
let pool: pg.Pool;
let gateway: OrderGateway;
let under: DecidedUnder;
let seq = 0;
let client: StreamClient;
let userData: UserDataStream;
let fees: FeeRecorder;

function stop(stopPrice: number, over: Partial<ExitOrderRequest> = {}): ExitOrderRequest {
  seq++;
  return {
    module: "exit_executor", kind: "sl", symbol: "BTCUSDT", positionSide: "long", side: "sell", orderType: "STOP_MARKET",
    quantity: 0.01, stopPrice, reduceOnly: true, decisionId: `lifecycle:test:${seq}:${Date.now()}`, ...over,
  };
}

async function cycle() {
  const account = { at: Date.now(), positions: await port.fetchPositions(), openOrders: await port.fetchOpenOrders() };
  return recordLifecycle({ pool, port, log, settleMs: 0, fees }, account);
}

/** Waits until the stream delivered the fills' fees and they are written. */
async function feesIn(clientOrderIds: string[]): Promise<void> {
  const end = Date.now() + 10_000;
  while (!clientOrderIds.every((id) => fees.feeOf(id) !== null)) {
    if (Date.now() > end) throw new Error(`no fee arrived on the user-data stream for ${clientOrderIds.join(", ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await fees.flushed();
}

async function row(clientOrderId: string) {
  return t.db.exitOrderAttempt.findUniqueOrThrow({ where: { clientOrderId } });
}

async function events(clientOrderId: string): Promise<string[]> {
  const r = await row(clientOrderId);
  return (await t.db.exitOrderEvent.findMany({ where: { attemptId: r.id }, orderBy: { id: "asc" } })).map((e) => e.status);
}

beforeAll(async () => {
  world = await startSimTestWorld({ database: "order_lifecycle", timeoutMs: 3000 });
  ({ t, sim, port, pool } = world);
  gateway = withCancelRecords(new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, backoffMs: 20 }), pool, log);
  // The worker's user-data stream, its events fed to the fee recorder as worker/main.ts does.
  fees = new FeeRecorder(pool, log);
  client = await connectSimStreamClient(sim);
  userData = new UserDataStream(client.listenKeys, { pingMs: 200, gapMs: 2_000, keepAliveMs: 60_000, initialBackoffMs: 50, maxBackoffMs: 200 });
  userData.on("event", (e) => fees.observe(e));
  const connected = new Promise<void>((resolve) => userData.once("connected", () => resolve()));
  userData.start();
  await connected;
  await changeToggles(t.db, { changes: LIVE, actor: "test", source: "api", reason: "test", confirmLive: true, ceilings: {} });
  under = { state: "EXIT_BRAIN_V3_LIVE", toggleVersion: (await readStoredToggles(t.db))!.version };
});
afterAll(async () => {
  await userData?.stop();
  await client?.close();
  await world?.close();
});
beforeEach(async () => {
  await admin(sim, "DELETE", "/admin/trigger-faults");
  for (const p of sim.sim.engine.book.all()) await admin(sim, "POST", "/admin/position/close", { symbol: p.symbol });
  for (const a of sim.sim.engine.openAlgos()) if (a.algoStatus === "NEW") sim.sim.engine.cancelAlgo(a.symbol, { algoId: a.algoId });
  await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 50_000 });
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
  // Earlier tests' orders are over on the exchange; let the recorder settle them first.
  await cycle();
  await cycle();
});

describe("order lifecycle recorded from the exchange", () => {
  it("a resting stop is open; when the price reaches it, it is filled at its price; one event per change", async () => {
    const placed = await gateway.submit(stop(49_000), under);
    expect(placed.outcome).toBe("placed");
    expect(await row(placed.clientOrderId)).toMatchObject({ exchangeStatus: null });
    await cycle();
    expect(await row(placed.clientOrderId)).toMatchObject({ exchangeStatus: "open" });
    await cycle();
    expect(await events(placed.clientOrderId)).toEqual(["open"]);

    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 48_800 });
    await feesIn([placed.clientOrderId]);
    await cycle();
    const filled = await row(placed.clientOrderId);
    expect(filled).toMatchObject({ exchangeStatus: "filled", filledQuantity: 0.01, feeAsset: "USDT" });
    expect(filled.fillPrice).toBeGreaterThan(48_000);
    expect(filled.fillPrice).toBeLessThanOrEqual(49_000);
    // taker 0.04 % of the notional, charged on the market order the stop placed when it fired
    expect(filled.fee).toBeCloseTo(0.01 * filled.fillPrice! * 0.0004, 8);
    expect(await events(placed.clientOrderId)).toEqual(["open", "filled"]);
    const history = await t.db.exitOrderEvent.findMany({ where: { attemptId: filled.id, status: "filled" } });
    expect(history[0]!.detail).toMatch(/\(fee 0\.\d+ USDT\)/);
    // a later cycle never reopens it
    await cycle();
    expect((await row(placed.clientOrderId)).exchangeStatus).toBe("filled");
  });

  it("a stop held while firing is triggered first", async () => {
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "hold", symbol: "BTCUSDT", count: 1 });
    const placed = await gateway.submit(stop(49_000), under);
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 48_800 });
    await cycle();
    expect((await row(placed.clientOrderId)).exchangeStatus).toBe("triggered");
    await admin(sim, "POST", "/admin/trigger-faults/release", {});
    await cycle();
    expect(await events(placed.clientOrderId)).toEqual(["triggered", "filled"]);
  });

  it("a cancel through the gateway names the module and reason; one made on the exchange by hand is the exchange's", async () => {
    const mine = await gateway.submit(stop(48_000), under);
    const theirs = await gateway.submit(stop(47_000), under);
    await cycle();
    const c = await gateway.cancel({ module: "exit_executor", ref: { symbol: "BTCUSDT", conditional: true, id: mine.exchangeOrderId! }, reason: "replaced by a tighter stop", leaderEpoch: null });
    expect(c.outcome).toBe("cancelled");
    expect(await row(mine.clientOrderId)).toMatchObject({ exchangeStatus: "cancelled", cancelledBy: "exit_executor", cancelReason: "replaced by a tighter stop" });
    await port.cancelOrder({ symbol: "BTCUSDT", conditional: true, clientOrderId: theirs.clientOrderId });
    await cycle();
    expect(await row(theirs.clientOrderId)).toMatchObject({ exchangeStatus: "cancelled", cancelledBy: "exchange" });
    expect((await row(theirs.clientOrderId)).cancelReason).toMatch(/not through this worker/);
    expect(await events(mine.clientOrderId)).toEqual(["open", "cancelled"]);
  });

  it("a market close is filled; an expired and a rejected stop say so", async () => {
    const close = await gateway.submit(stop(0, { kind: "close", orderType: "MARKET", stopPrice: null, quantity: 0.005 }), under);
    expect(close.outcome).toBe("placed");
    await feesIn([close.clientOrderId]);
    await cycle();
    const closed = await row(close.clientOrderId);
    expect(closed).toMatchObject({ exchangeStatus: "filled", filledQuantity: 0.005, feeAsset: "USDT" });
    expect(closed.fee).toBeCloseTo(0.005 * closed.fillPrice! * 0.0004, 8);

    await admin(sim, "POST", "/admin/trigger-faults", { kind: "reject", count: 1 });
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "expire", count: 1 });
    const a = await gateway.submit(stop(49_000, { quantity: 0.002 }), under);
    const b = await gateway.submit(stop(48_900, { quantity: 0.002 }), under);
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 48_800 });
    await cycle();
    expect((await row(a.clientOrderId)).exchangeStatus).toBe("rejected");
    expect((await row(b.clientOrderId)).exchangeStatus).toBe("expired");
  });

  it("look-ups per cycle are bounded; the rest are settled by later cycles", async () => {
    const placed = [];
    for (let i = 0; i < 4; i++) placed.push(await gateway.submit(stop(45_000 + i, { quantity: 0.001 }), under));
    await cycle();
    for (const p of placed) await port.cancelOrder({ symbol: "BTCUSDT", conditional: true, clientOrderId: p.clientOrderId });
    const account = { at: Date.now(), positions: [], openOrders: await port.fetchOpenOrders() };
    const first = await recordLifecycle({ pool, port, log, settleMs: 0, maxLookUps: 3 }, account);
    expect(first.lookedUp).toBe(3);
    const second = await recordLifecycle({ pool, port, log, settleMs: 0, maxLookUps: 3 }, account);
    expect(second.lookedUp).toBe(1);
    for (const p of placed) expect((await row(p.clientOrderId)).exchangeStatus).toBe("cancelled");
  });
});
