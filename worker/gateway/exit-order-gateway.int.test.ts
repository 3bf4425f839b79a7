// The gateway end to end: real PostgreSQL, real ccxt, the simulator over HTTP. Proves: in LIVE no
// legacy order reaches the exchange (each counted blocked); in SHADOW legacy orders are placed
// (each a conflict) and the executor never trades; a kill switch committed between decision and
// submit stops the order; a non-reduce-only request never leaves the worker; under injected
// timeouts and 5xx every placed order exists exactly once on the exchange.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { admin, orderLog, startTestSimulator, TEST_CREDENTIALS } from "../../sim/testing/test-simulator";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { parseCeilings, type ToggleSet } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { killSwitch } from "../../src/server/services/toggles/rollbacks";
import { readStoredToggles } from "../../src/server/services/toggles/toggle-row";
import { getExitMetrics } from "../../src/server/services/status/get-exit-metrics";
import { createExchange } from "../exchange/create-exchange";
import type { ExchangePort } from "../exchange/exchange-port";
import { ExitOrderGateway } from "./exit-order-gateway";
import { venueFromExchange } from "./venue-from-exchange";

const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const SHADOW: ToggleSet = { ...LIVE, EXIT_EXECUTOR_MODE: "SHADOW" };
const log = createLogger({ name: "test", level: "silent", console: false });

let t: TestDatabase;
let sim: RunningSimulator;
let port: ExchangePort;
let slowPort: ExchangePort;
let pool: pg.Pool;
let gateway: ExitOrderGateway;
let seq = 0;

async function setState(toggles: ToggleSet): Promise<{ state: "EXIT_BRAIN_V3_LIVE" | "EXIT_BRAIN_V3_SHADOW"; toggleVersion: number }> {
  await changeToggles(t.db, { changes: toggles, actor: "test", source: "api", reason: "test", confirmLive: true, ceilings: {} });
  const v = (await readStoredToggles(t.db))!.version;
  return { state: toggles.EXIT_EXECUTOR_MODE === "LIVE" ? "EXIT_BRAIN_V3_LIVE" : "EXIT_BRAIN_V3_SHADOW", toggleVersion: v };
}

function stopFor(module: string, over: Partial<ExitOrderRequest> = {}): ExitOrderRequest {
  seq++;
  return {
    module, kind: "sl", symbol: "BTCUSDT", positionSide: "long", side: "sell", orderType: "STOP_MARKET",
    quantity: 0.01, stopPrice: 20_000 + seq, reduceOnly: true, decisionId: `${module}:test:${seq}:${Date.now()}`, ...over,
  };
}

/** Sessions on the test database that hold an open transaction or wait for a row lock. */
async function sessions(what: "idle in transaction" | "waiting on lock"): Promise<number> {
  const rows = await t.db.$queryRawUnsafe<{ n: bigint }[]>(
    what === "idle in transaction"
      ? `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`
      : `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function onExchange(clientOrderId: string): Promise<number> {
  return (await orderLog(sim, clientOrderId)).orders.filter((o) => o.clientOrderId === clientOrderId).length;
}

beforeAll(async () => {
  t = await createTestDatabase("gateway");
  await bootToggles(t.db, {});
  sim = await startTestSimulator();
  port = await createExchange(
    { EXCHANGE: "sim", SIM_URL: sim.url, SIM_PORT: 0, SIM_API_KEY: TEST_CREDENTIALS.apiKey, SIM_API_SECRET: TEST_CREDENTIALS.apiSecret, BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined },
    { timeoutMs: 400, retryDelayMs: 0, maxSubmitAttempts: 1 },
  );
  slowPort = await createExchange(
    { EXCHANGE: "sim", SIM_URL: sim.url, SIM_PORT: 0, SIM_API_KEY: TEST_CREDENTIALS.apiKey, SIM_API_SECRET: TEST_CREDENTIALS.apiSecret, BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined },
    { timeoutMs: 5000, retryDelayMs: 0, maxSubmitAttempts: 1 },
  );
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
  gateway = new ExitOrderGateway({ pool, venue: venueFromExchange(port), ceilings: parseCeilings({}), log, backoffMs: 20 });
});
afterAll(async () => {
  await port?.close();
  await slowPort?.close();
  await sim?.close();
  await pool?.end();
  await t?.drop();
});
beforeEach(async () => {
  await admin(sim, "DELETE", "/admin/faults");
  for (const p of sim.sim.engine.book.all()) await admin(sim, "POST", "/admin/position/close", { symbol: p.symbol });
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.5, leverage: 5 });
});

describe("ExitOrderGateway against the simulator", () => {
  it("LIVE: legacy orders are blocked, never reach the exchange, and are counted; the executor's order is placed once", async () => {
    const under = await setState(LIVE);
    const before = await getExitMetrics(t.db);
    for (const module of ["position_monitor", "hybrid_tpsl"]) {
      const r = await gateway.submit(stopFor(module), under);
      expect(r.outcome).toBe("blocked");
      expect(r.decision.blockedLegacy).toBe(true);
      expect(await onExchange(r.clientOrderId)).toBe(0);
    }
    const mine = await gateway.submit(stopFor("exit_executor"), under);
    expect(mine).toMatchObject({ outcome: "placed", duplicateSuppressed: false });
    expect(await onExchange(mine.clientOrderId)).toBe(1);
    const after = await getExitMetrics(t.db);
    expect(after.blocked_legacy_orders - before.blocked_legacy_orders).toBe(2);
    expect(after.ownership_conflicts - before.ownership_conflicts).toBe(2);
    expect((after.orders_by_module.exit_executor ?? 0) - (before.orders_by_module.exit_executor ?? 0)).toBe(1);
    const row = await t.db.exitOrderAttempt.findUnique({ where: { clientOrderId: mine.clientOrderId } });
    expect(row).toMatchObject({ operationalState: "EXIT_BRAIN_V3_LIVE", toggleVersion: BigInt(under.toggleVersion), outcome: "placed", exchangeOrderId: mine.exchangeOrderId });
  });

  it("SHADOW: legacy orders are placed and each is an ownership conflict; the executor never trades", async () => {
    const under = await setState(SHADOW);
    const before = await getExitMetrics(t.db);
    const legacy = await gateway.submit(stopFor("position_monitor"), under);
    expect(legacy).toMatchObject({ outcome: "placed" });
    expect(legacy.decision.verdict).toBe("allow_conflict");
    expect(await onExchange(legacy.clientOrderId)).toBe(1);
    const brain = await gateway.submit(stopFor("exit_executor"), under);
    expect(brain.outcome).toBe("blocked");
    expect(await onExchange(brain.clientOrderId)).toBe(0);
    const after = await getExitMetrics(t.db);
    expect(after.ownership_conflicts - before.ownership_conflicts).toBe(1);
    expect(after.blocked_legacy_orders).toBe(before.blocked_legacy_orders);
  });

  it("a kill switch committed between decision and submit stops the executor's order", async () => {
    const under = await setState(LIVE); // the executor decided while LIVE...
    await killSwitch(t.db, { actor: "op", source: "dashboard", ceilings: {} }); // ...then the switch committed
    const r = await gateway.submit(stopFor("exit_executor"), under);
    expect(r.outcome).toBe("blocked");
    expect(r.error).toMatch(/re-checked before submit on committed state EXIT_BRAIN_V3_SHADOW/);
    expect(await onExchange(r.clientOrderId)).toBe(0);
  });

  it("a kill switch cannot commit while an order is being sent: it waits for the send (never a send after commit)", async () => {
    const under = await setState(LIVE);
    // The order request is held 1.5 s by the simulator; the gateway holds its share lock meanwhile.
    await admin(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/algoOrder", method: "POST", latencyMs: 1500, count: 1 });
    const slow = new ExitOrderGateway({ pool, venue: venueFromExchange(slowPort), ceilings: parseCeilings({}), log, sendLockMs: 10_000 });
    const submitting = slow.submit(stopFor("exit_executor"), under);
    await expect.poll(() => sessions("idle in transaction"), { timeout: 5_000 }).toBeGreaterThan(0); // lock held, send in flight
    const switched = killSwitch(t.db, { actor: "op", source: "dashboard", ceilings: {} });
    await expect.poll(() => sessions("waiting on lock"), { timeout: 5_000 }).toBeGreaterThan(0); // the switch waits
    expect((await readStoredToggles(t.db))!.toggles.EXIT_BRAIN_V3_LIVE_ROLLOUT).toBe("ENABLED"); // not committed yet
    const [r] = await Promise.all([submitting, switched]);
    expect(r.outcome).toBe("placed"); // it was sent before the switch committed...
    expect(await onExchange(r.clientOrderId)).toBe(1);
    const after = await slow.submit(stopFor("exit_executor"), under); // ...and nothing after it
    expect(after.outcome).toBe("blocked");
    expect(await onExchange(after.clientOrderId)).toBe(0);
  });

  it("a request that is not reduce-only never leaves the worker, in any state", async () => {
    for (const toggles of [LIVE, SHADOW]) {
      const under = await setState(toggles);
      const r = await gateway.submit(stopFor("exit_executor", { reduceOnly: false }), under);
      expect(r.outcome).toBe("blocked");
      expect(r.error).toMatch(/not reduce-only/);
      expect(await onExchange(r.clientOrderId)).toBe(0);
    }
  });

  it("a retried decision is never sent twice (same decision id -> same order)", async () => {
    const under = await setState(LIVE);
    const req = stopFor("exit_executor");
    const a = await gateway.submit(req, under);
    const b = await gateway.submit(req, under);
    expect(a.outcome).toBe("placed");
    expect(b).toMatchObject({ outcome: "placed", duplicateSuppressed: true, exchangeOrderId: a.exchangeOrderId });
    expect(await onExchange(a.clientOrderId)).toBe(1);
  });

  it("under 20% injected timeouts (after acceptance) and 5xx, every placed order exists exactly once", async () => {
    const under = await setState(LIVE);
    await admin(sim, "POST", "/admin/faults", { kind: "accept-then-timeout", path: "/fapi/v1/algoOrder", method: "POST", rate: 0.2, holdMs: 2000 });
    await admin(sim, "POST", "/admin/faults", { kind: "http-5xx", path: "/fapi/v1/algoOrder", method: "POST", rate: 0.1 });
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await gateway.submit(stopFor("exit_executor"), under));
    const outcomes = results.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === "placed").length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o === "placed" || o === "failed")).toBe(true);
    for (const r of results) expect(await onExchange(r.clientOrderId)).toBe(r.outcome === "placed" ? 1 : 0);
    const rules = (await admin<{ faults: { fired: number }[] }>(sim, "GET", "/admin/faults")).faults;
    expect(rules.reduce((n, f) => n + f.fired, 0)).toBeGreaterThan(0); // faults really happened
  });
});
