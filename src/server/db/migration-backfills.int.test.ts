// Real PostgreSQL: migrations that derive new data from rows already stored, applied to a database
// that holds such rows (an installed deployment upgrading), not only to an empty one:
//   0018 counts the attempts already stored into exit_order_attempt_tally;
//   0019 marks the comparisons already stored whose Exit Brain side was valued at legacy's close.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { migrate } from "./migrate";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../../prisma/migrations");
let t: TestDatabase;
let dir: string;

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: t.ownerUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql, values)).rows;
  } finally {
    await c.end();
  }
}

/** Copies the project's migrations up to and including `last` into the scratch folder. */
function migrationsUpTo(last: string): void {
  for (const n of readdirSync(MIGRATIONS).filter((x) => /^\d{4}_/.test(x) && x <= last)) {
    cpSync(path.join(MIGRATIONS, n), path.join(dir, n), { recursive: true });
  }
}

beforeAll(async () => {
  t = await createTestDatabase("backfill", { empty: true });
  dir = mkdtempSync(path.join(tmpdir(), "eb-backfill-"));
  migrationsUpTo("0017_resting_orders_index");
  await migrate(t.ownerUrl, { dir });
  await query(
    `INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, reduce_only, client_order_id, decision_id,
       operational_state, toggle_version, verdict, ownership_conflict, outcome)
     SELECT (ARRAY['exit_executor','position_monitor'])[1 + i % 2], 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, true, 'c' || i, 'd' || i,
            'EXIT_BRAIN_V3_LIVE', CASE WHEN i % 3 = 0 THEN NULL ELSE 1 + i % 2 END, 'allow', i % 5 = 0, (ARRAY['placed','blocked','failed'])[1 + i % 3]
       FROM generate_series(1, 300) i`,
  );
  const row = (key: string, brainExit: string) =>
    query(
      `INSERT INTO shadow_comparison (position_key, symbol, side, size, entry_price, opened_at, closed_at, legacy_return_pct, brain_return_pct,
         legacy_exit, brain_exit, decisions)
       VALUES ($1, 'BTCUSDT', 'long', 1, 100, now() - interval '1 hour', now(), 1, 1, 'legacy stop', $2, 3)`,
      [key, brainExit],
    );
  await row("held", "still open at the legacy close (valued at the close price)");
  await row("stopped", "stop (trailing)");
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t?.drop();
});

describe("migrations that backfill what is already stored", () => {
  it("0018 and 0019 apply on a database holding attempts and comparisons", async () => {
    migrationsUpTo("0019_shadow_comparison_held_to_close");
    expect((await migrate(t.ownerUrl, { dir })).applied).toEqual(["0018_exit_order_attempt_tally", "0019_shadow_comparison_held_to_close"]);
  });

  it("0018: the running counts equal a count of the stored attempts", async () => {
    const counters = await query<{ k: string; n: string }>(
      `SELECT concat_ws('/', module, kind, outcome, ownership_conflict, toggle_version) AS k, n FROM exit_order_attempt_tally ORDER BY 1`,
    );
    const recount = await query<{ k: string; n: string }>(
      `SELECT concat_ws('/', module, kind, outcome, ownership_conflict, COALESCE(toggle_version, 0)) AS k, count(*) AS n FROM exit_order_attempt GROUP BY 1 ORDER BY 1`,
    );
    expect(counters.length).toBeGreaterThan(4);
    expect(counters).toEqual(recount);
  });

  it("0019: a comparison whose Exit Brain side was still open at legacy's close is marked held; the others are not", async () => {
    const rows = await query<{ position_key: string; held_to_close: boolean }>(`SELECT position_key, held_to_close FROM shadow_comparison ORDER BY 1`);
    expect(rows).toEqual([{ position_key: "held", held_to_close: true }, { position_key: "stopped", held_to_close: false }]);
  });
});
