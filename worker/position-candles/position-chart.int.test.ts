// The position page's chart built from what the running parts record (issue 16: the screenshot
// of the running product showed candles and the entry but no stop or target line). Real
// PostgreSQL, the in-process simulator over real ccxt, the real executor in LIVE recording its
// decisions, the real candle recorder; then the web's service that builds the chart data.
// The simulator's clock stands still (as in the browser test, which pauses it) and is hours
// ahead of the wall clock (a replay that ran at 60x before): the levels, known on the wall clock,
// must still land on the candles from the position's opening and reach the right edge ("now")
// with at least two points, or the step line is invisible.
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, startTestSimulator } from "../../sim/testing/test-simulator";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { parseExitBrainParams } from "../../src/core/exit-brain";
import { parseCeilings, type ToggleSet } from "../../src/core/toggles";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { getPositionDetail, type PositionDetail } from "../../src/server/services/positions/get-position-detail";
import type { ExchangePort } from "../exchange/exchange-port";
import { ExitOrderGateway } from "../gateway/exit-order-gateway";
import { CandleSource } from "../market/candle-source";
import { ExchangeSnapshot } from "../account/exchange-snapshot";
import { PositionSource } from "../account/position-source";
import { PriceStream } from "../market/price-stream";
import { ToggleWatcher } from "../toggles/toggle-watcher";
import { startExecutor, type RunningExecutor } from "../executor/start-executor";
import { recordPositionSafety } from "../account/safety-recorder";
import { recordCandlesOnce } from "./record-candles";
import { connectSimExchange } from "../exchange/testing/sim-exchange";

const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const log = pino({ level: "silent" });

let t: TestDatabase;
let sim: RunningSimulator;
let port: ExchangePort;
let pool: pg.Pool;
let toggles: ToggleWatcher;
let prices: PriceStream;
let snapshot: ExchangeSnapshot;
let refresher: NodeJS.Timeout;
let running: RunningExecutor;

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
  t = await createTestDatabase("positionchart");
  await bootToggles(t.db, {});
  await changeToggles(t.db, { changes: LIVE, actor: "test", source: "cli", reason: "test", confirmLive: true, ceilings: {} });
  sim = await startTestSimulator();
  // A replay that ran at 60x for 6 minutes: its clock is 6 h ahead of the wall clock.
  await admin(sim, "POST", "/admin/clock/step", { ms: 6 * 3_600_000 });
  port = await connectSimExchange(sim, { timeoutMs: 3000 });
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
  toggles = new ToggleWatcher({ connectionString: t.url, ceilings: parseCeilings({}), log, pollMs: 200 });
  await toggles.start();
  prices = new PriceStream(port, ["BTCUSDT"], { initialBackoffMs: 50 });
  prices.start();
  snapshot = new ExchangeSnapshot(port, new PositionSource(port, prices), log);
  await snapshot.refresh();
  refresher = setInterval(() => void snapshot.refresh(), 500);
  running = startExecutor({
    db: t.db,
    port: { fetchCandles: (s, tf, n) => port.fetchCandles(s, tf, n) },
    snapshot,
    prices,
    candles: new CandleSource(port, { now: Date.now }),
    gateway: new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, backoffMs: 20 }),
    toggles,
    log,
    config: {
      intervalS: 0.3, timeframe: "5m", debounceMs: 50, shadowLogFile: null, holdSample: 1, flushMs: 100, flushRows: 500,
      params: parseExitBrainParams({}), maxActionsPerEvaluation: 4, retryBackoff: { firstMs: 2_500, maxMs: 5_000 },
    },
  });
});

afterAll(async () => {
  clearInterval(refresher);
  await running?.stop();
  await prices?.stop();
  await toggles?.stop();
  await port?.close();
  await sim?.close();
  await pool?.end();
  await t?.drop();
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
