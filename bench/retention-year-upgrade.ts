// Issue 19: what upgrading an installed database through migration 0011 costs. 0011 moves
// shadow_decision into day partitions by copying every row in the migration's one transaction, so
// the table is locked (ACCESS EXCLUSIVE: renamed, copied, dropped) for as long as the copy takes:
// the worker cannot record decisions meanwhile (it keeps them, bounded) and the shadow page waits.
// 0011 is applied on installed databases and is never edited; this measures its rate so the
// operator guide can say how long the upgrade holds that lock.
// A scratch database is migrated to 0010, filled with BENCH_UPGRADE_ROWS decisions over
// BENCH_UPGRADE_DAYS days (the rollup trigger on, as installed), then 0011 is applied, timed.
// Run: `node --import tsx bench/retention-year-upgrade.ts` (TEST_DATABASE_URL). Not in `npm test`.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, MIGRATIONS_DIR } from "../src/server/db/migrate";
import { createBenchDatabase } from "./lib/bench-database";
import { size } from "./lib/quick";
import { perSec, reportRow } from "./lib/report";

const ROWS = size("BENCH_UPGRADE_ROWS", 1_000_000, 100_000);
const DAYS = size("BENCH_UPGRADE_DAYS", 30, 5);

// createBenchDatabase migrates to the newest; this needs a database stopped at 0010, so it gets
// an empty one and migrates it from a copy of the migrations folder cut after 0010.
const bench = await createBenchDatabase("upgrade", { migrate: false });
const dir = mkdtempSync(path.join(tmpdir(), "eb-upgrade-"));
const all = readdirSync(MIGRATIONS_DIR).filter((n) => /^\d{4}_/.test(n)).sort();
const before = all.filter((n) => n < "0011");
for (const n of before) cpSync(path.join(MIGRATIONS_DIR, n), path.join(dir, n), { recursive: true });
await migrate(bench.url, { dir });

const c = new pg.Client({ connectionString: bench.url });
await c.connect();
const fillFrom = Date.now();
// one statement per day, in time order, as the recorder would have written them
for (let d = 0; d < DAYS; d++) {
  const n = Math.floor(ROWS / DAYS) + (d < ROWS % DAYS ? 1 : 0);
  await c.query(
    `INSERT INTO shadow_decision (at, position_key, symbol, side, size, entry_price, mark_price, pnl_pct, decision_type, confidence, reason, mode, toggle_version)
     SELECT $1::timestamptz + (k * ($2::float8 / $3)) * interval '1 second', 'SYM' || (k % 50) || 'USDT:long:1', 'SYM' || (k % 50) || 'USDT', 'long', 1, 100, 101, 1,
            CASE WHEN k % 40 = 0 THEN 'move_sl' ELSE 'hold' END, 0.5, 'Hold: no exit condition met', 'SHADOW', 1
       FROM generate_series(0, $3 - 1) k`,
    [new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString(), 86_400, n],
  );
}
const fillS = (Date.now() - fillFrom) / 1000;
const { rows: sz } = await c.query<{ bytes: string }>(`SELECT pg_total_relation_size('shadow_decision')::text AS bytes`);
const bytes = Number(sz[0]!.bytes);
await c.end();

for (const n of all.filter((x) => x === "0011_retention")) cpSync(path.join(MIGRATIONS_DIR, n), path.join(dir, n), { recursive: true });
const t = Date.now();
await migrate(bench.url, { dir });
const upgradeS = (Date.now() - t) / 1000;

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
console.log(`[upgrade] ${ROWS.toLocaleString("en-US")} decisions over ${DAYS} days (${mb(bytes)} with indexes; filled in ${fillS.toFixed(1)} s)`);
console.log(`[upgrade] migration 0011 (copy into ${DAYS} day partitions, one transaction): ${upgradeS.toFixed(1)} s = ${perSec(ROWS / upgradeS)}`);
reportRow({ bench: "retention-upgrade", figure: `migration 0011 over ${ROWS.toLocaleString("en-US")} existing decisions (${mb(bytes)})`, value: `${upgradeS.toFixed(1)} s (${perSec(ROWS / upgradeS)})`, target: "-", baseline: "-", ratio: "-", met: null });

rmSync(dir, { recursive: true, force: true });
await bench.drop();
