// A legacy stop the venue refuses is tried again after a back-off under a new decision id, so a
// position is not left without a stop until the toggles change (a fault run found a rollback
// whose first legacy stop met a still-active reject fault and was never retried). Real
// PostgreSQL, the real gateway, ccxt against the simulator over HTTP; only the clock is ours.
// Runs with the account in one-way mode and in hedge mode (where a LONG and a SHORT on one symbol
// are two positions, each with its own stop).
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetryAfterRejection } from "../../src/core/orders/retry-after-rejection";
import { parseCeilings } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { readStoredToggles } from "../../src/server/db/toggle-row";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, type TestPositionMode } from "../../sim/testing/test-simulator";
import { openPosition, stopsPerPosition } from "../../test/faults/support/fault-world";
import type { TestDatabase } from "../../test/test-database";
import type { ExchangePort } from "../exchange/exchange-port";
import { ExitOrderGateway, type DecidedUnder } from "../gateway/exit-order-gateway";
import type { AccountSnapshot } from "../account/exchange-snapshot";
import { LadderProgress, runLegacyCycle, type LegacyMemory } from "./legacy-module";
import { startSimTestWorld, type SimTestWorld } from "../exchange/testing/sim-test-world";

const log = createLogger({ name: "test", level: "silent", console: false });

let t: TestDatabase;
let world: SimTestWorld | undefined;
let sim: RunningSimulator;
let port: ExchangePort;
let pool: pg.Pool;

async function account(): Promise<AccountSnapshot> {
  return { at: Date.now(), positions: await port.fetchPositions(), openOrders: await port.fetchOpenOrders() };
}

describe.each(["one-way", "hedge"] as const satisfies readonly TestPositionMode[])("legacy module: a refused stop is retried after a back-off (%s position mode)", (mode) => {
  beforeAll(async () => {
    world = await startSimTestWorld({ database: mode === "hedge" ? "legacyretryh" : "legacyretry", mode, timeoutMs: 2000 });
    ({ t, sim, port, pool } = world);
    expect(await port.fetchPositionMode()).toBe(mode);
  });
  afterAll(async () => {
    await world?.close();
  });

  it("rejected → waits → placed under ':retry1'; one stop on the exchange", async () => {
    const gateway = new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, backoffMs: 10 });
    const under: DecidedUnder = { state: "LEGACY", toggleVersion: (await readStoredToggles(t.db))!.version };
    const memory: LegacyMemory = { ladder: new LadderProgress(), retries: new RetryAfterRejection({ firstMs: 5_000, maxMs: 60_000 }) };
    let now = 1_000_000;
    const clock = () => now;

    await openPosition(sim, "BTCUSDT", "long");
    await admin(sim, "POST", "/admin/faults", { kind: "reject", path: "/fapi/v1/algoOrder", method: "POST", code: -2019, msg: "Margin is insufficient." });
    const first = await runLegacyCycle("position_monitor", await account(), gateway, under, memory, log, clock);
    expect(first).toMatchObject({ placed: 0, failed: 2 }); // its stop and its take-profit, both refused

    await admin(sim, "DELETE", "/admin/faults");
    now += 4_999;
    const early = await runLegacyCycle("position_monitor", await account(), gateway, under, memory, log, clock);
    expect(early).toMatchObject({ submitted: 0, waiting: 2 });
    expect(stopsPerPosition(sim)).toEqual([{ symbol: "BTCUSDT", stops: 0 }]);

    now += 1;
    const retried = await runLegacyCycle("position_monitor", await account(), gateway, under, memory, log, clock);
    expect(retried).toMatchObject({ submitted: 2, placed: 2, waiting: 0 });
    expect(stopsPerPosition(sim)).toEqual([{ symbol: "BTCUSDT", stops: 1 }]);
    const rows = await pool.query<{ decision_id: string; outcome: string }>(
      `SELECT decision_id, outcome FROM exit_order_attempt WHERE module = 'position_monitor' AND kind = 'sl' ORDER BY id`,
    );
    expect(rows.rows.map((r) => r.outcome)).toEqual(["rejected", "placed"]);
    expect(rows.rows[1]!.decision_id).toBe(`${rows.rows[0]!.decision_id}:retry1`);

    // Nothing is missing any more: the next cycle submits nothing.
    now += 60_000;
    expect(await runLegacyCycle("position_monitor", await account(), gateway, under, memory, log, clock)).toMatchObject({ submitted: 0, waiting: 0 });
    expect(memory.retries.size).toBe(0);

    if (mode === "hedge") {
      // A SHORT opens on the same symbol: it is its own position and gets its own stop; the LONG's is not sent again.
      await openPosition(sim, "BTCUSDT", "short");
      expect(await runLegacyCycle("position_monitor", await account(), gateway, under, memory, log, clock)).toMatchObject({ submitted: 2, placed: 2 });
      expect(stopsPerPosition(sim)).toEqual([{ symbol: "BTCUSDT", stops: 1 }, { symbol: "BTCUSDT", stops: 1 }]);
      expect(await runLegacyCycle("position_monitor", await account(), gateway, under, memory, log, clock)).toMatchObject({ submitted: 0 });
    }
  });
});
