// 20% of exchange calls fail (5xx, 429, timeouts before and after the order was accepted) while
// the simulator trades at 60x and positions open and close under a real worker process. Proves:
// no duplicate order (no client order id twice, no decision sent twice under another id), every
// attempt ends placed / blocked / rejected / failed (none left pending), the worker does not
// crash and keeps beating, and every "placed" attempt exists on the exchange exactly once.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../sim/server/start-simulator";
import { admin, TEST_CREDENTIALS } from "../../sim/testing/test-simulator";
import { createTestDatabase, type TestDatabase } from "../test-database";
import {
  apiOrders, attempts, closePosition, dbPool, duplicateOrders, heartbeatAgeS, heartbeatOf, openPosition, openSymbols, resendsRefused,
} from "./support/fault-world";
import { eventually, printFigures, sleep, spawnWorker, workerEnv, type WorkerProcess } from "./support/worker-process";

const SPEED = 60; // market ms per wall ms: the fault window below is FAULT_WINDOW_MS * 60 of simulated trading
const FAULT_WINDOW_MS = 30_000;
const FAULTS = [
  { kind: "http-5xx", rate: 0.09, path: "/fapi" },
  { kind: "rate-limit", rate: 0.08, path: "/fapi", retryAfterS: 0 },
  { kind: "timeout", rate: 0.05, path: "/fapi", holdMs: 1000 },
  { kind: "accept-then-timeout", rate: 0.05, path: "/fapi", method: "POST", holdMs: 1000 },
];
// P(a request is hit) = 1 - (1-0.09)(1-0.08)(1-0.05) = 0.20 for reads, 0.24 for order placements
// (ccxt's own rate limiter keeps the worker at a few requests per second, so ~100 requests).

let t: TestDatabase;
let sim: RunningSimulator;
let pool: pg.Pool;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  t = await createTestDatabase("faultx");
  pool = dbPool(t.url);
  sim = await startSimulator({ port: 0, credentials: TEST_CREDENTIALS, speed: SPEED, demoTrader: false, seed: 7 });
});
afterAll(async () => {
  await worker?.stop();
  await sim?.close();
  await pool?.end();
  await t?.drop();
});

describe("[FAULTS] 20% of exchange calls fail for a stretch of simulated trading", () => {
  it("no duplicate order, no attempt left pending, no crash, heartbeat fresh throughout", async () => {
    const symbols = sim.sim.symbols();
    await openPosition(sim, symbols[0]!, "long");
    await openPosition(sim, symbols[1]!, "short");
    await openPosition(sim, symbols[2]!, "long");
    // No toggle variables: the store seeds LEGACY, so the legacy modules place every protective order.
    worker = spawnWorker("w1", workerEnv(t.url, sim));
    await eventually("the worker leads and has reconciled", () => worker!.output().includes("reconciled, acting"), 60_000);

    const simStart = sim.sim.clock.now();
    // A zero-latency rule that always fires counts every exchange request of the window.
    const counter = (await admin<{ fault: { id: number } }>(sim, "POST", "/admin/faults", { kind: "latency", rate: 1, latencyMs: 0, path: "/fapi" })).fault.id;
    for (const f of FAULTS) await admin(sim, "POST", "/admin/faults", f);
    const end = Date.now() + FAULT_WINDOW_MS;
    let churns = 0;
    let maxBeatAgeS = 0;
    let side: "long" | "short" = "short";
    while (Date.now() < end) {
      await sleep(2500);
      // Positions come and go: close the oldest, open a flat symbol (new entries = new decisions).
      const open = openSymbols(sim);
      if (open.length >= 3) await closePosition(sim, open[0]!);
      const flat = symbols.filter((s) => !openSymbols(sim).includes(s));
      side = side === "long" ? "short" : "long";
      if (flat.length > 0) await openPosition(sim, flat[churns % flat.length]!, side);
      churns++;
      expect(worker.alive(), `worker exited:\n${worker.output().slice(-3000)}`).toBe(true);
      maxBeatAgeS = Math.max(maxBeatAgeS, (await heartbeatAgeS(pool, worker.pid)) ?? Infinity);
    }
    const all = (await admin<{ faults: { id: number; kind: string; fired: number }[] }>(sim, "GET", "/admin/faults")).faults;
    const requests = all.find((r) => r.id === counter)!.fired;
    const rules = all.filter((r) => r.id !== counter);
    await admin(sim, "DELETE", "/admin/faults");
    const simulatedS = (sim.sim.clock.now() - simStart) / 1000;

    // Every attempt settles (the gateway gives up after its bounded retries), nothing stays pending.
    await eventually("no pending attempt", async () => (await attempts(pool)).every((a) => a.outcome !== "pending"), 45_000, 250);
    expect(worker.alive()).toBe(true);
    expect(await heartbeatAgeS(pool, worker.pid)).toBeLessThan(2);
    expect((await heartbeatOf(pool, worker.pid))?.info.ha?.leader).toBe(true);

    const rows = await attempts(pool);
    const byOutcome = Object.fromEntries(["placed", "blocked", "rejected", "failed", "pending"].map((o) => [o, rows.filter((r) => r.outcome === o).length]));
    const dups = duplicateOrders(sim);
    const onExchange = new Map<string, number>();
    for (const o of apiOrders(sim)) onExchange.set(o.clientOrderId, (onExchange.get(o.clientOrderId) ?? 0) + 1);
    const placedMissing = rows.filter((r) => r.outcome === "placed" && onExchange.get(r.clientOrderId) !== 1);
    const failedButOnExchange = rows.filter((r) => r.outcome === "failed" && onExchange.has(r.clientOrderId)).length;
    const injected = rules.reduce((n, r) => n + r.fired, 0);
    const rejections = sim.sim.engine.log.rejected.filter((r) => r.source === "api").map((r) => r.code);
    printFigures("exchange-faults-20pct", {
      wallWindowS: FAULT_WINDOW_MS / 1000, simulatedS: Math.round(simulatedS), exchangeRequests: requests, faultsInjected: injected,
      faultShare: Number((injected / requests).toFixed(3)), venueRejectionCodes: rejections,
      faultsByKind: Object.fromEntries(rules.map((r) => [r.kind, r.fired])), positionChurns: churns,
      attempts: rows.length, ...byOutcome, ordersOnExchange: apiOrders(sim).length, duplicatesSameClientId: dups.sameClientId,
      duplicatesSameDecision: dups.sameDecision, resendsRefusedByVenue: resendsRefused(sim), failedButOnExchange, maxHeartbeatAgeS: Number(maxBeatAgeS.toFixed(2)),
    });

    expect(simulatedS).toBeGreaterThanOrEqual(60); // at least a minute of simulated trading
    expect(injected / requests).toBeGreaterThan(0.1); // configured ~20%; the measured share is in the figures
    expect(injected).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeGreaterThanOrEqual(8); // and the worker really tried to place orders through them
    expect(byOutcome.placed).toBeGreaterThan(0);
    expect(byOutcome.pending).toBe(0);
    expect(dups).toEqual({ sameClientId: 0, sameDecision: 0 });
    expect(placedMissing.map((r) => r.clientOrderId)).toEqual([]);
    expect(maxBeatAgeS).toBeLessThan(2); // the heartbeat never went stale (interval 250 ms)
    // Invariant 10: every attempt carries the toggle version and state it was decided under, and
    // that version leads to the audit row (actor) that set it.
    const audit = await t.db.toggleAudit.findMany({ select: { versionAfter: true, actor: true } });
    const actorOf = new Map(audit.map((a) => [Number(a.versionAfter), a.actor]));
    expect(rows.filter((r) => r.toggleVersion === null || !r.operationalState || !actorOf.has(r.toggleVersion))).toEqual([]);
  });
});
