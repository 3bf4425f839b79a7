// Binance's algo-order lifecycle end to end: the simulator (over HTTP, through ccxt and the
// worker's ExchangePort) holds a stop in TRIGGERING, fills one partly, finishes one without a fill,
// rejects and expires others; the port reports each state, and a stop stuck in TRIGGERING makes
// its position unprotected in position_safety, which the watchdog's unprotected_position rule
// reads from PostgreSQL alone.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_WATCHDOG_CONFIG, unprotectedPositionRule } from "../../src/core/watchdog";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator } from "../../sim/testing/test-simulator";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { recordPositionSafety } from "../account/safety-recorder";
import { gatherSnapshot } from "../watchdog/gather-snapshot";
import { createExchange } from "./create-exchange";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import type { ExchangePort } from "./exchange-port";
import { exitRequest, sendOnce } from "./testing/exit-request";
import { simExchangeEnv } from "./testing/sim-exchange";

let sim: RunningSimulator;
let port: ExchangePort;
let t: TestDatabase;
let pool: pg.Pool;
// The port's clock runs 10 s behind: a stop it sees firing "now" has been firing for 10 s by the
// time the safety recorder judges it (no waiting in the test).
const LAG_MS = 10_000;

const env = (url: string) => simExchangeEnv({ url });

beforeAll(async () => {
  sim = await startTestSimulator();
  port = await createExchange(env(sim.url), { timeoutMs: 3000, now: () => Date.now() - LAG_MS });
  t = await createTestDatabase("algo_lifecycle");
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
});
afterAll(async () => {
  await port?.close();
  await sim?.close();
  await pool?.end();
  await t?.drop();
});
beforeEach(async () => {
  await admin(sim, "DELETE", "/admin/trigger-faults");
  await admin(sim, "POST", "/admin/trigger-faults/release", {});
  for (const p of sim.sim.engine.book.all()) await admin(sim, "POST", "/admin/position/close", { symbol: p.symbol });
  for (const a of sim.sim.engine.openAlgos()) if (a.algoStatus === "NEW") sim.sim.engine.cancelAlgo(a.symbol, { algoId: a.algoId });
  await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 50_000 });
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
});

const stop = (decisionId: string, quantity = 0.01): ExitOrderRequest =>
  exitRequest(decisionId, { symbol: "BTCUSDT", positionSide: "long", orderType: "STOP_MARKET", quantity, stopPrice: 49_000 });

async function fire(): Promise<void> {
  await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 48_800 });
}

describe("the port reports each algo state", () => {
  it("a stop held in TRIGGERING stays an open order, stamped with when it was first seen firing", async () => {
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "hold", symbol: "BTCUSDT", count: 1 });
    const placed = await sendOnce(port, stop("held-1"));
    await fire();
    const open = (await port.fetchOpenOrders()).filter((o) => o.clientOrderId === placed.clientOrderId);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ conditional: true, algoStatus: "TRIGGERING", status: "open" });
    expect(open[0]!.triggeringSince).toBeLessThanOrEqual(Date.now() - LAG_MS + 1000);
    await admin(sim, "POST", "/admin/trigger-faults/release", {});
    expect(await port.fetchOrderByClientId("BTCUSDT", placed.clientOrderId, true)).toMatchObject({ algoStatus: "FINISHED", status: "closed", filled: 0.01 });
    expect((await port.fetchPositions()).filter((p) => p.symbol === "BTCUSDT")).toEqual([]);
  });

  it("FINISHED with part of the quantity executed (closed, filled < quantity), or with none (expired)", async () => {
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "partial-fill", fillRatio: 0.5, count: 1 });
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "partial-fill", fillRatio: 0, count: 1 });
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01 });
    const a = await sendOnce(port, stop("partial-1"));
    const b = await sendOnce(port, { ...stop("partial-2"), stopPrice: 48_900 });
    await fire();
    expect(await port.fetchOrderByClientId("BTCUSDT", a.clientOrderId, true)).toMatchObject({ algoStatus: "FINISHED", status: "closed", filled: 0.005, quantity: 0.01 });
    expect(await port.fetchOrderByClientId("BTCUSDT", b.clientOrderId, true)).toMatchObject({ algoStatus: "FINISHED", status: "expired", filled: 0 });
    expect((await port.fetchPositions()).find((p) => p.symbol === "BTCUSDT")?.size).toBeCloseTo(0.015, 9);
  });

  it("REJECTED and EXPIRED", async () => {
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "reject", count: 1 });
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "expire", count: 1 });
    const a = await sendOnce(port, stop("rejected-1", 0.005));
    const b = await sendOnce(port, { ...stop("expired-1", 0.005), stopPrice: 48_900 });
    await fire();
    expect(await port.fetchOrderByClientId("BTCUSDT", a.clientOrderId, true)).toMatchObject({ algoStatus: "REJECTED", status: "rejected" });
    expect(await port.fetchOrderByClientId("BTCUSDT", b.clientOrderId, true)).toMatchObject({ algoStatus: "EXPIRED", status: "expired" });
  });
});

describe("trailing stop", () => {
  it("with an activation price: accepted by the simulator's /fapi/v1/algoOrder, which takes Binance's activatePrice", async () => {
    const placed = await sendOnce(port, exitRequest("trail-1", { symbol: "BTCUSDT", positionSide: "long", orderType: "TRAILING_STOP_MARKET", quantity: 0.01, callbackRate: 1, activationPrice: 51_000 }));
    expect(placed.order).toMatchObject({ type: "TRAILING_STOP_MARKET", algoStatus: "NEW", status: "open" });
    expect(sim.sim.engine.findAlgo("BTCUSDT", { clientAlgoId: placed.clientOrderId })?.activationPrice).toBe(51_000);
  });
});

describe("a stop stuck in TRIGGERING counts as unprotected", () => {
  it("position_safety marks the position unprotected, and the watchdog's rule fires on what it reads from PostgreSQL", async () => {
    await admin(sim, "POST", "/admin/trigger-faults", { kind: "hold", symbol: "BTCUSDT" });
    await sendOnce(port, stop("stuck-1"));
    await fire();
    const account = async () => ({ at: Date.now(), positions: await port.fetchPositions(), openOrders: await port.fetchOpenOrders() });
    const first = await account();
    expect(first.openOrders.find((o) => o.algoStatus === "TRIGGERING")).toBeDefined();
    expect(await recordPositionSafety(pool, first)).toMatchObject({ positions: 1, unprotected: 1 });
    const { snapshot } = await gatherSnapshot(t.db, DEFAULT_WATCHDOG_CONFIG);
    expect(snapshot.positions).toEqual([expect.objectContaining({ symbol: "BTCUSDT", side: "long" })]);
    expect(snapshot.positions[0]!.unprotectedForMs).not.toBeNull();
    const firing = unprotectedPositionRule({ ...snapshot, positions: snapshot.positions.map((p) => ({ ...p, unprotectedForMs: 31_000 })) }, DEFAULT_WATCHDOG_CONFIG);
    expect(firing?.reason).toMatch(/BTCUSDT long/);

    // A fresh stop (NEW) protects it again.
    await admin(sim, "DELETE", "/admin/trigger-faults");
    await sendOnce(port, { ...stop("fresh-1"), stopPrice: 47_000 });
    expect(await recordPositionSafety(pool, await account())).toMatchObject({ positions: 1, unprotected: 0 });
    expect((await gatherSnapshot(t.db, DEFAULT_WATCHDOG_CONFIG)).snapshot.positions[0]!.unprotectedForMs).toBeNull();
  });
});
