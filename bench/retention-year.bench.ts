// Issue 19: a compressed year at the product's rate. 50 positions, one decision each every 10 s =
// 432,000 decisions a UTC day (157.7 M a year). The clock is advanced through 365 simulated days;
// at the start of each day the worker's RetentionJob runs (clock injected, the default policy:
// decisions 90 days in full + the per-minute rollup forever, attempts 365 days; product batch
// size and pause), concurrently with that day's writes, and 50 exit order attempts are stored
// per day. Every decision goes through the worker's DecisionRecorder (shadow_decision + its
// per-minute rollup trigger + the rotated JSONL, the product's rotation and hold sampling), and
// the worker's line for each decision goes to a rotated LOG_FILE (the product's defaults).
//
// What is written and what is simulated (the report prints it):
// - FULL-RATE days: 432,000 decisions each, written. Two windows of BENCH_YEAR_FULL_DAYS days,
//   91 days apart: window A's full-size partitions are dropped by retention DURING window B's
//   full-rate writes (one per day), so the gateway probe sees partition maintenance on full-size
//   partitions while the recorder writes at the full rate.
// - Every other day: 432,000 / BENCH_YEAR_SCALE decisions written (default 1/200), so the year's
//   shape (365 daily maintenance runs, partition count, JSONL rotation, attempts) is real while
//   the run stays under 10 minutes. The steady state of 90 days at the full rate (39 M rows, some
//   17 GB) is NOT written: it is extrapolated from the bytes per row measured on the full-rate
//   partitions, and printed as such.
// - The gateway's attempt persist is timed in a process of its own (retention-year-probe.ts),
//   tagged "during maintenance" / "without" by the time windows of this run.
// Run: `node --import tsx bench/retention-year.bench.ts` (TEST_DATABASE_URL), or `npm run bench --
// --only retention-year`. Not part of `npm test`.
import { fork } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import pino from "pino";
import type { Decision } from "../src/core/exit-brain";
import { DAY_MS, DEFAULT_RETENTION, utcDay } from "../src/core/retention/retention-policy";
import type { DecisionContext } from "../src/core/decisions";
import { shadowDecisionLine } from "../src/core/decisions/executor-log-lines";
import { createLogger, logFileOf } from "../src/server/logger";
import { DecisionRecorder } from "../worker/executor/decision-recorder";
import { RetentionJob } from "../worker/retention/retention-job";
import { createBenchDatabase } from "./lib/bench-database";
import { size, waitFor } from "./lib/quick";
import { ms, perSec, ratio, reportRow } from "./lib/report";
import { fmt, summarize, type Summary } from "./lib/stats";

const POSITIONS = 50;
const FULL_ROWS_PER_DAY = size("BENCH_YEAR_FULL_ROWS", POSITIONS * 8_640, 43_200); // 50 x (86,400 s / 10 s)
const SCALE = size("BENCH_YEAR_SCALE", 200, 1_000);
const DAYS = size("BENCH_YEAR_DAYS", 365, 365);
const FULL_DAYS = size("BENCH_YEAR_FULL_DAYS", 3, 1);
const SCALED_ROWS_PER_DAY = Math.max(POSITIONS, Math.round(FULL_ROWS_PER_DAY / SCALE));
const ATTEMPTS_PER_DAY = 50;
const KEPT_DAYS = DEFAULT_RETENTION.shadowDecisionDays;
// Window A's day k is dropped at the start of day k + KEPT + 1: window B begins then.
const A_FIRST = size("BENCH_YEAR_FULL_FROM", 100, 100);
const B_FIRST = A_FIRST + KEPT_DAYS + 1;
if (B_FIRST + FULL_DAYS + KEPT_DAYS + 1 > DAYS) throw new Error(`BENCH_YEAR_DAYS=${DAYS} is too short: window B's partitions must also expire within the run`);
const isFull = (day: number) => (day >= A_FIRST && day < A_FIRST + FULL_DAYS) || (day >= B_FIRST && day < B_FIRST + FULL_DAYS);

// The product's defaults (src/env.js): every hold to the JSONL, 100 MB files, 14 kept. Rotation
// by size only here: real-time day boundaries mean nothing in a compressed year.
const HOLD_SAMPLE = 1;
const ROTATE_BYTES = 100 * 1024 * 1024;
const ROTATE_KEEP = 14;
// LOG_FILE: the worker logs a line per decision in SHADOW (holds once per interval); 50 MB x 10 kept.
const LOG_ROTATE_BYTES = 50 * 1024 * 1024;
const LOG_ROTATE_KEEP = 10;

const bench = await createBenchDatabase("year");
const pool = new pg.Pool({ connectionString: bench.url, max: 2 });
const logDir = mkdtempSync(path.join(tmpdir(), "eb-year-"));
const shadowFile = path.join(logDir, "exit_brain_shadow.jsonl");
const log = pino({ level: "silent" });
const workerLog = createLogger({ name: "worker", level: "info", console: false, file: path.join(logDir, "exit_brain.log"), rotation: { maxBytes: LOG_ROTATE_BYTES, interval: null, keep: LOG_ROTATE_KEEP } });
const epochMs = () => performance.timeOrigin + performance.now();

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
  holdSample: HOLD_SAMPLE,
  flushMs: 500,
  flushRows: 5_000,
  maxBuffered: 1_000_000,
  rotation: { maxBytes: ROTATE_BYTES, interval: null, keep: ROTATE_KEEP },
});

let simNow = START;
const job = new RetentionJob({ connectionString: bench.url, policy: DEFAULT_RETENTION, batchRows: 5_000, batchPauseMs: 200, now: () => simNow });

// The gateway probe, in its own process.
const probe = fork(fileURLToPath(new URL("./retention-year-probe.ts", import.meta.url)), [], {
  execArgv: ["--import", "tsx"],
  env: { ...process.env, PROBE_DATABASE_URL: bench.url },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
await new Promise<void>((resolve, reject) => {
  probe.once("message", () => resolve());
  probe.once("exit", (code) => reject(new Error(`the probe process exited (${code}) before starting`)));
});

interface DayPhase {
  day: number;
  full: boolean;
  rows: number;
  writeFrom: number;
  writeTo: number;
  maintFrom: number;
  maintTo: number;
  dropped: number;
}
const phases: DayPhase[] = [];

async function sizes(): Promise<{ db: number; shadow: number; rollup: number; attempts: number; partitions: number; rows: number; files: number; logs: number }> {
  const { rows } = await pool.query<{ db: string; shadow: string; rollup: string; attempts: string; partitions: number; rows: string }>(
    `SELECT pg_database_size(current_database())::text AS db,
            (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('shadow_decision'))::text AS shadow,
            pg_total_relation_size('shadow_decision_minute')::text AS rollup,
            pg_total_relation_size('exit_order_attempt')::text AS attempts,
            (SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'shadow_decision'::regclass) AS partitions,
            (SELECT count(*) FROM shadow_decision)::text AS rows`,
  );
  const bytesOf = (prefix: string) => readdirSync(logDir).filter((f) => f.startsWith(prefix)).reduce((a, f) => a + statSync(path.join(logDir, f)).size, 0);
  const r = rows[0]!;
  return {
    db: Number(r.db), shadow: Number(r.shadow), rollup: Number(r.rollup), attempts: Number(r.attempts), partitions: r.partitions, rows: Number(r.rows),
    files: bytesOf("exit_brain_shadow."), logs: bytesOf("exit_brain."),
  };
}

/** A day's partition: its size (table + indexes + toast) and rows. */
async function partitionOf(day: number): Promise<{ bytes: number; rows: number }> {
  const name = `shadow_decision_p${utcDay(START + day * DAY_MS).replaceAll("-", "")}`;
  const { rows } = await pool.query<{ bytes: string; rows: string }>(
    `SELECT pg_total_relation_size(format('%I', $1::text)::regclass)::text AS bytes, (SELECT count(*) FROM shadow_decision WHERE at >= $2 AND at < $3)::text AS rows`,
    [name, new Date(START + day * DAY_MS).toISOString(), new Date(START + (day + 1) * DAY_MS).toISOString()],
  );
  return { bytes: Number(rows[0]!.bytes), rows: Number(rows[0]!.rows) };
}

// 90 past days + today + 7 ahead + the default partition, + 8: the migration's partitions for the
// REAL today .. +7 (2 days past the simulated end), there all year; they overlap at the end (102).
const PARTITIONS_MAX = KEPT_DAYS + 1 + DEFAULT_RETENTION.partitionsAheadDays + 1 + (DEFAULT_RETENTION.partitionsAheadDays + 1);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
const checkpoints = new Map<number, Awaited<ReturnType<typeof sizes>>>();
const fullPartitions: { day: number; bytes: number; rows: number; rollupBytes: number; writeS: number }[] = [];
const started = epochMs();
const keys = Array.from({ length: POSITIONS }, (_, k) => `SYM${k}USDT:long:1`);
const retentionErrors: string[] = [];
let maxPartitions = 0;
let recordedSoFar = 0;

console.log(
  `[year] ${DAYS} simulated days; full rate (${FULL_ROWS_PER_DAY.toLocaleString("en-US")} decisions/day) written on days ${A_FIRST + 1}-${A_FIRST + FULL_DAYS} and ${B_FIRST + 1}-${B_FIRST + FULL_DAYS}; ` +
    `every other day 1/${SCALE} of it (${SCALED_ROWS_PER_DAY.toLocaleString("en-US")}); JSONL every hold, ${ROTATE_BYTES / 1024 / 1024} MB x ${ROTATE_KEEP + 1} files`,
);
for (let day = 0; day < DAYS; day++) {
  const dayStart = START + day * DAY_MS;
  const full = isFull(day);
  const rowsToday = full ? FULL_ROWS_PER_DAY : SCALED_ROWS_PER_DAY;
  const rollupBefore = full ? (await sizes()).rollup : 0;
  // The worker's retention run at the start of each simulated day, running WHILE the day's
  // decisions are written (as in the product: its own connection, concurrent with the recorder).
  // Partitions are created 7 days ahead, so the day's own partition already exists.
  simNow = dayStart;
  const phase: DayPhase = { day, full, rows: rowsToday, writeFrom: epochMs(), writeTo: 0, maintFrom: epochMs(), maintTo: 0, dropped: 0 };
  const run = job.run().then((r) => {
    phase.maintTo = epochMs();
    phase.dropped = r.partitionsDropped.length;
    // a failed step is retried at the next run, as in the worker; counted here
    for (const e of r.errors) retentionErrors.push(`day ${day}: ${e}`);
  });
  const step = DAY_MS / rowsToday;
  for (let i = 0; i < rowsToday; i++) {
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
    workerLog.info(shadowDecisionLine({ symbol: c.position.symbol, side: "long", size: 1, pnlPct: 1 }, c.decision));
    if (recorder.buffered >= 20_000) await recorder.flush();
  }
  await recorder.flush();
  // flush() resolves with its own batch; the one before it may still be in flight
  const recorded = (recordedSoFar += rowsToday);
  await waitFor(() => (recorder.stats.rowsWritten >= recorded ? true : null), `day ${day + 1}'s decisions stored`, 120_000);
  phase.writeTo = epochMs();
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
  phases.push(phase);
  if (full) {
    const p = await partitionOf(day);
    const rollupBytes = (await sizes()).rollup - rollupBefore;
    const writeS = (phase.writeTo - phase.writeFrom) / 1000;
    fullPartitions.push({ day, ...p, rollupBytes, writeS });
    console.log(
      `[year] day ${day + 1} (full rate): ${p.rows.toLocaleString("en-US")} decisions written in ${writeS.toFixed(1)} s (${perSec(p.rows / writeS)}), partition ${mb(p.bytes)} = ${(p.bytes / p.rows).toFixed(0)} B/row; ` +
        `maintenance ${((phase.maintTo - phase.maintFrom) / 1000).toFixed(2)} s, ${phase.dropped} partition(s) dropped`,
    );
  }
  if (day % 10 === 0 || full) maxPartitions = Math.max(maxPartitions, (await sizes()).partitions);
  if (day + 1 === 120 || day + 1 === 240 || day + 1 === DAYS || day + 1 === A_FIRST || day + 1 === A_FIRST + FULL_DAYS) {
    const s = await sizes();
    checkpoints.set(day + 1, s);
    console.log(`[year] day ${day + 1}: database ${mb(s.db)}, shadow_decision ${mb(s.shadow)} in ${s.partitions} partitions (${s.rows.toLocaleString("en-US")} rows), rollup ${mb(s.rollup)}, attempts ${mb(s.attempts)}, JSONL files ${mb(s.files)}, log files ${mb(s.logs)}`);
  }
}
const samples = await new Promise<[number, number][]>((resolve) => {
  probe.once("message", (m) => resolve((m as { samples: [number, number][] }).samples));
  probe.send("stop");
});
await recorder.stop();
const logFile = logFileOf(workerLog);
await logFile?.close();
const final = await sizes();
const wall = (epochMs() - started) / 1000;

// Each probe sample belongs to the day whose write phase it started in: during that day's
// retention run, or after it (without maintenance; the recorder writes in both).
const during = { full: [] as number[], scaled: [] as number[] };
const without = { full: [] as number[], scaled: [] as number[] };
let pi = 0;
for (const [t, d] of samples.sort((a, b) => a[0] - b[0])) {
  while (pi < phases.length && phases[pi]!.writeTo < t) pi++;
  const p = phases[pi];
  if (!p || t < p.writeFrom) continue;
  const kind = p.full ? "full" : "scaled";
  (t >= p.maintFrom && t <= p.maintTo ? during : without)[kind].push(d);
}

const last = checkpoints.get(DAYS)!;
const beforeA = checkpoints.get(A_FIRST)!;
const afterA = checkpoints.get(A_FIRST + FULL_DAYS)!;
const fullRows = fullPartitions.reduce((a, p) => a + p.rows, 0);
const fullBytes = fullPartitions.reduce((a, p) => a + p.bytes, 0);
const bytesPerRow = fullBytes / fullRows;
const rollupPerDay = fullPartitions.reduce((a, p) => a + p.rollupBytes, 0) / fullPartitions.length;
const fullWriteRate = fullRows / fullPartitions.reduce((a, p) => a + p.writeS, 0);
// Steady state at the full rate: 91 whole days kept (90 + the one not yet wholly past), today's
// partly; extrapolated from the measured bytes per row, not written.
const steadyShadowFull = bytesPerRow * FULL_ROWS_PER_DAY * (KEPT_DAYS + 1.5);
const steadyDbFull = last.db - last.shadow + steadyShadowFull;
const wF = summarize(during.full);
const woF = summarize(without.full);
const wS = summarize(during.scaled);
const woS = summarize(without.scaled);
const fullDropped = phases.filter((p) => p.day >= B_FIRST && p.day < B_FIRST + FULL_DAYS).reduce((a, p) => a + p.dropped, 0);

console.log(`[year] written: ${recorder.stats.rowsWritten.toLocaleString("en-US")} decisions (${(2 * FULL_DAYS).toLocaleString("en-US")} days at the full rate, ${DAYS - 2 * FULL_DAYS} at 1/${SCALE}), JSONL lines ${recorder.stats.linesWritten.toLocaleString("en-US")}, in ${wall.toFixed(0)} s`);
console.log(`[year] full-rate partitions: ${mb(fullBytes / fullPartitions.length)} a day, ${bytesPerRow.toFixed(0)} B/row (table + indexes); recorder at the full rate ${perSec(fullWriteRate)} (real need: ${perSec(FULL_ROWS_PER_DAY / 86_400)})`);
console.log(`[year] window A (${FULL_DAYS} full days) grew the database ${mb(afterA.db - beforeA.db)}; all ${fullDropped} of its partitions were dropped during window B; database at day ${DAYS}: ${mb(last.db)}`);
console.log(`[year] steady state at the full rate (EXTRAPOLATED: ${bytesPerRow.toFixed(0)} B/row x ${FULL_ROWS_PER_DAY.toLocaleString("en-US")}/day x ${KEPT_DAYS + 1.5} days): shadow_decision ${gb(steadyShadowFull)}, database ${gb(steadyDbFull)}; the rollup grows ${mb(rollupPerDay)} a full day (${mb(rollupPerDay * 365)} a year, kept forever)`);
console.log(`[year] attempt persist, full-rate days, during partition maintenance: ${fmt(wF)}`);
console.log(`[year] attempt persist, full-rate days, without maintenance:         ${fmt(woF)}`);
console.log(`[year] attempt persist, 1/${SCALE} days, during maintenance: ${fmt(wS)}; without: ${fmt(woS)}`);
console.log(`[year] retention steps failed (retried at the next run): ${retentionErrors.length}${retentionErrors.length ? ` (first: ${retentionErrors[0]})` : ""}; most partitions at once: ${maxPartitions}`);
const p99 = (s: Summary) => ms(s.p99);
const B = "retention-year";
reportRow({ bench: B, figure: `scale: full rate ${FULL_ROWS_PER_DAY.toLocaleString("en-US")}/day on ${2 * FULL_DAYS} days, 1/${SCALE} on ${DAYS - 2 * FULL_DAYS}`, value: `${recorder.stats.rowsWritten.toLocaleString("en-US")} rows written`, target: "-", baseline: "-", ratio: "-", met: null });
// Before window A and at the end, only 1/SCALE days are kept: the same steady state of decisions.
const shadowFlat = Math.abs(last.shadow - beforeA.shadow) <= 0.1 * beforeA.shadow;
const grewBy = last.db - beforeA.db;
const explained = last.rollup - beforeA.rollup + (last.attempts - beforeA.attempts);
console.log(`[year] day ${A_FIRST} -> ${DAYS}: database +${mb(grewBy)}, of which the rollup (forever) +${mb(last.rollup - beforeA.rollup)} and attempts (365 days, still in their first year) +${mb(last.attempts - beforeA.attempts)}; shadow_decision ${mb(beforeA.shadow)} -> ${mb(last.shadow)}`);
reportRow({ bench: B, figure: `shadow_decision size, day ${A_FIRST} -> day ${DAYS} (1/${SCALE} days kept at both)`, value: `${mb(beforeA.shadow)} -> ${mb(last.shadow)}`, target: "flat (+-10%)", baseline: "-", ratio: ratio(last.shadow, beforeA.shadow), met: shadowFlat });
reportRow({ bench: B, figure: `database size after ${DAYS} days (measured)`, value: mb(last.db), target: "growth = rollup + attempts", baseline: `${mb(beforeA.db)} at day ${A_FIRST}`, ratio: ratio(last.db, beforeA.db), met: shadowFlat && grewBy <= explained * 1.5 + 16 * 1024 * 1024 });
reportRow({ bench: B, figure: "shadow_decision day partitions (most at once / at the end)", value: `${maxPartitions} / ${last.partitions}`, target: `<= ${PARTITIONS_MAX}`, baseline: `${mb(last.shadow)} at the end`, ratio: "-", met: maxPartitions <= PARTITIONS_MAX });
reportRow({ bench: B, figure: "full-size partitions dropped during full-rate writes", value: `${fullDropped} of ${FULL_DAYS}`, target: `${FULL_DAYS}`, baseline: `${mb(fullBytes / fullPartitions.length)} each, ${bytesPerRow.toFixed(0)} B/row`, ratio: "-", met: fullDropped === FULL_DAYS });
reportRow({ bench: B, figure: "steady-state shadow_decision at the full rate (extrapolated)", value: gb(steadyShadowFull), target: "bounded", baseline: `database ${gb(steadyDbFull)}`, ratio: "-", met: null });
reportRow({ bench: B, figure: `shadow JSONL files (current + ${ROTATE_KEEP} rotated)`, value: mb(final.files), target: `<= ${(ROTATE_KEEP + 1) * ROTATE_BYTES / 1024 / 1024} MB`, baseline: "-", ratio: "-", met: final.files <= (ROTATE_KEEP + 1) * ROTATE_BYTES });
reportRow({ bench: B, figure: `worker log files (LOG_FILE, current + ${LOG_ROTATE_KEEP} rotated)`, value: `${mb(final.logs)}${logFile?.dropped ? `, ${logFile.dropped} lines dropped` : ""}`, target: `<= ${((LOG_ROTATE_KEEP + 1) * LOG_ROTATE_BYTES) / 1024 / 1024} MB`, baseline: "-", ratio: "-", met: final.logs <= (LOG_ROTATE_KEEP + 1) * LOG_ROTATE_BYTES });
reportRow({ bench: B, figure: "attempt persist p99 during partition maintenance (full-rate days)", value: p99(wF), target: "-", baseline: `${p99(woF)} without`, ratio: ratio(wF.p99, woF.p99), met: null });

await pool.end();
await job.close();
rmSync(logDir, { recursive: true, force: true });
await bench.drop();
