// Issue 9 item 5: ingest 1,000,000 shadow decisions into shadow_decision (target >= 50,000
// rows/s) through the product's DecisionRecorder (unnest INSERT over a pg pool, flushRows 500,
// the per-minute rollup kept by the table's triggers), comparing in the same run row-by-row
// INSERTs, the recorder's former Prisma createMany (500 rows), unnest INSERTs and COPY; then every
// shadow-analysis service the dashboard calls (src/server/services/shadow) over those rows,
// p95 < 200 ms each. Baseline for the queries: a full count(*) of the table in the same run.
import pg from "pg";
import pino from "pino";
import type { Decision } from "../src/core/exit-brain";
import type { DecisionContext } from "../src/core/decisions";
import { createDb } from "../src/server/db/client";
import { exportShadowDecisions } from "../src/server/services/shadow/export-shadow-decisions";
import { getDecisionDistribution } from "../src/server/services/shadow/get-decision-distribution";
import { getDecisionsOverTime } from "../src/server/services/shadow/get-decisions-over-time";
import { getShadowComparison } from "../src/server/services/shadow/get-shadow-comparison";
import { listEmergencyExits } from "../src/server/services/shadow/list-emergency-exits";
import { listShadowSymbols } from "../src/server/services/shadow/list-shadow-symbols";
import type { ShadowFilter } from "../src/server/services/shadow/shadow-filter";
import { createBenchDatabase } from "./lib/bench-database";
import { copyIn } from "./lib/copy-in";
import { size } from "./lib/quick";
import { ms, perSec, ratio, reportRow } from "./lib/report";
import { copyLine, SHADOW_COLUMNS, shadowRow, SYMBOLS, T_END, type ShadowValue } from "./lib/shadow-rows";
import { fmt, nowMs, summarize } from "./lib/stats";
import { DecisionRecorder } from "../worker/executor/decision-recorder";

const TOTAL = size("BENCH_SHADOW_ROWS", 1_000_000, 100_000);
const REPS = size("BENCH_QUERY_REPS", 20, 5);
const ROW_BY_ROW_MS = size("BENCH_ROW_BY_ROW_MS", 3000, 1000);
const COMPARE_ROWS = size("BENCH_COMPARE_ROWS", 50_000, 10_000);

const bench = await createBenchDatabase("shadow");
const pool = new pg.Pool({ connectionString: bench.url, max: 4 });
const db = createDb(bench.url, { max: 4 });
const cols = SHADOW_COLUMNS.join(", ");
const CASTS = ["timestamptz", "text", "text", "text", "float8", "float8", "float8", "float8", "text", "float8", "text", "float8", "text", "float8", "float8", "text", "text", "bigint"];

async function rate(label: string, rows: number, work: () => Promise<void>): Promise<number> {
  const t = nowMs();
  await work();
  const r = rows / ((nowMs() - t) / 1000);
  console.log(`${label.padEnd(44)} ${perSec(r).padStart(12)} rows  (${rows.toLocaleString("en-US")} rows)`);
  return r;
}

function chunks(total: number, per: number, offset: number): ShadowValue[][][] {
  const out: ShadowValue[][][] = [];
  for (let i = 0; i < total; i += per) out.push(Array.from({ length: Math.min(per, total - i) }, (_, k) => shadowRow(offset + i + k, TOTAL)));
  return out;
}

function toPrisma(v: ShadowValue[]) {
  return {
    at: new Date(v[0] as string), positionKey: v[1] as string, symbol: v[2] as string, side: v[3] as string, size: v[4] as number, entryPrice: v[5] as number,
    markPrice: v[6] as number, pnlPct: v[7] as number, decisionType: v[8] as string, confidence: v[9] as number, reason: v[10] as string,
    newSl: v[11] as number | null, slReason: v[12] as string | null, fraction: v[13] as number | null, newTp: v[14] as number | null,
    exitReason: v[15] as string | null, mode: v[16] as string, toggleVersion: BigInt(v[17] as number),
  };
}

/** The synthetic row as the executor hands it to the recorder. */
function toContext(v: ShadowValue[]): DecisionContext {
  const [at, key, symbol, side, size, entry, mark, , type, confidence, reason] = v as [string, string, string, "long" | "short", number, number, number, number, string, number, string];
  const base = { confidence, reason };
  const decision: Decision =
    type === "move_sl" ? { ...base, type, newSl: v[11] as number, slReason: "breakeven" }
    : type === "set_tp" ? { ...base, type, newTp: v[14] as number }
    : type === "partial_close" ? { ...base, type, fraction: 0.5, ladderStep: 0 }
    : type === "full_exit_now" ? { ...base, type, exitReason: "shock" as const }
    : { ...base, type: "hold" };
  return {
    positionKey: key, mode: "SHADOW", toggleVersion: 3, at: Date.parse(at), decision,
    position: { symbol, side, size, entryPrice: entry, markPrice: mark, leverage: 5, liquidationPrice: null, unrealizedPnl: 0, openedAt: 0 },
  };
}

/** Feeds `total` decisions to a recorder the way the executor does (a cycle of 500, then the event loop). */
async function ingestWithRecorder(total: number, offset: number, recorderPool: pg.Pool | null): Promise<{ ms: number; dropped: number; written: number }> {
  const recorder = new DecisionRecorder({ db: db, pool: recorderPool, log: pino({ level: "silent" }), file: null, holdSample: 0, flushMs: 500, flushRows: 500 });
  let ms = 0;
  for (let i = 0; i < total; i += 50_000) {
    // Synthetic decisions are made outside the timed part: only the recorder's cost is measured.
    const ctxs = Array.from({ length: Math.min(50_000, total - i) }, (_, k) => toContext(shadowRow(offset + i + k, TOTAL)));
    const t0 = nowMs();
    for (let k = 0; k < ctxs.length; k += 500) {
      for (let j = k; j < Math.min(ctxs.length, k + 500); j++) recorder.record(ctxs[j]!);
      if (recorder.buffered > 20_000) await recorder.flush(); // back-pressure: never drop
      else await new Promise((res) => setImmediate(res));
    }
    ms += nowMs() - t0;
  }
  const t0 = nowMs();
  await recorder.stop();
  ms += nowMs() - t0;
  return { ms, dropped: recorder.stats.dropped, written: recorder.stats.rowsWritten };
}

try {
  // --- ingest: the comparison methods on a slice, then the full load with the fastest one ---
  // Only the database calls are timed: generating synthetic rows is not the product's cost.
  const sqlOne = `INSERT INTO shadow_decision (${cols}) VALUES (${CASTS.map((_, k) => `$${k + 1}`).join(", ")})`;
  const oneRows = Array.from({ length: 20_000 }, (_, k) => shadowRow(TOTAL + k, TOTAL));
  let n = 0;
  let t = nowMs();
  while (nowMs() - t < ROW_BY_ROW_MS && n < oneRows.length) await pool.query(sqlOne, oneRows[n++]);
  const rowByRow = n / ((nowMs() - t) / 1000);
  console.log(`${"row-by-row INSERT (bounded in time)".padEnd(44)} ${perSec(rowByRow).padStart(12)} rows  (${n} rows)`);
  const prismaBatches = chunks(COMPARE_ROWS, 500, TOTAL * 2).map((rows) => rows.map(toPrisma));
  const prisma = await rate("Prisma createMany, 500/batch (former path)", COMPARE_ROWS, async () => {
    for (const data of prismaBatches) await db.shadowDecision.createMany({ data });
  });
  const sqlUnnest = `INSERT INTO shadow_decision (${cols}) SELECT * FROM unnest(${CASTS.map((c, k) => `$${k + 1}::${c}[]`).join(", ")})`;
  const unnestBatches = chunks(COMPARE_ROWS, 5000, TOTAL * 3).map((rows) => CASTS.map((_, c) => rows.map((r) => r[c])));
  const unnest = await rate("multi-row unnest INSERT, 5,000/statement", COMPARE_ROWS, async () => {
    for (const params of unnestBatches) await pool.query(sqlUnnest, params);
  });
  const client = await pool.connect();
  let copyMs = 0;
  for (let i = 0; i < COMPARE_ROWS; i += 50_000) {
    const lines: string[] = [];
    for (let k = i; k < Math.min(COMPARE_ROWS, i + 50_000); k++) lines.push(copyLine(shadowRow(TOTAL * 4 + k, TOTAL)));
    const text = lines.join("\n") + "\n";
    t = nowMs();
    await copyIn(client, "shadow_decision", SHADOW_COLUMNS, text);
    copyMs += nowMs() - t;
  }
  client.release();
  const copy = COMPARE_ROWS / (copyMs / 1000);
  console.log(`${"COPY FROM STDIN, 50,000/COPY".padEnd(44)} ${perSec(copy).padStart(12)} rows  (${COMPARE_ROWS.toLocaleString("en-US")} rows)`);
  // The recorder without a pool: the same unnest INSERT over the Prisma client's pg pool
  // ($executeRawUnsafe) - what worker/main.ts gets today, as startExecutor passes no pool.
  const viaPrisma = await ingestWithRecorder(COMPARE_ROWS, TOTAL * 5, null);
  const recorderPrisma = COMPARE_ROWS / (viaPrisma.ms / 1000);
  console.log(`${"DecisionRecorder over the Prisma client".padEnd(44)} ${perSec(recorderPrisma).padStart(12)} rows  (${COMPARE_ROWS.toLocaleString("en-US")} rows)`);
  // Remove the comparison rows so the analysed table holds exactly TOTAL decisions; then the
  // full load through the product's recorder (its own pool, as the worker would have).
  await pool.query("TRUNCATE shadow_decision");
  const recorderPool = new pg.Pool({ connectionString: bench.url, max: 2 });
  const rec = await ingestWithRecorder(TOTAL, 0, recorderPool);
  await recorderPool.end();
  const recorder = TOTAL / (rec.ms / 1000);
  const [{ raw, rolled }] = (await pool.query<{ raw: string; rolled: string }>("SELECT (SELECT count(*) FROM shadow_decision) AS raw, (SELECT sum(n) FROM shadow_decision_minute) AS rolled")).rows as [{ raw: string; rolled: string }];
  console.log(`${`DecisionRecorder (unnest over pg, flushRows 500)`.padEnd(44)} ${perSec(recorder).padStart(12)} rows  (${TOTAL.toLocaleString("en-US")} rows; stored ${raw}, rollup ${rolled}, dropped ${rec.dropped})`);
  if (Number(raw) !== TOTAL || Number(rolled) !== TOTAL || rec.dropped !== 0) throw new Error(`recorder ingest lost rows: stored ${raw}, rollup ${rolled}, dropped ${rec.dropped}`);
  // Steady state as autovacuum leaves it: visibility map set (index-only scans), statistics fresh.
  t = nowMs();
  await pool.query("VACUUM ANALYZE shadow_decision");
  console.log(`VACUUM ANALYZE after the load: ${ms(nowMs() - t)}`);
  reportRow({ bench: "shadow-log", figure: `ingest ${TOTAL.toLocaleString("en-US")} decisions, DecisionRecorder (unnest over pg + rollup trigger)`, value: perSec(recorder), target: ">= 50,000/s", baseline: `row-by-row ${perSec(rowByRow)}`, ratio: ratio(recorder, rowByRow), met: recorder >= 50_000 });
  reportRow({ bench: "shadow-log", figure: "ingest, DecisionRecorder without a pool (unnest over the Prisma client)", value: perSec(recorderPrisma), target: ">= 50,000/s", baseline: `row-by-row ${perSec(rowByRow)}`, ratio: ratio(recorderPrisma, rowByRow), met: recorderPrisma >= 50_000 });
  reportRow({ bench: "shadow-log", figure: "ingest, COPY (50,000/COPY, comparison)", value: perSec(copy), target: ">= 50,000/s", baseline: `row-by-row ${perSec(rowByRow)}`, ratio: ratio(copy, rowByRow), met: copy >= 50_000 });
  reportRow({ bench: "shadow-log", figure: "ingest, multi-row unnest INSERT (5,000/stmt)", value: perSec(unnest), target: ">= 50,000/s", baseline: `row-by-row ${perSec(rowByRow)}`, ratio: ratio(unnest, rowByRow), met: unnest >= 50_000 });
  reportRow({ bench: "shadow-log", figure: "ingest, Prisma createMany 500/batch (recorder's former path)", value: perSec(prisma), target: ">= 50,000/s", baseline: `row-by-row ${perSec(rowByRow)}`, ratio: ratio(prisma, rowByRow), met: prisma >= 50_000 });

  // --- queries ---
  const countAll: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(REPS / 4)); i++) {
    t = nowMs();
    await db.$queryRaw`SELECT count(*) FROM shadow_decision`;
    countAll.push(nowMs() - t);
  }
  const base = summarize(countAll);
  console.log(`baseline: SELECT count(*) (full table)       ${fmt(base)}`);
  const day: ShadowFilter = { since: new Date(T_END - 86_400_000), until: new Date(T_END) };
  const week: ShadowFilter = { since: new Date(T_END - 7 * 86_400_000), until: new Date(T_END) };
  const sym: ShadowFilter = { symbol: SYMBOLS[7]! };
  const queries: [string, () => Promise<unknown>][] = [
    ["distribution by type + avg confidence, all", () => getDecisionDistribution(db, {})],
    ["distribution, one symbol", () => getDecisionDistribution(db, sym)],
    ["distribution, last 24 h", () => getDecisionDistribution(db, day)],
    ["distribution, last 7 days", () => getDecisionDistribution(db, week)],
    ["decisions over time, all", () => getDecisionsOverTime(db, {}, new Date(T_END))],
    ["decisions over time, one symbol", () => getDecisionsOverTime(db, sym, new Date(T_END))],
    ["decisions over time, last 24 h", () => getDecisionsOverTime(db, day, new Date(T_END))],
    ["emergency-exit symbols, all", () => listEmergencyExits(db, {})],
    ["emergency-exit symbols, last 24 h", () => listEmergencyExits(db, day)],
    ["symbols for the filter", () => listShadowSymbols(db)],
    ["shadow vs legacy comparison, all", () => getShadowComparison(db, {})],
    ["export, first 5,000 rows, one symbol", async () => {
      let n = 0;
      for await (const r of exportShadowDecisions(db, sym)) if (++n >= 5000 || !r) break;
    }],
  ];
  for (const [name, q] of queries) {
    await q(); // warm-up: plan cache, buffers
    const s: number[] = [];
    for (let i = 0; i < REPS; i++) {
      t = nowMs();
      await q();
      s.push(nowMs() - t);
    }
    const sum = summarize(s);
    console.log(`query ${name.padEnd(40)} ${fmt(sum)}`);
    reportRow({ bench: "shadow-log", figure: `query p95: ${name}`, value: ms(sum.p95), target: "< 200 ms", baseline: `count(*) ${ms(base.p50)}`, ratio: ratio(sum.p95, base.p50), met: sum.p95 < 200 });
  }
} finally {
  await db.$disconnect();
  await pool.end();
  await bench.drop();
}
