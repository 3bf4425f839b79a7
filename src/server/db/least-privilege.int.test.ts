// Issue 13's database attacks, tried with the login web, worker and CLI use (the RUNTIME role,
// what test/test-database.ts gives as `url`). Before the roles existed every process connected
// as a superuser and each of these went through: the audit trail rewritten under
// session_replication_role=replica, the audit triggers disabled and rows deleted, LIVE reached by
// a plain UPDATE with no audit row, the session secret read.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { bootToggles } from "../services/toggles/boot-toggles";
import { changeToggles } from "../services/toggles/change-toggles";
import { randomBytes } from "node:crypto";
import { testAdminUrl, withDatabase } from "../../../test/admin-url";
import { runtimePrivileges, withCredentials } from "./roles";

let t: TestDatabase;
let runtime: pg.Client;

/** The error a statement ends with as the runtime role (null when it succeeded). */
async function refusal(sql: string, values: unknown[] = []): Promise<string | null> {
  await runtime.query("BEGIN");
  try {
    await runtime.query(sql, values);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await runtime.query("ROLLBACK");
  }
}

beforeAll(async () => {
  t = await createTestDatabase("leastpriv");
  await bootToggles(t.db, {});
  await changeToggles(t.db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, actor: "op@example.com", source: "dashboard", reason: "shadow", ceilings: {} });
  // A session secret as an older build stored it.
  await t.ownerDb.$executeRawUnsafe(`INSERT INTO auth_secret (id, secret) VALUES (1, repeat('s', 43)) ON CONFLICT DO NOTHING`);
  runtime = new pg.Client({ connectionString: t.url });
  await runtime.connect();
});
afterAll(async () => {
  await runtime?.end();
  await t?.drop();
});

describe("the runtime role (web, worker, CLI)", () => {
  it("is not a superuser, cannot create roles or databases, and owns nothing", async () => {
    const { rows } = await runtime.query<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean; rolbypassrls: boolean; owned: number }>(
      `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relowner = r.oid) +
              (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.proowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, owned: 0 });
    expect(await refusal(`CREATE TABLE evil (id int)`)).toMatch(/permission denied for schema public/);
  });

  it("cannot rewrite the audit trail under session_replication_role = replica", async () => {
    const [row] = (await runtime.query<{ id: string }>(`SELECT id::text FROM toggle_audit ORDER BY id DESC LIMIT 1`)).rows;
    expect(await refusal(`SET LOCAL session_replication_role = replica`)).toMatch(/permission denied to set parameter "session_replication_role"/);
    expect(await refusal(`UPDATE toggle_audit SET actor = 'someone-else' WHERE id = $1`, [row!.id])).toMatch(/permission denied for table toggle_audit/);
    const { rows } = await runtime.query<{ actor: string }>(`SELECT actor FROM toggle_audit WHERE id = $1`, [row!.id]);
    expect(rows[0]!.actor).toBe("op@example.com");
  });

  it("cannot disable the audit triggers, delete or truncate audit rows, or forge one", async () => {
    const before = (await runtime.query<{ n: number }>(`SELECT count(*)::int AS n FROM toggle_audit`)).rows[0]!.n;
    expect(await refusal(`ALTER TABLE toggle_audit DISABLE TRIGGER ALL`)).toMatch(/must be owner of table toggle_audit/);
    expect(await refusal(`ALTER TABLE toggle_audit DISABLE TRIGGER toggle_audit_no_update_delete`)).toMatch(/must be owner/);
    expect(await refusal(`DELETE FROM toggle_audit`)).toMatch(/permission denied for table toggle_audit/);
    expect(await refusal(`TRUNCATE toggle_audit`)).toMatch(/permission denied for table toggle_audit/);
    expect(
      await refusal(`INSERT INTO toggle_audit (actor, source, kind, reason, version_after, toggles_after, state_after)
                     VALUES ('forged', 'cli', 'escalation', 'x', 99, '{}', 'EXIT_BRAIN_V3_LIVE')`),
    ).toMatch(/permission denied for table toggle_audit/);
    expect((await runtime.query<{ n: number }>(`SELECT count(*)::int AS n FROM toggle_audit`)).rows[0]!.n).toBe(before);
  });

  it("cannot go LIVE with a plain UPDATE of exit_toggles (or insert or delete the row)", async () => {
    expect(
      await refusal(`UPDATE exit_toggles SET exit_mode = 'EXIT_BRAIN_V3', exit_executor_mode = 'LIVE', exit_brain_v3_live_rollout = 'ENABLED', version = version + 1`),
    ).toMatch(/permission denied for table exit_toggles/);
    // The one column it may name (so that SELECT ... FOR UPDATE/SHARE works) is refused by the guard.
    expect(await refusal(`UPDATE exit_toggles SET id = 1`)).toMatch(/exit_toggles cannot be changed directly.*exit_toggles_change/);
    expect(await refusal(`DELETE FROM exit_toggles`)).toMatch(/permission denied for table exit_toggles/);
    expect(await refusal(`ALTER TABLE exit_toggles DISABLE TRIGGER exit_toggles_guard`)).toMatch(/must be owner/);
    const { rows } = await runtime.query<{ state: string }>(`SELECT exit_executor_mode AS state FROM exit_toggles`);
    expect(rows[0]!.state).toBe("SHADOW");
  });

  it("cannot read the session secret", async () => {
    expect(await refusal(`SELECT secret FROM auth_secret`)).toMatch(/permission denied for table auth_secret/);
  });

  it("cannot change the go-LIVE policy or grant itself a readiness override", async () => {
    expect(await refusal(`UPDATE toggle_policy SET require_readiness = false`)).toMatch(/permission denied for table toggle_policy/);
    expect(await refusal(`SELECT * FROM toggle_policy_set(NULL, false, NULL, 'me', NULL, 'because')`)).toMatch(/permission denied for function toggle_policy_set/);
    expect(await refusal(`SELECT * FROM toggle_policy_set(NULL, NULL, 60, 'me', NULL, 'because')`)).toMatch(/permission denied/);
    expect(await refusal(`INSERT INTO toggle_policy_audit (actor, action, reason, policy_before, policy_after) VALUES ('me', 'set', 'x', '{}', '{}')`)).toMatch(
      /permission denied for table toggle_policy_audit/,
    );
  });

  it("changes toggles through exit_toggles_change only, which writes the audit row in the same statement and cannot be told a lie about the state", async () => {
    const { rows: fn } = await runtime.query<{ prosecdef: boolean; proconfig: string[]; owner: string }>(
      `SELECT prosecdef, proconfig, pg_get_userbyid(proowner) AS owner FROM pg_proc WHERE proname = 'exit_toggles_change'`,
    );
    expect(fn).toEqual([{ prosecdef: true, proconfig: ["search_path=pg_catalog, pg_temp"], owner: t.ownerRole }]);

    const [v] = (await runtime.query<{ version: string }>(`SELECT version::text FROM exit_toggles`)).rows;
    // The stored state after is SHADOW (rollout DISABLED), but the caller wants the audit to say
    // LIVE: refused. (Lower is allowed: an environment ceiling lowers the effective state.)
    expect(
      await refusal(
        `SELECT * FROM exit_toggles_change($1::bigint, 'EXIT_BRAIN_V3', 'LIVE', 'DISABLED', 'me', NULL, 'api', 'why', 'EXIT_BRAIN_V3_SHADOW', 'EXIT_BRAIN_V3_LIVE', NULL, false)`,
        [v!.version],
      ),
    ).toMatch(/effective states EXIT_BRAIN_V3_SHADOW\/EXIT_BRAIN_V3_LIVE are above the stored/);
    // A stale version is refused (the caller must hold the row and decide on what it read).
    expect(
      await refusal(`SELECT * FROM exit_toggles_change($1::bigint, 'LEGACY', 'SHADOW', 'DISABLED', 'me', NULL, 'api', 'why', 'EXIT_BRAIN_V3_SHADOW', 'LEGACY', NULL, false)`, [
        String(Number(v!.version) - 1),
      ]),
    ).toMatch(/changed concurrently/);
    // The escalation kind is computed by the database: a missing reason is refused by the table.
    expect(
      await refusal(`SELECT * FROM exit_toggles_change($1::bigint, 'EXIT_BRAIN_V3', 'LIVE', 'DISABLED', 'me', NULL, 'api', NULL, 'EXIT_BRAIN_V3_SHADOW', 'EXIT_BRAIN_V3_SHADOW', NULL, false)`, [
        v!.version,
      ]),
    ).toMatch(/toggle_audit_reason_required/);
    // A readiness override that no admin granted cannot be claimed.
    expect(
      await refusal(`SELECT * FROM exit_toggles_change($1::bigint, 'EXIT_BRAIN_V3', 'LIVE', 'ENABLED', 'me', NULL, 'api', 'go', 'EXIT_BRAIN_V3_SHADOW', 'EXIT_BRAIN_V3_LIVE', NULL, true)`, [
        v!.version,
      ]),
    ).toMatch(/no active readiness override/);

    const { rows } = await runtime.query<{ version: string; kind: string; audit_id: string }>(
      `SELECT version::text, kind, audit_id::text FROM exit_toggles_change($1::bigint, 'LEGACY', 'SHADOW', 'DISABLED', 'os:someone', 'alice', 'cli', 'back', 'EXIT_BRAIN_V3_SHADOW', 'LEGACY', NULL, false)`,
      [v!.version],
    );
    expect(rows[0]!.kind).toBe("rollback");
    const { rows: audit } = await runtime.query(
      `SELECT actor, claimed_actor, kind, version_before::text, version_after::text, toggles_before->>'EXIT_MODE' AS mode_before, toggles_after->>'EXIT_MODE' AS mode_after
         FROM toggle_audit WHERE id = $1`,
      [rows[0]!.audit_id],
    );
    expect(audit[0]).toEqual({
      actor: "os:someone",
      claimed_actor: "alice",
      kind: "rollback",
      version_before: v!.version,
      version_after: rows[0]!.version,
      mode_before: "EXIT_BRAIN_V3",
      mode_after: "LEGACY",
    });
  });

  it("may only read and append every audit table, and has exactly the privileges roles.ts decides on each table", async () => {
    const { rows } = await runtime.query<{ table: string; sel: boolean; ins: boolean; upd: boolean; del: boolean; trunc: boolean; trig: boolean; refs: boolean }>(
      `SELECT c.relname AS table,
              has_table_privilege(c.oid, 'SELECT') AS sel, has_table_privilege(c.oid, 'INSERT') AS ins,
              has_table_privilege(c.oid, 'UPDATE') AS upd, has_table_privilege(c.oid, 'DELETE') AS del,
              has_table_privilege(c.oid, 'TRUNCATE') AS trunc, has_table_privilege(c.oid, 'TRIGGER') AS trig,
              has_table_privilege(c.oid, 'REFERENCES') AS refs
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        -- partitions are reached through their parent table, whose privileges are the ones checked
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      const want = runtimePrivileges(r.table);
      const has = (p: string) => want.includes(p);
      expect({ table: r.table, sel: r.sel, ins: r.ins, upd: r.upd, del: r.del, trunc: r.trunc, trig: r.trig, refs: r.refs }).toEqual({
        table: r.table,
        sel: has("SELECT"),
        ins: has("INSERT"),
        upd: has("UPDATE"), // table-wide UPDATE; exit_toggles has it on one column only
        del: has("DELETE"),
        trunc: has("TRUNCATE"),
        trig: false,
        refs: false,
      });
      if (/audit/.test(r.table)) expect([r.upd, r.del, r.trunc]).toEqual([false, false, false]);
    }
  });

  it("the partition functions (SECURITY DEFINER) are the runtime role's only: any other login of the cluster is refused", async () => {
    const day = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    // The runtime role may (the worker's retention creates day partitions ahead).
    expect(await refusal(`SELECT shadow_decision_partition_create($1::date)`, [day])).toBeNull();
    const admin = new pg.Client({ connectionString: testAdminUrl() });
    await admin.connect();
    const name = `eb_other_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    const other = new pg.Client({ connectionString: withCredentials(withDatabase(testAdminUrl(), t.name), name, password) });
    try {
      await other.connect();
      await expect(other.query(`SELECT shadow_decision_partition_create($1::date)`, [day])).rejects.toThrow(/permission denied for function shadow_decision_partition_create/);
      await expect(other.query(`SELECT shadow_decision_partition_drop($1::date)`, [day])).rejects.toThrow(/permission denied for function shadow_decision_partition_drop/);
    } finally {
      await other.end().catch(() => {});
      await admin.query(`DROP ROLE ${name}`);
      await admin.end();
    }
  });
});
