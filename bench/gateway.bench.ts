// Issue 9 item 4: the gateway's pure rule decisions per second (target >= 1,000,000/s; baseline
// in the same run: a loop that only checks the closing side, the floor of any rule), and order
// attempts persisted per second into PostgreSQL with batching (target >= 5,000/s; baseline: the
// gateway's one-row insertAttempt, sequential and 6-way concurrent, as the gateway's pool allows);
// and what the status report's running counts (migration 0018) cost the gateway's writes.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { closingSide, type ExitOrderRequest } from "../src/core/gateway/exit-order-request";
import { decideExitOrder, type GatewayContext } from "../src/core/gateway/gateway-rules";
import type { OperationalState } from "../src/core/toggles";
import { AttemptBatchWriter, insertAttemptBatch } from "./lib/attempt-batch-writer";
import { finishAttempt, insertAttempt, type NewAttempt } from "../worker/gateway/attempt-store";
import { createBenchDatabase } from "./lib/bench-database";
import { size } from "./lib/quick";
import { ms, perSec, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";

const BUDGET_MS = size("BENCH_BUDGET_MS", 3000, 500);
const ROWS = size("BENCH_ATTEMPT_ROWS", 50_000, 10_000);
const ONE_ROW = size("BENCH_ONE_ROW", 3000, 600);

// A varied request mix: modules, sides, types, a few invalid ones, all three states.
const MODULES = ["exit_executor", "position_monitor", "hybrid_tpsl", "unknown_module"];
const TYPES = ["MARKET", "STOP_MARKET", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"] as const;
const STATES: OperationalState[] = ["LEGACY", "EXIT_BRAIN_V3_SHADOW", "EXIT_BRAIN_V3_LIVE"];
const reqs: ExitOrderRequest[] = Array.from({ length: 256 }, (_, i) => {
  const positionSide = i % 2 ? "long" : "short";
  return {
    module: MODULES[i % MODULES.length]!, kind: "sl", symbol: "BTCUSDT", positionSide,
    side: i % 17 === 0 ? (positionSide === "long" ? "buy" : "sell") : closingSide(positionSide),
    orderType: TYPES[(i >> 2) % 4]!, quantity: i % 29 === 0 ? 0 : 0.01, stopPrice: 20_000 + i, reduceOnly: i % 31 !== 0, decisionId: `d${i}`,
  };
});
const ctxs: GatewayContext[] = STATES.flatMap((state) => [{ state, confirmed: true }, { state, confirmed: false }, { state, confirmed: true, orderEpoch: 2, currentEpoch: 3 }]);

function loop(label: string, body: (i: number) => number): { rate: number; sink: number } {
  const BATCH = 100_000;
  for (let w = 0; w < 3; w++) for (let i = 0; i < BATCH; i++) body(i); // JIT warm-up
  const samples: number[] = [];
  let sink = 0;
  const start = nowMs();
  while (nowMs() - start < BUDGET_MS) {
    const t = nowMs();
    for (let i = 0; i < BATCH; i++) sink += body(i);
    samples.push(nowMs() - t);
  }
  const total = samples.reduce((a, b) => a + b, 0);
  const rate = (samples.length * BATCH) / (total / 1000);
  console.log(`${label.padEnd(40)} ${perSec(rate).padStart(14)}  per 100k: ${fmt(summarize(samples))}`);
  return { rate, sink };
}

const rules = loop("decideExitOrder", (i) => (decideExitOrder(reqs[i & 255]!, ctxs[i % ctxs.length]!).verdict === "deny" ? 1 : 0));
const floor = loop("baseline: closing-side check only", (i) => (reqs[i & 255]!.side === closingSide(reqs[i & 255]!.positionSide) ? 1 : 0));
reportRow({ bench: "gateway", figure: "pure rule decisions/s (1 core)", value: perSec(rules.rate), target: ">= 1,000,000/s", baseline: `side check ${perSec(floor.rate)}`, ratio: ratio(rules.rate, floor.rate), met: rules.rate >= 1_000_000 });

// --- persisted attempts ---
const bench = await createBenchDatabase("gateway");
const pool = new pg.Pool({ connectionString: bench.url, max: 6 });
const run = randomBytes(3).toString("hex");
let seq = 0;
function attempt(): NewAttempt {
  const req = reqs[seq % 256]!;
  const id = `${run}-${seq++}`;
  return { req: { ...req, decisionId: id }, clientOrderId: `eb-${id}`, decision: decideExitOrder(req, ctxs[seq % ctxs.length]!), toggleVersion: 7, leaderEpoch: null, outcome: "pending" };
}
async function timed(label: string, rows: number, work: () => Promise<void>): Promise<number> {
  const t = nowMs();
  await work();
  const rate = rows / ((nowMs() - t) / 1000);
  console.log(`${label.padEnd(40)} ${perSec(rate).padStart(14)}  (${rows.toLocaleString("en-US")} rows)`);
  return rate;
}
try {
  await insertAttemptBatch(pool, Array.from({ length: 200 }, attempt)); // warm-up: plans, connections
  const oneSeq = await timed("one-row insertAttempt, sequential", ONE_ROW, async () => {
    for (let i = 0; i < ONE_ROW; i++) await insertAttempt(pool, attempt());
  });
  const oneConc = await timed("one-row insertAttempt, 6 concurrent", ONE_ROW, async () => {
    let left = ONE_ROW;
    await Promise.all(Array.from({ length: 6 }, async () => {
      while (left-- > 0) await insertAttempt(pool, attempt());
    }));
  });
  const batched = await timed("insertAttemptBatch, 500 rows/statement", ROWS, async () => {
    for (let i = 0; i < ROWS; i += 500) await insertAttemptBatch(pool, Array.from({ length: Math.min(500, ROWS - i) }, attempt));
  });
  const writer = new AttemptBatchWriter(pool, { maxRows: 1000 });
  const grouped = await timed("AttemptBatchWriter, 2,000 callers at once", ROWS, async () => {
    for (let i = 0; i < ROWS; i += 2000) await Promise.all(Array.from({ length: Math.min(2000, ROWS - i) }, () => writer.add(attempt())));
  });
  const n = await pool.query<{ n: string }>("SELECT count(*) AS n FROM exit_order_attempt");
  console.log(`rows stored: ${n.rows[0]!.n}`);
  reportRow({ bench: "gateway", figure: "persisted attempts/s, batched (500/statement)", value: perSec(batched), target: ">= 5,000/s", baseline: `one-row ${perSec(oneSeq)}`, ratio: ratio(batched, oneSeq), met: batched >= 5000 });
  reportRow({ bench: "gateway", figure: "persisted attempts/s, group commit (AttemptBatchWriter)", value: perSec(grouped), target: ">= 5,000/s", baseline: `one-row x6 ${perSec(oneConc)}`, ratio: ratio(grouped, oneConc), met: grouped >= 5000 });
  reportRow({ bench: "gateway", figure: "persisted attempts/s, one-row (shipped path)", value: perSec(oneSeq), target: "-", baseline: "-", ratio: "-", met: null });

  // What the status report's running counts (migration 0018's triggers) cost the order path: the
  // gateway's insert + finish (pending -> placed) from 6 concurrent writers, as shipped against the
  // same with the table's triggers disabled (the baseline), alternated over 3 rounds.
  const finishOf = async (a: NewAttempt) => {
    const t = nowMs();
    const { row } = await insertAttempt(pool, a);
    await finishAttempt(pool, row.id, { outcome: "placed", tries: 1 });
    return nowMs() - t;
  };
  const rounds: Record<"on" | "off", { rate: number[]; lat: number[] }> = { on: { rate: [], lat: [] }, off: { rate: [], lat: [] } };
  for (let r = 0; r < 3; r++) {
    for (const mode of ["on", "off"] as const) {
      await pool.query(`ALTER TABLE exit_order_attempt ${mode === "on" ? "ENABLE" : "DISABLE"} TRIGGER USER`);
      let left = ONE_ROW;
      const rate = await timed(`insert + finish x6, counts' triggers ${mode}`, ONE_ROW, async () => {
        await Promise.all(Array.from({ length: 6 }, async () => {
          while (left-- > 0) rounds[mode].lat.push(await finishOf(attempt()));
        }));
      });
      rounds[mode].rate.push(rate);
    }
  }
  await pool.query("ALTER TABLE exit_order_attempt ENABLE TRIGGER USER");
  const on = summarize(rounds.on.lat);
  const off = summarize(rounds.off.lat);
  const range = (xs: number[]) => `${perSec(Math.min(...xs))}–${perSec(Math.max(...xs))}`;
  reportRow({
    bench: "gateway", figure: "insert + finish per attempt, 6 concurrent writers, with the status counts' triggers (migration 0018), p99",
    value: `${ms(on.p99)} (p50 ${ms(on.p50)}; ${range(rounds.on.rate)})`, target: "report", baseline: `triggers off ${ms(off.p99)} (p50 ${ms(off.p50)}; ${range(rounds.off.rate)})`,
    ratio: ratio(on.p99, off.p99), met: null,
  });
} finally {
  await pool.end();
  await bench.drop();
}
if (rules.sink + floor.sink === -1) console.log("");
