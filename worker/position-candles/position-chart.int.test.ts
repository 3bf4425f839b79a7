// The position page's chart built from what the running parts record (issue 16: the screenshot
// of the running product showed candles and the entry but no stop or target line). Real
// PostgreSQL, the in-process simulator over real ccxt, the real executor in LIVE recording its
// decisions, the real candle recorder; then the web's service that builds the chart data.
// The simulator's clock stands still (as in the browser test, which pauses it) and is hours
// ahead of the wall clock (a replay that ran at 60x before): the levels, known on the wall clock,
// must still land on the candles from the position's opening and reach the right edge ("now")
// with at least two points, or the step line is invisible.
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin } from "../../sim/testing/test-simulator";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import type { TestDatabase } from "../../test/test-database";
import type { ToggleSet } from "../../src/core/toggles";
import { getPositionDetail, type PositionDetail } from "../../src/server/services/positions/get-position-detail";
import type { ExchangePort } from "../exchange/exchange-port";
import { recordPositionSafety } from "../account/safety-recorder";
import { recordCandlesOnce } from "./record-candles";
import { startExecutorWorld, type ExecutorWorld } from "../executor/testing/executor-world";

const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const log = pino({ level: "silent" });

let world: ExecutorWorld | undefined;
let t: TestDatabase;
let sim: RunningSimulator;
let port: ExchangePort;
let pool: pg.Pool;

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, limitMs = 20_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The points a series draws: one per bar with a level, plus the right edge. */
function pointsOf(d: PositionDetail, k: "legacySl" | "legacyTp" | "brainSl" | "brainTp"): { t: number; v: number }[] {
  return [...d.chart.bars, d.chart.edge]
    .filter((b): b is NonNullable<typeof b> => b !== null && b !== undefined && b[k] !== null)
    .map((b) => ({ t: b.t, v: b[k]! }));
}

beforeAll(async () => {
  world = await startExecutorWorld({
    database: "positionchart",
    toggles: LIVE,
    symbols: ["BTCUSDT"],
    refreshMs: 500,
    log,
    // A replay that ran at 60x for 6 minutes: its clock is 6 h ahead of the wall clock.
    prepare: async (w) => {
      await admin(w.sim, "POST", "/admin/clock/step", { ms: 6 * 3_600_000 });
    },
  });
  ({ t, sim, port, pool } = world);
});

afterAll(async () => {
  await world?.close();
});

describe("the position chart from the running parts", () => {
  it("draws legacy's and Exit Brain's stop and target over the candles from the opening to the right edge", async () => {
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
    await eventually(
      () => t.db.shadowDecision.findMany({ where: { symbol: "BTCUSDT" }, select: { newSl: true, newTp: true } }),
      (rows) => rows.some((r) => r.newSl !== null) && rows.some((r) => r.newTp !== null),
      "Exit Brain's stop and target decisions",
    );
    // The account cycle's record of the position (the page's "open" and legacy's rule).
    await recordPositionSafety(pool, { at: Date.now(), positions: await port.fetchPositions(), openOrders: await port.fetchOpenOrders() });
    // The worker's candle recorder, as the leader runs it for each open symbol.
    const seen = new Set<string>();
    expect(await recordCandlesOnce({ pool, port, log, openSymbols: () => ["BTCUSDT"], isLeader: () => true }, seen)).toBeGreaterThan(0);
    // A few seconds of wall time pass while the replay stands still (the browser test's case).
    await new Promise((r) => setTimeout(r, 1_500));
    await recordCandlesOnce({ pool, port, log, openSymbols: () => ["BTCUSDT"], isLeader: () => true }, seen);

    const d = await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "long" } });
    expect(d.chart.candles).toBeGreaterThan(0);
    expect(d.latest.brainSl).not.toBeNull();
    expect(d.latest.brainTp).not.toBeNull();
    // In LIVE legacy places nothing for this position: its line is its rule (what the panel lists).
    expect(d.legacyRule.sl).not.toBeNull();
    const openedAt = Number(d.positionKey!.split(":").at(-1));
    const last = { legacySl: d.legacyRule.sl, legacyTp: d.legacyRule.tp, brainSl: d.latest.brainSl, brainTp: d.latest.brainTp };
    for (const k of ["legacySl", "legacyTp", "brainSl", "brainTp"] as const) {
      const pts = pointsOf(d, k);
      expect(pts.length, `${k}: a step line needs two points at least`).toBeGreaterThanOrEqual(2);
      expect(pts.at(-1)!.v, `${k} at the right edge`).toBe(last[k]);
      // never before the bar in which the position opened
      expect(pts[0]!.t + 300_000, `${k} starts before the position opened`).toBeGreaterThan(openedAt);
    }
    // The right edge is after the last candle.
    expect(d.chart.edge!.t).toBeGreaterThan(d.chart.bars.at(-1)!.t);
  });
});
