// Applies the hand-written SQL migrations in prisma/migrations/NNNN_name/migration.sql.
// Why not `prisma migrate`: its schema engine is a binary download that cannot run here.
// Rules: one advisory lock for the whole run (two starters never race), one transaction per
// migration, a sha256 checksum recorded per migration, and a refusal to run when an already
// applied file was edited or removed (history must not change under a live database).
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { grantRuntimePrivileges, RoleSetupError } from "./roles";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../../prisma/migrations");
const LOCK_KEY = 7_311_020_001; // arbitrary, fixed: pg_advisory_lock key for migrations
const NAME_PATTERN = /^\d{4}_[a-z0-9_]+$/;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const bad = names.filter((n) => !NAME_PATTERN.test(n));
  if (bad.length > 0) {
    throw new MigrationError(
      `Migration folder names must look like 0001_snake_case; rename: ${bad.join(", ")}`,
    );
  }
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function migrate(
  connectionString: string,
  opts: {
    dir?: string;
    log?: (line: string) => void;
    /**
     * The runtime role (web, worker, CLI). When given, its privileges are re-applied after the
     * migrations (src/server/db/roles.ts), so every table, including new ones, has exactly the
     * privileges decided there. Omitted: single-role legacy setup, nothing is granted.
     */
    runtimeRole?: string;
    /** a migration still running after this long is logged again at this interval (default 10 s) */
    progressEveryMs?: number;
  } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const files = await readMigrations(opts.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    // The runtime login (web, worker, CLI) may neither create tables nor read the bookkeeping:
    // say which login migrations need instead of a bare "permission denied".
    const { rows } = await client
      .query(`CREATE TABLE IF NOT EXISTS "_migrations" (
        "name" TEXT PRIMARY KEY,
        "checksum" TEXT NOT NULL,
        "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
      )`)
      .then(() => client.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "_migrations" ORDER BY "name"`))
      .catch((err: unknown) => {
        if ((err as { code?: string }).code !== "42501") throw err; // insufficient_privilege
        throw new MigrationError(
          `This login may not run migrations (${(err as Error).message}): migrations run as the owner of the tables. Set MIGRATION_DATABASE_URL to the owner login (\`npm run db:setup-roles\` prints it); DATABASE_URL stays the runtime login.`,
        );
      });
    const byName = new Map(files.map((f) => [f.name, f]));
    for (const row of rows) {
      const file = byName.get(row.name);
      if (!file) {
        throw new MigrationError(
          `Migration ${row.name} is applied in the database but its folder is missing from prisma/migrations. Restore it; applied migrations are never removed.`,
        );
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${row.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)} in the database, ${file.checksum.slice(0, 12)} on disk). Revert the edit and add a new migration instead.`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.name)) continue;
      log(`applying migration ${file.name}`);
      // One transaction per migration: a long one (0011 copies every shadow decision) holds its
      // tables' locks until it commits, so the operator is told it is still working, and on what.
      const startedAt = Date.now();
      const progress = setInterval(
        () => log(`still applying migration ${file.name} (${Math.round((Date.now() - startedAt) / 1000)} s so far; its tables stay locked until it commits)`),
        opts.progressEveryMs ?? 10_000,
      );
      try {
        await client.query("BEGIN");
        await client.query(file.sql);
        await client.query(`INSERT INTO "_migrations" ("name", "checksum") VALUES ($1, $2)`, [
          file.name,
          file.checksum,
        ]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new MigrationError(
          `Migration ${file.name} failed and was rolled back: ${(err as Error).message}`,
        );
      } finally {
        clearInterval(progress);
      }
      applied.push(file.name);
    }
    if (opts.runtimeRole) {
      try {
        await client.query("BEGIN");
        await grantRuntimePrivileges(client, opts.runtimeRole);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        if (err instanceof RoleSetupError) throw new MigrationError(err.message);
        throw new MigrationError(`Granting the runtime role "${opts.runtimeRole}" its privileges failed: ${(err as Error).message}`);
      }
    }
    return { applied, alreadyApplied: rows.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
