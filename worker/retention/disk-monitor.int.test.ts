// The database refusing writes (SQLSTATE 53100, raised by a trigger the owner installs: a real
// full disk cannot be arranged on a shared server), against the real database with the worker's
// own parts: the recorder's failed batch reaches the disk monitor, the rolled-back probe write
// keeps failing while the refusal lasts, the executor's view of the toggles is unconfirmed SHADOW
// meanwhile, and everything returns when the database accepts writes again.
import { EventEmitter } from "node:events";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/core/exit-brain";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { parseCeilings } from "../../src/core/toggles";
import { DecisionRecorder } from "../executor/decision-recorder";
import { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { OrderPort } from "../exchange/exchange-port";
import type { ToggleView } from "../toggles/toggle-watcher";
import { databaseWriteProbe, DiskMonitor } from "./disk-monitor";
import { demoteWhileWritesRefused } from "./write-refusal-toggles";

const log = pino({ level: "silent" });
let t: TestDatabase;
let owner: pg.Client;
let pool: pg.Pool;

beforeAll(async () => {
  t = await createTestDatabase("diskfull");
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await owner?.end();
  await t?.drop();
});

const move: Decision = { type: "move_sl", newSl: 98, slReason: "trailing", confidence: 0.8, reason: "SL adjustment (trailing)" };

describe("the database refuses writes (disk full)", () => {
  it("is detected from the recorder's failure, keeps the executor unconfirmed SHADOW while the probe fails, and recovers", async () => {
    const probe = databaseWriteProbe(t.url);
    const monitor = new DiskMonitor({ dirs: [], thresholds: { minFreeBytes: 0, minFreePct: 0 }, intervalMs: 60_000, log, probe: probe.probe });
    const recorder = new DecisionRecorder({
      db: { shadowDecision: { createMany: async () => ({}) } }, pool, log, file: null, holdSample: 1, flushMs: 60_000, flushRows: 1_000,
      onWriteError: (err) => monitor.reportDatabaseError(err),
    });
    const em = new EventEmitter();
    const live: ToggleView = { state: "EXIT_BRAIN_V3_LIVE", confirmed: true, version: 5, resolution: null, stored: null, confirmedAt: 1 };
    const toggles = demoteWhileWritesRefused({ view: () => live, on: em.on.bind(em), off: em.off.bind(em) } as unknown as Parameters<typeof demoteWhileWritesRefused>[0], () => monitor.databaseRefusesWrites);
    const record = () =>
      recorder.record({
        positionKey: "BTCUSDT:long:1", mode: "LIVE", toggleVersion: 5, at: Date.now(), decision: move,
        position: { symbol: "BTCUSDT", side: "long", size: 1, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: null, unrealizedPnl: 1, openedAt: 1 },
      });

    record();
    await recorder.flush();
    expect(recorder.stats.rowsWritten).toBe(1);
    await monitor.checkNow();
    expect(toggles.view().state).toBe("EXIT_BRAIN_V3_LIVE");

    await owner.query(`
      CREATE FUNCTION fault_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = '53100'; END $$;
      CREATE TRIGGER fault_disk_full BEFORE INSERT ON shadow_decision FOR EACH STATEMENT EXECUTE FUNCTION fault_disk_full();`);
    record();
    await recorder.flush();
    expect(recorder.stats.writeFailures).toBe(1);
    await monitor.checkNow(); // the probe write is refused too
    expect(monitor.databaseRefusesWrites).toBe(true);
    expect(monitor.info().warnings.join(" ")).toMatch(/SQLSTATE 53100/);
    expect(toggles.view()).toMatchObject({ state: "EXIT_BRAIN_V3_SHADOW", confirmed: false });
    await monitor.checkNow();
    expect(monitor.databaseRefusesWrites).toBe(true); // still refused: stays

    await owner.query(`DROP TRIGGER fault_disk_full ON shadow_decision; DROP FUNCTION fault_disk_full();`);
    await monitor.checkNow();
    expect(monitor.databaseRefusesWrites).toBe(false);
    expect(toggles.view()).toMatchObject({ state: "EXIT_BRAIN_V3_LIVE", confirmed: true });
    await recorder.stop(); // the kept row is written now
    expect(recorder.stats.rowsWritten).toBe(2);
    // the probe left nothing behind
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM shadow_decision WHERE position_key = 'disk-probe'`);
    expect(rows[0]!.n).toBe(0);
    await probe.close();
  });

  it("an attempt row the gateway cannot store raises the pressure at once, not at the next poll, and nothing is sent", async () => {
    const probe = databaseWriteProbe(t.url);
    // never started: no poll runs, only what the gateway reports can raise the pressure
    const monitor = new DiskMonitor({ dirs: [], thresholds: { minFreeBytes: 0, minFreePct: 0 }, intervalMs: 3_600_000, log, probe: probe.probe });
    const sent: string[] = [];
    const exchange: OrderPort = {
      placeExitOrder: async (_req, clientOrderId) => {
        sent.push(clientOrderId);
        throw new Error("nothing may be sent while the attempt cannot be stored");
      },
      cancelOrder: async () => {},
      fetchOrderByClientId: async () => null,
      positionMode: () => ({ connected: "one-way", refusal: null }),
    };
    const gateway = new ExitOrderGateway({ pool, exchange, ceilings: parseCeilings({}), log, onWriteError: (err) => monitor.reportDatabaseError(err) });
    await owner.query(`
      CREATE FUNCTION fault_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = '53100'; END $$;
      CREATE TRIGGER fault_disk_full BEFORE INSERT ON exit_order_attempt FOR EACH STATEMENT EXECUTE FUNCTION fault_disk_full();
      CREATE TRIGGER fault_disk_full BEFORE INSERT ON shadow_decision FOR EACH STATEMENT EXECUTE FUNCTION fault_disk_full();`);
    try {
      const stop = {
        module: "position_monitor", kind: "sl", symbol: "BTCUSDT", positionSide: "long", side: "sell", orderType: "STOP_MARKET",
        quantity: 0.01, stopPrice: 20_000, reduceOnly: true, decisionId: `disk-full-${Date.now()}`,
      } as const;
      await expect(gateway.submit(stop, { state: "LEGACY", toggleVersion: null })).rejects.toMatchObject({ code: "53100" });
      expect(sent).toEqual([]);
      // the check the report started (the probe is refused as well): no poll was needed
      await monitor.checkNow();
      expect(monitor.databaseRefusesWrites).toBe(true);
    } finally {
      await owner.query(`DROP TRIGGER fault_disk_full ON exit_order_attempt; DROP TRIGGER fault_disk_full ON shadow_decision; DROP FUNCTION fault_disk_full();`);
    }
    await monitor.checkNow();
    expect(monitor.databaseRefusesWrites).toBe(false);
    await probe.close();
  });
});
