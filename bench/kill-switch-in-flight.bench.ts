// Kill switch while executor orders are in flight (issue 12): commit -> the worker's toggle
// watcher effective, with SENDERS executor orders continuously going out through the real
// gateway (real ccxt over HTTP to the simulator, real PostgreSQL) in the watcher's own process,
// as in the worker. Two phases in the same run: a fast venue, then one that holds every order
// request LATENCY_MS (within the send deadline, so the orders are really in flight, not aborted).
// The kill switches are committed by another process (bench/lib/toggle-committer.ts), each one
// while orders are out; the gateway holds no lock across a send, so the commit never waits for
// them. Target: p99 < 50 ms slowed, and no more than 2x the same run's fast-venue p99.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import pg from "pg";
import { parseCeilings } from "../src/core/toggles";
import type { ExitOrderRequest } from "../src/core/gateway/exit-order-request";
import { createDb } from "../src/server/db/client";
import { createLogger } from "../src/server/logger";
import { bootToggles } from "../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../src/server/services/toggles/change-toggles";
import { readStoredToggles } from "../src/server/db/toggle-row";
import { createExchange } from "../worker/exchange/create-exchange";
import { ExitOrderGateway } from "../worker/gateway/exit-order-gateway";
import { ToggleWatcher, type ToggleView } from "../worker/toggles/toggle-watcher";
import { BENCH_SIM_CREDENTIALS, benchSymbols, openPositions, startBenchSim } from "./lib/bench-sim";
import { createBenchDatabase } from "./lib/bench-database";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";

const KILLS = Number(process.env.BENCH_KILLS ?? 60);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 4);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 1_200);
const bench = await createBenchDatabase("killflight");
const db = createDb(bench.url, { max: 4 });
const log = createLogger({ name: "bench", level: "silent", console: false });
const sim = await startBenchSim({ symbols: 1 });
const [symbol] = benchSymbols(1) as [string];
openPositions(sim, [symbol]);

const port = await createExchange(
  { EXCHANGE: "sim", SIM_URL: sim.url, SIM_PORT: 0, SIM_API_KEY: BENCH_SIM_CREDENTIALS.apiKey, SIM_API_SECRET: BENCH_SIM_CREDENTIALS.apiSecret, BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined },
  {},
);
await port.loadMarkets();
const pool = new pg.Pool({ connectionString: bench.url, max: SENDERS + 2, lock_timeout: 500, statement_timeout: 2_000 });
const gateway = new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, maxTries: 1 });

/** The committing process (as the web server or CLI). */
function startCommitter(): { run(cmd: "kill" | "arm"): Promise<{ t0: number; committed: number }>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/toggle-committer.ts", bench.url], { stdio: ["pipe", "pipe", "inherit"] });
  const waiting: ((v: { t0: number; committed: number }) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (l) => waiting.shift()?.(JSON.parse(l) as { t0: number; committed: number }));
  return {
    run(cmd) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin!.write(cmd + "\n");
      });
    },
    async stop() {
      child.stdin!.end("quit\n");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    },
  };
}

function nextView(w: ToggleWatcher, pred: (v: ToggleView) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const on = (v: ToggleView) => {
      if (!pred(v)) return;
      w.off("change", on);
      resolve(nowMs());
    };
    w.on("change", on);
  });
}

let inFlight = 0;
let sendMs: number[] = [];
let seq = 0;
let sending = true;

/** One executor: decides under the watcher's view and sends a reduce-only stop, again and again. */
async function sender(w: ToggleWatcher, price: number): Promise<{ placed: number; blocked: number; other: number }> {
  const n = { placed: 0, blocked: 0, other: 0 };
  while (sending) {
    const v = w.view();
    if (v.state !== "EXIT_BRAIN_V3_LIVE") {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    seq++;
    const req: ExitOrderRequest = {
      module: "exit_executor", kind: "sl", symbol, positionSide: "long", side: "sell", orderType: "STOP_MARKET",
      quantity: 0.1, stopPrice: Number((price * (0.5 + (seq % 1000) / 10_000)).toFixed(2)), reduceOnly: true, decisionId: `bench:${seq}:${Date.now()}`,
    };
    inFlight++;
    const t0 = nowMs();
    const r = await gateway.submit(req, { state: v.state, toggleVersion: v.version }).finally(() => inFlight--);
    sendMs.push(nowMs() - t0);
    if (r.outcome === "placed") {
      n.placed++;
      // The venue keeps at most 10 stops per symbol: clear this one (arrangement, not measured).
      await port.cancelOrder({ symbol, conditional: true, id: r.exchangeOrderId! }).catch(() => {});
    }
    else if (r.outcome === "blocked") n.blocked++;
    else {
      n.other++;
      if (n.other <= 3) console.log(`send ${r.outcome}: ${r.error}`); // a few, to say why
    }
  }
  return n;
}

interface Phase {
  commitToEffective: number[];
  inFlightAtCommit: number[];
  sends: { placed: number; blocked: number; other: number };
}

async function phase(label: string, latencyMs: number): Promise<Phase> {
  await fetch(`${sim.url}/admin/faults`, { method: "DELETE" });
  if (latencyMs > 0) {
    const res = await fetch(`${sim.url}/admin/faults`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", path: "/fapi/v1/algoOrder", method: "POST", latencyMs }),
    });
    if (!res.ok) throw new Error(`the simulator refused the latency rule: ${res.status} ${await res.text()}`);
  }
  const w = new ToggleWatcher({ connectionString: bench.url, ceilings: parseCeilings({}), log, pollMs: 10_000 });
  await w.start();
  const committer = startCommitter();
  if ((await readStoredToggles(db))!.toggles.EXIT_BRAIN_V3_LIVE_ROLLOUT !== "ENABLED") await committer.run("arm");
  sending = true;
  sendMs = [];
  const price = sim.sim.feed.price(symbol);
  const senders = Array.from({ length: SENDERS }, () => sender(w, price));
  const out: Phase = { commitToEffective: [], inFlightAtCommit: [], sends: { placed: 0, blocked: 0, other: 0 } };
  const WARMUP = 5;
  for (let i = -WARMUP; i < KILLS; i++) {
    if (w.view().state !== "EXIT_BRAIN_V3_LIVE") {
      const live = nextView(w, (v) => v.state === "EXIT_BRAIN_V3_LIVE");
      await committer.run("arm");
      await live;
    }
    // Let the senders get their orders out before the switch.
    const until = nowMs() + 2_000;
    while (inFlight < SENDERS && nowMs() < until) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, Math.min(300, latencyMs / 3)));
    const atCommit = inFlight;
    const seen = nextView(w, (v) => v.state === "EXIT_BRAIN_V3_SHADOW");
    const { committed } = await committer.run("kill");
    const t1 = await seen;
    if (i < 0) continue;
    out.commitToEffective.push(Math.max(0, t1 - committed));
    out.inFlightAtCommit.push(atCommit);
  }
  sending = false;
  for (const s of await Promise.all(senders)) {
    out.sends.placed += s.placed;
    out.sends.blocked += s.blocked;
    out.sends.other += s.other;
  }
  await committer.stop();
  await w.stop();
  console.log(`${label}: kill switch commit -> watcher effective ${fmt(summarize(out.commitToEffective))}; each send ${fmt(summarize(sendMs))}; orders in flight at the commit: mean ${(out.inFlightAtCommit.reduce((a, b) => a + b, 0) / out.inFlightAtCommit.length).toFixed(1)}; sends ${JSON.stringify(out.sends)}`);
  return out;
}

try {
  await bootToggles(db, {});
  // Going LIVE here is the bench's arrangement, not what it measures: where the go-LIVE policy is
  // stored in the database (issue 13), a bench database (created by the server's admin) waives
  // the readiness gate, which needs a day of shadow history.
  await db.$executeRawUnsafe(`DO $$ BEGIN IF to_regclass('public.toggle_policy') IS NOT NULL THEN UPDATE toggle_policy SET require_readiness = false; END IF; END $$`);
  await changeToggles(db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, actor: "bench", source: "api", reason: "bench", confirmLive: true, ceilings: {} });
  const fast = await phase("fast venue", 0);
  const slow = await phase(`venue holding each order ${LATENCY_MS} ms`, LATENCY_MS);
  const f = summarize(fast.commitToEffective);
  const s = summarize(slow.commitToEffective);
  const inFlightMean = slow.inFlightAtCommit.reduce((a, b) => a + b, 0) / slow.inFlightAtCommit.length;
  console.log(`kill switch in flight: slowed p99 ${s.p99.toFixed(2)} ms vs fast p99 ${f.p99.toFixed(2)} ms = ${(s.p99 / f.p99).toFixed(2)}x (target < 50 ms and <= 2x: ${s.p99 < 50 && s.p99 <= 2 * f.p99 ? "met" : "MISSED"})`);
  reportRow({
    bench: "kill-switch-in-flight", figure: `commit -> worker effective p99, ${SENDERS} senders, venue holding each order ${LATENCY_MS} ms (${inFlightMean.toFixed(1)} orders in flight at each commit)`,
    value: ms(s.p99), target: "< 50 ms and <= 2x fast", baseline: `same run, fast venue p99 ${ms(f.p99)}`, ratio: ratio(s.p99, f.p99), met: s.p99 < 50 && s.p99 <= 2 * f.p99,
  });
} finally {
  sending = false;
  await port.close();
  await pool.end();
  await sim.close();
  await db.$disconnect();
  await bench.drop();
}
