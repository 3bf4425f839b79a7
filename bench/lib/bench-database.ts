// A throwaway, migrated database for one benchmark: on TEST_DATABASE_URL / DATABASE_URL's server,
// else on an embedded server started for the run.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../src/server/db/embedded-postgres";
import { migrate } from "../../src/server/db/migrate";

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** `migrate: false`: an empty database, for a benchmark that migrates it itself (e.g. up to an older migration). */
export async function createBenchDatabase(label: string, opts: { migrate?: boolean } = {}): Promise<BenchDatabase> {
  let embedded: EmbeddedServer | undefined;
  let admin = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!admin) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(".data", "bench-pg"), port: Number(process.env.BENCH_PG_PORT ?? 54359), database: "postgres", roles: false });
    admin = embedded.superuserUrl;
  }
  const name = `eb_bench_${label}_${randomBytes(3).toString("hex")}`;
  await exec(admin, `CREATE DATABASE "${name}"`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  if (opts.migrate !== false) {
    await migrate(url);
    // Benchmarks arrange LIVE on a fresh database, where the stored go-LIVE policy requires the
    // readiness checklist: turned off through the policy door (this single login owns the tables).
    await exec(url, `SELECT 1 FROM toggle_policy_set(NULL, false, NULL, 'bench', NULL, 'benchmarks arrange LIVE on a fresh database')`);
  }
  const adminUrl = admin;
  return {
    url,
    async drop() {
      await exec(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await embedded?.stop();
    },
  };
}

async function exec(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
