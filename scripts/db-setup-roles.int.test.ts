// `npm run db:setup-roles` on a database as an older build left it: migrated by a superuser, every
// object owned by it. The command creates both logins, hands everything to the owner, migrates,
// grants, and prints two URLs that work: the runtime one is refused the attacks. Run
// twice, it only rotates the passwords. Role names are this run's own (roles are cluster-wide).
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { execSql, withClient } from "../src/server/db/admin-sql";
import { migrate } from "../src/server/db/migrate";
import { ident } from "../src/server/db/roles";
import { testAdminUrl, withDatabase } from "../test/admin-url";

const ROOT = path.resolve(import.meta.dirname, "..");
const runId = inject("runId");
const database = `eb_setuproles_${runId}`;
const ownerRole = `eb_so_${runId}`;
const runtimeRole = `eb_sa_${runId}`;
const admin = testAdminUrl();

afterAll(async () => {
  await withClient(admin, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
    for (const r of [runtimeRole, ownerRole]) await c.query(`DROP ROLE IF EXISTS ${ident(r)}`).catch(() => {});
  });
});

function setupRoles(): { code: number | null; out: string; urls: Record<string, string> } {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/db-setup-roles.ts", "--admin-url", admin, "--database", database, "--owner-role", ownerRole, "--runtime-role", runtimeRole],
    { cwd: ROOT, encoding: "utf8", timeout: 180_000, env: { ...process.env, OWNER_PASSWORD: "", RUNTIME_PASSWORD: "" } },
  );
  const out = `${r.stdout}${r.stderr}`;
  const urls = Object.fromEntries([...out.matchAll(/^(DATABASE_URL|MIGRATION_DATABASE_URL)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { code: r.status, out, urls };
}

async function asUrl<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(url, fn);
}

describe("npm run db:setup-roles", () => {
  it("takes over a database a superuser migrated, prints two working URLs, and is idempotent", async () => {
    await execSql(admin, `CREATE DATABASE ${ident(database)}`);
    await migrate(withDatabase(admin, database)); // the single-login past: everything owned by the admin

    const first = setupRoles();
    expect(first.code, first.out).toBe(0);
    expect(Object.keys(first.urls).sort()).toEqual(["DATABASE_URL", "MIGRATION_DATABASE_URL"]);

    await asUrl(first.urls.MIGRATION_DATABASE_URL!, async (c) => {
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
          WHERE n.nspname = 'public' AND cl.relkind IN ('r', 'p', 'S') AND cl.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
      );
      expect(rows[0]!.n).toBe(0); // the owner owns every table and sequence
    });
    await asUrl(first.urls.DATABASE_URL!, async (c) => {
      const { rows } = await c.query<{ me: string; rolsuper: boolean }>(`SELECT current_user AS me, rolsuper FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]).toEqual({ me: runtimeRole, rolsuper: false });
      await expect(c.query(`UPDATE toggle_audit SET actor = 'x'`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`ALTER TABLE toggle_audit DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
      await expect(c.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`UPDATE exit_toggles SET exit_executor_mode = 'LIVE'`)).rejects.toThrow(/permission denied/);
      expect((await c.query(`SELECT count(*) FROM worker_heartbeat`)).rowCount).toBe(1);
    });

    const second = setupRoles();
    expect(second.code, second.out).toBe(0);
    expect(second.urls.DATABASE_URL).not.toBe(first.urls.DATABASE_URL); // password rotated
    await expect(asUrl(second.urls.DATABASE_URL!, (c) => c.query("SELECT 1"))).resolves.toBeDefined();
  }, 300_000);

  it("refuses to touch a superuser named as a role, saying what to do", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-setup-roles.ts", "--admin-url", admin, "--database", database, "--owner-role", "postgres"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toMatch(/"postgres" already exists and is a superuser; choose other role names/);
  }, 180_000);
});
