// The gateway end to end: real PostgreSQL, real ccxt, the simulator over HTTP. Proves: in LIVE no
// legacy order reaches the exchange (each counted blocked); in SHADOW legacy orders are placed
// (each a conflict) and the executor never trades; a kill switch committed between decision and
// submit stops the order; a kill switch never waits for an order in flight, which lands only by
// its deadline; a send slower than its deadline never lands; the lease renews while an order is
// out; cancels are checked like orders; a non-reduce-only request never leaves the worker; under
// injected timeouts and 5xx every placed order exists exactly once on the exchange (the look-up
// before a resend is the gateway's alone: the port sends once). Every case runs with the account in
// one-way mode and in hedge mode (positionSide LONG/SHORT, no reduceOnly); a position mode changed
// while the worker runs stops every send until a restart.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { admin, orderLog, resetAccount, startTestSimulator, type TestPositionMode } from "../../sim/testing/test-simulator";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { parseCeilings, type ToggleSet } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { killSwitch } from "../../src/server/services/toggles/rollbacks";
import { readStoredToggles } from "../../src/server/db/toggle-row";
import { getExitMetrics } from "../../src/server/services/status/get-exit-metrics";
import { performance } from "node:perf_hooks";
import { clientOrderIdFor } from "../exchange/client-order-id";
import { createExchange } from "../exchange/create-exchange";
import { LeaderLease } from "../ha/leader-lease";
import { markInFlightAtRollback } from "./in-flight-at-kill-switch";
import type { ExchangePort } from "../exchange/exchange-port";
import { ExitOrderGateway } from "./exit-order-gateway";
import { simExchangeEnv } from "../exchange/testing/sim-exchange";

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
    quantity: 0.01, positionSize: 0.5, stopPrice: 20_000 + seq, reduceOnly: true, decisionId: `${module}:test:${seq}:${Date.now()}`, ...over,
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

async function attemptRow(clientOrderId: string) {
  return t.db.exitOrderAttempt.findUnique({ where: { clientOrderId } });
}

async function onExchange(clientOrderId: string): Promise<number> {
  return (await orderLog(sim, clientOrderId)).orders.filter((o) => o.clientOrderId === clientOrderId).length;
}

const simEnv = () => simExchangeEnv(sim);

beforeAll(async () => {
  t = await createTestDatabase("gateway");
  await bootToggles(t.db, {});
  sim = await startTestSimulator();
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
});
afterAll(async () => {
  await sim?.close();
  await pool?.end();
  await t?.drop();
});

describe.each(["one-way", "hedge"] as const satisfies readonly TestPositionMode[])("ExitOrderGateway against the simulator (%s position mode)", (mode) => {
  beforeAll(async () => {
    await resetAccount(sim, mode);
    port = await createExchange(simEnv(), { timeoutMs: 400 });
    slowPort = await createExchange(simEnv(), { timeoutMs: 5000 });
    // What the worker does when it connects: detect the account's position mode.
    expect(await port.fetchPositionMode()).toBe(mode);
    expect(await slowPort.fetchPositionMode()).toBe(mode);
    gateway = new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, backoffMs: 20 });
  });
  afterAll(async () => {
    await port?.close();
    await slowPort?.close();
  });
  beforeEach(async () => {
    await admin(sim, "DELETE", "/admin/faults");
    await resetAccount(sim, mode);
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.5, leverage: 5 });
  });

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

    it("a kill switch commits at once while an order is in flight; the order checked before the commit lands by its deadline, nothing after it", async () => {
      const under = await setState(LIVE);
      // The venue holds the order request 1.2 s; the send's deadline (3 s) lets it land.
      await admin(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/algoOrder", method: "POST", latencyMs: 1200, count: 1 });
      const slow = new ExitOrderGateway({ pool, exchange: slowPort, ceilings: parseCeilings({}), log, sendDeadlineMs: 3_000 });
      const req = stopFor("exit_executor");
      const submitting = slow.submit(req, under);
      const clientOrderId = clientOrderIdFor(req.decisionId);
      await expect.poll(() => attemptRow(clientOrderId), { timeout: 5_000 }).toMatchObject({ checkedVersion: BigInt(under.toggleVersion) });
      const row = (await attemptRow(clientOrderId))!;
      expect(await sessions("idle in transaction")).toBe(0); // nothing held while the request is out
      const t0 = performance.now();
      const switched = await killSwitch(t.db, { actor: "op", source: "dashboard", ceilings: {} });
      const commitMs = performance.now() - t0;
      expect(commitMs).toBeLessThan(1_000); // never waits for the send (the bound; ~10 ms here)
      expect(await sessions("waiting on lock")).toBe(0);
      const r = await submitting;
      const landedAt = Date.now();
      expect(r.outcome).toBe("placed"); // checked before the commit: it may land...
      expect(await onExchange(r.clientOrderId)).toBe(1);
      expect(Number(row.checkedVersion)).toBeLessThan(switched.after.version); // ...because its check came first
      expect(landedAt).toBeLessThanOrEqual(row.sendDeadlineAt!.getTime() + 1_000); // ...and only by its deadline
      const after = await slow.submit(stopFor("exit_executor"), under); // nothing whose check came after
      expect(after.outcome).toBe("blocked");
      expect(await onExchange(after.clientOrderId)).toBe(0);
      // The worker's listing after the switch: exactly the order that was in flight at it.
      const listed = await markInFlightAtRollback(pool, switched.after.version);
      expect(listed).toEqual([expect.objectContaining({ clientOrderId: r.clientOrderId, outcome: "placed", checkedVersion: under.toggleVersion })]);
      expect(await markInFlightAtRollback(pool, switched.after.version)).toEqual([]); // marked once
    });

    it("a send slower than its deadline is aborted and the venue refuses it late: nothing lands, the caller is answered by the deadline", async () => {
      const under = await setState(LIVE);
      await admin(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/algoOrder", method: "POST", latencyMs: 2_500, count: 1 });
      const slow = new ExitOrderGateway({ pool, exchange: slowPort, ceilings: parseCeilings({}), log, sendDeadlineMs: 800, maxTries: 1 });
      const t0 = performance.now();
      const r = await slow.submit(stopFor("exit_executor"), under);
      const tookMs = performance.now() - t0;
      expect(r.outcome).toBe("failed");
      expect(r.error).toMatch(/timed out|deadline/);
      expect(tookMs).toBeLessThan(2_500); // answered long before the venue would have (generous: the deadline is 0.8 s plus one look-up)
      await new Promise((res) => setTimeout(res, 2_500)); // the held request reaches the venue's handler...
      expect(await onExchange(r.clientOrderId)).toBe(0); // ...which refuses it: outside its recvWindow
    });

    it("with fencing the send's deadline ends before the lease it was checked under, and the lease renews while the order is out", async () => {
      const lease = new LeaderLease({ connectionString: t.url, holderId: "gw-test", log });
      await lease.start();
      try {
        const epoch = lease.currentEpoch();
        expect(epoch).not.toBeNull();
        const under = { ...(await setState(LIVE)), leaderEpoch: epoch };
        await admin(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/algoOrder", method: "POST", latencyMs: 1_500, count: 1 });
        const fenced = new ExitOrderGateway({ pool, exchange: slowPort, ceilings: parseCeilings({}), log, fencing: true, currentEpoch: () => lease.currentEpoch() });
        const renewedBefore = (await t.db.workerLeader.findUniqueOrThrow({ where: { id: 1 } })).renewedAt;
        const r = await fenced.submit(stopFor("exit_executor"), under);
        expect(r.outcome).toBe("placed");
        const row = (await attemptRow(r.clientOrderId))!;
        const term = await t.db.workerLeader.findUniqueOrThrow({ where: { id: 1 } });
        expect(Number(row.checkedEpoch)).toBe(epoch);
        expect(row.sendDeadlineAt!.getTime() - row.checkedAt!.getTime()).toBeLessThanOrEqual(3_000 - 300); // lease 3 s minus the margin
        expect(term.renewedAt.getTime()).toBeGreaterThan(renewedBefore.getTime()); // renewed during the 1.5 s send
        expect(lease.isLeader()).toBe(true);
        expect(Number(term.epoch)).toBe(epoch);
      } finally {
        await lease.stop();
      }
    });

    it("cancels go through the gateway: the executor's cancel is refused once a kill switch committed (its stop stays), a reconcile cancel is not", async () => {
      const under = await setState(LIVE);
      const placed = await gateway.submit(stopFor("exit_executor"), under);
      expect(placed.outcome).toBe("placed");
      const ref = { symbol: "BTCUSDT", conditional: true, id: placed.exchangeOrderId! };
      await killSwitch(t.db, { actor: "op", source: "dashboard", ceilings: {} });
      const refused = await gateway.cancel({ module: "exit_executor", ref, leaderEpoch: null, reason: "replaced" });
      expect(refused).toMatchObject({ outcome: "blocked", error: expect.stringMatching(/only in LIVE/) });
      expect(sim.sim.engine.openAlgos("BTCUSDT").some((a) => a.clientAlgoId === placed.clientOrderId)).toBe(true);
      const done = await gateway.cancel({ module: "reconcile", ref, leaderEpoch: null, reason: "orphaned" });
      expect(done.outcome).toBe("cancelled");
      expect(sim.sim.engine.openAlgos("BTCUSDT").some((a) => a.clientAlgoId === placed.clientOrderId)).toBe(false);
      expect((await gateway.cancel({ module: "reconcile", ref, leaderEpoch: null, reason: "again" })).outcome).toBe("gone");
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

  it("accepted then timed out: the retry looks the order up first and finds it; it exists once (market close)", async () => {
    const under = await setState(LIVE);
    await admin(sim, "POST", "/admin/faults", { kind: "accept-then-timeout", path: "/fapi/v1/order", method: "POST", count: 1, holdMs: 5000 });
    const r = await gateway.submit(stopFor("exit_executor", { kind: "close", orderType: "MARKET", stopPrice: null, quantity: 0.1 }), under);
    expect(r).toMatchObject({ outcome: "placed", exchangeStatus: "closed" });
    expect(await onExchange(r.clientOrderId)).toBe(1);
    expect(sim.sim.engine.book.amt("BTCUSDT", mode === "hedge" ? "LONG" : "BOTH")).toBeCloseTo(0.4, 9); // closed 0.1 once, not twice
    expect((await attemptRow(r.clientOrderId))?.tries).toBe(2);
  });

  it("a 503 is retried after a re-check and the order is placed once", async () => {
    const under = await setState(LIVE);
    await admin(sim, "POST", "/admin/faults", { kind: "http-5xx", path: "/fapi/v1/algoOrder", method: "POST", count: 1 });
    const r = await gateway.submit(stopFor("exit_executor"), under);
    expect(r.outcome).toBe("placed");
    expect(await onExchange(r.clientOrderId)).toBe(1);
    expect((await orderLog(sim, r.clientOrderId)).rejections).toEqual([]);
  });

  it("an attempt stored before (a crash after sending) is looked up before anything is sent: a filled close is never sent twice", async () => {
    const under = await setState(LIVE);
    const req = stopFor("exit_executor", { kind: "close", orderType: "MARKET", stopPrice: null, quantity: 0.1 });
    const first = await gateway.submit(req, under);
    expect(first.outcome).toBe("placed");
    // As if the worker died after the send, before recording it: the row is still pending.
    await pool.query(`UPDATE exit_order_attempt SET outcome = 'pending', exchange_order_id = NULL WHERE client_order_id = $1`, [first.clientOrderId]);
    const again = await gateway.submit(req, under);
    expect(again).toMatchObject({ outcome: "placed", exchangeOrderId: first.exchangeOrderId });
    const log = await orderLog(sim, first.clientOrderId);
    expect(log.orders).toHaveLength(1);
    expect(log.rejections).toEqual([]); // found by the look-up, never re-sent
  });

  it("the order on the exchange is shaped for the account's mode; a quantity larger than the position side is refused before it", async () => {
    const under = await setState(LIVE);
    const r = await gateway.submit(stopFor("exit_executor"), under);
    expect(r.outcome).toBe("placed");
    const stop = sim.sim.engine.openAlgos("BTCUSDT").find((a) => a.clientAlgoId === r.clientOrderId);
    expect(stop).toMatchObject(mode === "hedge" ? { positionSide: "LONG", reduceOnly: false } : { positionSide: "BOTH", reduceOnly: true });
    const tooBig = await gateway.submit(stopFor("exit_executor", { quantity: 0.6 }), under);
    expect(tooBig).toMatchObject({ outcome: "blocked", error: expect.stringMatching(/larger than the long position \(0\.5\)/) });
    expect(await onExchange(tooBig.clientOrderId)).toBe(0);
  });

  it("a position mode changed while running: nothing is sent until a restart, and the refusal says what to do", async () => {
    const under = await setState(LIVE);
    const other = mode === "hedge" ? "one-way" : "hedge";
    await resetAccount(sim, other); // Binance allows the switch only on an empty account
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.5, leverage: 5 });
    // The first order is still shaped for the mode seen at connect: the venue refuses it (hedge:
    // -1106 reduceOnly not allowed; one-way: -4061 position side does not match).
    const refused = await gateway.submit(stopFor("exit_executor"), under);
    expect(refused.outcome).toBe("rejected");
    expect(refused.error).toMatch(mode === "hedge" ? /-4061/ : /-1106/);
    // The refusal made the port re-read the mode (the account refresh and a periodic check do too).
    await expect.poll(() => port.positionMode().refusal, { timeout: 5_000 }).toMatch(/restart the worker/);
    const blocked = await gateway.submit(stopFor("exit_executor"), under);
    expect(blocked).toMatchObject({ outcome: "blocked", error: expect.stringMatching(new RegExp(`changed from ${mode}.*to ${other}.*restart the worker`)) });
    expect(await onExchange(blocked.clientOrderId)).toBe(0);
    // Switched back (an empty account again): orders go out as before.
    await resetAccount(sim, mode);
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.5, leverage: 5 });
    expect(await port.fetchPositionMode()).toBe(mode);
    expect(port.positionMode().refusal).toBeNull();
    expect((await gateway.submit(stopFor("exit_executor"), under)).outcome).toBe("placed");
  });
});
