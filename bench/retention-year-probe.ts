// The compressed year's gateway probe (bench/retention-year.bench.ts forks it): the gateway's
// attempt INSERT on a pool of its own, timed in a loop, in a process of its own. Its own process
// because the benchmark maps a year's decisions at thousands of times the real rate: in one event
// loop that CPU work would show up as "database latency" of the probe, which the real worker
// (50 positions, 5 decisions a second) never has.
// Protocol (IPC): the parent sends "stop"; the probe answers with every sample as
// [start (epoch ms, sub-ms precision), duration ms] and exits.
import { performance } from "node:perf_hooks";
import pg from "pg";

const url = process.env.PROBE_DATABASE_URL;
if (!url || !process.send) throw new Error("retention-year-probe: run by bench/retention-year.bench.ts (fork with IPC and PROBE_DATABASE_URL)");
const send = process.send.bind(process);
const everyMs = Number(process.env.PROBE_EVERY_MS ?? 5);

const pool = new pg.Pool({ connectionString: url, max: 2, lock_timeout: 500, statement_timeout: 2_000 });
const epochMs = () => performance.timeOrigin + performance.now();
const samples: [number, number][] = [];
let running = true;
let n = 0;
process.on("message", (m) => {
  if (m === "stop") running = false;
});

send("ready");
while (running) {
  const t = epochMs();
  try {
    await pool.query(
      `INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, stop_price, reduce_only,
         client_order_id, decision_id, operational_state, toggle_version, leader_epoch, verdict, ownership_conflict, outcome, deny_reason)
       VALUES ('legacy_sl', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, 90, true, $1, $1, 'LEGACY', 1, 1, 'allow', false, 'placed', NULL)
       ON CONFLICT (client_order_id) DO NOTHING`,
      [`bench-probe-${process.pid}-${++n}`],
    );
    samples.push([t, epochMs() - t]);
  } catch (err) {
    // a refused or timed-out persist is what the gateway would see: recorded as its duration, told
    samples.push([t, epochMs() - t]);
    console.error(`[year-probe] attempt persist failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  await new Promise((r) => setTimeout(r, everyMs));
}
await pool.end();
send({ samples }, () => process.exit(0));
