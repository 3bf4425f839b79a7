// Issue 19: a compressed year. 365 simulated days of shadow decisions for 50 positions written
// through the worker's DecisionRecorder (database + rotated JSONL), exit order attempts for every
// day, and the worker's RetentionJob run at the start of each simulated day, concurrently with that
// day's writes, with its clock injected (default policy: decisions 90 days, attempts 365 days).
// Reports the sizes (database, shadow_decision, the JSONL files) at days 120, 240 and 365, and the
// gateway's attempt-persist latency (the gateway's own INSERT on its own pool) while partition
// maintenance runs, against the same run's figure while it does not (the recorder writing in both).
//
// Scale: the full product rate is 50 positions x one decision per 10 s = 432,000 rows a day
// (157 M a year). BENCH_YEAR_ROWS_PER_DAY (default 43,200 = 1/10 of it; --quick 4,320) sets how
// many of each day's decisions are written; every other figure (partition per day, days kept)
// is the product's. Run: `node --import tsx bench/retention-year.bench.ts` (TEST_DATABASE_URL).
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import type { Decision } from "../src/core/exit-brain";
import { DAY_MS, DEFAULT_RETENTION, utcDay } from "../src/core/retention/retention-policy";
import type { DecisionContext } from "../src/core/shadow";
import { DecisionRecorder } from "../worker/executor/decision-recorder";
import { RetentionJob } from "../worker/retention/retention-job";
import { createBenchDatabase } from "./lib/bench-database";
import { size } from "./lib/quick";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";

const DAYS = size("BENCH_YEAR_DAYS", 365, 365);
const ROWS_PER_DAY = size("BENCH_YEAR_ROWS_PER_DAY", 43_200, 4_320);
const POSITIONS = 50;
const ATTEMPTS_PER_DAY = 50;

const bench = await createBenchDatabase("year");
const pool = new pg.Pool({ connectionString: bench.url, max: 2 });
const gatewayPool = new pg.Pool({ connectionString: bench.url, max: 2, lock_timeout: 500, statement_timeout: 2_000 });
const logDir = mkdtempSync(path.join(tmpdir(), "eb-year-"));
const shadowFile = path.join(logDir, "exit_brain_shadow.jsonl");
const log = pino({ level: "silent" });

// The simulated year ends two real days ago: the drop function never drops (real) today's or
// yesterday's partition, and every simulated day must be droppable once past retention.
const END = Date.parse(`${utcDay(Date.now() - 2 * DAY_MS)}T00:00:00Z`);
const START = END - DAYS * DAY_MS;

const hold: Decision = { type: "hold", confidence: 0.5, reason: "Hold: no exit condition met" };
const move: Decision = { type: "move_sl", newSl: 98, slReason: "trailing", confidence: 0.8, reason: "SL adjustment (trailing): pnl=1.20%" };

const recorder = new DecisionRecorder({
  db: { shadowDecision: { createMany: async () => ({}) } },
  pool,
  log,
  file: shadowFile,
  holdSample: 10, // the JSONL keeps every 10th hold (SHADOW_LOG_HOLD_SAMPLE), the database all
  flushMs: 500,
  flushRows: 5_000,
  maxBuffered: 1_000_000,
  rotation: { maxBytes: 20 * 1024 * 1024, interval: null, keep: 5 },
});

let simNow = START;
const job = new RetentionJob({ connectionString: bench.url, policy: DEFAULT_RETENTION, batchRows: 5_000, batchPauseMs: 0, now: () => simNow });

// The gateway's attempt persist, timed, in a loop of its own: samples tagged by maintenance.
let maintenance = false;
let probing = true;
const withMaintenance: number[] = [];
const without: number[] = [];
let attemptN = 0;
const probeLoop = (async () => {
  while (probing) {
    const t = nowMs();
    await gatewayPool.query(
      `INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, stop_price, reduce_only,
         client_order_id, decision_id, operational_state, toggle_version, leader_epoch, verdict, ownership_conflict, outcome, deny_reason)
       VALUES ('legacy_sl', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, 90, true, $1, $1, 'LEGACY', 1, 1, 'allow', false, 'placed', NULL)
       ON CONFLICT (client_order_id) DO NOTHING RETURNING id`,
      [`bench-probe-${++attemptN}`],
    );
    (maintenance ? withMaintenance : without).push(nowMs() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
})();

async function sizes(): Promise<{ db: number; shadow: number; partitions: number; rows: number; files: number }> {
  const { rows } = await pool.query<{ db: string; shadow: string; partitions: number; rows: string }>(
    `SELECT pg_database_size(current_database())::text AS db,
            (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('shadow_decision'))::text AS shadow,
            (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'shadow_decision'::regclass) AS partitions,
            (SELECT count(*) FROM shadow_decision)::text AS rows`,
  );
  const files = readdirSync(logDir).reduce((a, f) => a + statSync(path.join(logDir, f)).size, 0);
  const r = rows[0]!;
  return { db: Number(r.db), shadow: Number(r.shadow), partitions: r.partitions, rows: Number(r.rows), files };
}

// 91 past days (90 in full + the partly expired one) + today + 7 ahead + the default partition,
// + 2: the migration's partitions for the real today .. +7 reach 2 days past the simulated end.
const PARTITIONS_MAX = DEFAULT_RETENTION.shadowDecisionDays + 1 + 1 + DEFAULT_RETENTION.partitionsAheadDays + 1 + 2;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const checkpoints = new Map<number, Awaited<ReturnType<typeof sizes>>>();
const started = nowMs();
const keys = Array.from({ length: POSITIONS }, (_, k) => `SYM${k}USDT:long:1`);
let maintenanceMs = 0;
const retentionErrors: string[] = [];

for (let day = 0; day < DAYS; day++) {
  const dayStart = START + day * DAY_MS;
  // The worker's retention run at the start of each simulated day, running WHILE the day's
  // decisions are written (as in the product: its own connection, concurrent with the recorder).
  // Partitions are created 7 days ahead, so the day's own partition already exists.
  simNow = dayStart;
  maintenance = true;
  const t = nowMs();
  const run = job.run().then((r) => {
    maintenanceMs += nowMs() - t;
    maintenance = false;
    // a failed step is retried at the next run, as in the worker; counted here
    for (const e of r.errors) retentionErrors.push(`day ${day}: ${e}`);
  });
  const step = DAY_MS / ROWS_PER_DAY;
  for (let i = 0; i < ROWS_PER_DAY; i++) {
    const key = keys[i % POSITIONS]!;
    const c: DecisionContext = {
      positionKey: key,
      position: { symbol: key.split(":")[0]!, side: "long", size: 1, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: null, unrealizedPnl: 1, openedAt: START },
      decision: i % 40 === 0 ? move : hold,
      mode: "SHADOW",
      toggleVersion: 1,
      at: dayStart + i * step,
    };
    recorder.record(c);
    if (recorder.buffered >= 20_000) await recorder.flush();
  }
  await recorder.flush();
  // the day's attempts, dated in the simulated day
  await pool.query(
    `INSERT INTO exit_order_attempt (created_at, updated_at, module, kind, symbol, side, position_side, order_type, quantity, reduce_only,
       client_order_id, decision_id, operational_state, verdict, outcome)
     SELECT $1::timestamptz + (k || ' minutes')::interval, $1::timestamptz, 'legacy_sl', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, true,
            'day-' || $2 || '-' || k, 'day-' || $2 || '-' || k, 'LEGACY', 'allow', 'placed'
       FROM generate_series(1, $3) k`,
    [new Date(dayStart).toISOString(), day, ATTEMPTS_PER_DAY],
  );
  await run;
  if (day + 1 === 120 || day + 1 === 240 || day + 1 === DAYS) {
    const s = await sizes();
    checkpoints.set(day + 1, s);
    console.log(`[year] day ${day + 1}: database ${mb(s.db)}, shadow_decision ${mb(s.shadow)} in ${s.partitions} partitions (${s.rows.toLocaleString("en-US")} rows), JSONL files ${mb(s.files)}`);
  }
}
probing = false;
await probeLoop;
await recorder.stop();
const wall = (nowMs() - started) / 1000;

const last = checkpoints.get(DAYS)!;
const mid = checkpoints.get(240) ?? last;
const w = summarize(withMaintenance);
const wo = summarize(without);
console.log(`[year] ${DAYS} days, ${ROWS_PER_DAY.toLocaleString("en-US")} decisions/day written, ${recorder.stats.rowsWritten.toLocaleString("en-US")} in all, in ${wall.toFixed(0)} s (maintenance ${(maintenanceMs / 1000).toFixed(1)} s)`);
console.log(`[year] attempt persist during partition maintenance: ${fmt(w)}`);
console.log(`[year] attempt persist without maintenance:         ${fmt(wo)}`);
console.log(`[year] retention steps failed (retried at the next run): ${retentionErrors.length}${retentionErrors.length ? ` (first: ${retentionErrors[0]})` : ""}`);
console.log("[year] (both while the recorder writes the day's decisions; the database keeps growing only by the attempts, kept 365 days, and the per-minute rollup, kept forever)");
reportRow({ bench: "retention-year", figure: `database size after ${DAYS} days (steady state)`, value: mb(last.db), target: "bounded", baseline: `${mb(mid.db)} at day 240`, ratio: ratio(last.db, mid.db), met: last.db <= mid.db * 1.25 });
reportRow({ bench: "retention-year", figure: "shadow_decision size / day partitions kept", value: `${mb(last.shadow)} / ${last.partitions}`, target: `<= ${PARTITIONS_MAX} partitions`, baseline: `${mb(mid.shadow)} at day 240`, ratio: ratio(last.shadow, mid.shadow), met: last.partitions <= PARTITIONS_MAX });
reportRow({ bench: "retention-year", figure: "shadow JSONL files (current + 5 rotated)", value: mb(last.files), target: "<= 6 x 20 MB", baseline: "-", ratio: "-", met: last.files <= 6 * 20 * 1024 * 1024 });
reportRow({ bench: "retention-year", figure: "attempt persist p99 during partition maintenance", value: ms(w.p99), target: "-", baseline: `${ms(wo.p99)} without`, ratio: ratio(w.p99, wo.p99), met: null });

await pool.end();
await gatewayPool.end();
await job.close();
rmSync(logDir, { recursive: true, force: true });
await bench.drop();
