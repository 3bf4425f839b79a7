// The two database roles (issue 13):
//   OWNER   runs the migrations and owns every table, sequence and function. Used only by
//           `npm start`/`npm run db:migrate` (MIGRATION_DATABASE_URL) and by admin commands.
//   RUNTIME what web, worker and CLI connect as (DATABASE_URL): not a superuser, owns nothing,
//           SELECT-only (or SELECT + INSERT) on audit tables, no access to auth_secret, and it
//           changes toggles only through exit_toggles_change() (migration 0009).
// What the runtime role may do on each table is decided HERE, in one reviewed function, and
// re-applied by the migrator after every run, so a table added by a later migration gets its
// privileges without that migration having to know the deployment's role names.
import pg from "pg";

export const DEFAULT_OWNER_ROLE = "exit_brain_owner";
export const DEFAULT_RUNTIME_ROLE = "exit_brain_app";

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class RoleSetupError extends Error {
  override name = "RoleSetupError";
}

/** A SQL identifier, quoted; role names are also restricted to [a-z0-9_] so messages stay plain. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function assertRoleName(name: string, what: string): void {
  if (!ROLE_NAME.test(name)) {
    throw new RoleSetupError(`${what} role name "${name}" is not valid: use lower-case letters, digits and _ (at most 63), starting with a letter.`);
  }
}

/**
 * The runtime role's privileges on one table of the public schema. Deny by default for the
 * tables that matter; ordinary operational tables get plain DML (and TRUNCATE, which is no more
 * than DELETE and keeps test resets simple).
 */
export function runtimePrivileges(table: string): readonly string[] {
  switch (table) {
    case "_migrations": // the migrator's bookkeeping: owner only
      return [];
    case "auth_secret":
      // An older build's session key; `npm start` moves it to DATA_DIR/session-secret with the
      // owner login. The runtime login must never read it (it could mint any user's session).
      return [];
    case "exit_toggles":
      // UPDATE on one harmless column only because SELECT ... FOR UPDATE / FOR SHARE requires an
      // UPDATE privilege; the guard trigger refuses any actual UPDATE by this role.
      return ["SELECT", "UPDATE (id)"];
    case "toggle_audit": // written only by exit_toggles_change(), as the owner
    case "toggle_policy": // changed only by the owner (toggle_policy_set)
    case "toggle_policy_audit":
    case "exit_order_attempt_tally": // the status report's counts: written only by its triggers and compaction (migration 0018)
      return ["SELECT"];
    default:
      // Any other audit table (user_audit, ...): append and read, never change or remove.
      if (/audit/.test(table)) return ["SELECT", "INSERT"];
      return ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"];
  }
}

/** Functions in public the runtime role may EXECUTE (everything else is owner-only). */
export const RUNTIME_FUNCTIONS = ["exit_toggles_change", "shadow_decision_partition_create", "shadow_decision_partition_drop", "exit_order_attempt_tally_compact"] as const;

interface Rel {
  name: string;
  kind: string;
  owner: string;
}

/**
 * Re-applies the runtime role's privileges to every table and sequence of the public schema.
 * Runs as the owner (inside the migrator, after the migrations). Refuses a runtime role that is
 * the owner itself or a superuser, and tables the owner does not own (a database first migrated
 * by another role: `npm run db:setup-roles` transfers them).
 */
export async function grantRuntimePrivileges(client: pg.ClientBase, runtimeRole: string): Promise<void> {
  assertRoleName(runtimeRole, "runtime");
  const { rows: who } = await client.query<{ me: string; exists: boolean; super: boolean | null }>(
    `SELECT current_user AS me, r.rolname IS NOT NULL AS exists, r.rolsuper AS super
       FROM (SELECT 1) x LEFT JOIN pg_roles r ON r.rolname = $1`,
    [runtimeRole],
  );
  const me = who[0]!;
  if (!me.exists) {
    throw new RoleSetupError(`The runtime role "${runtimeRole}" does not exist. Create it with \`npm run db:setup-roles -- --admin-url <superuser URL>\`.`);
  }
  if (me.me === runtimeRole || me.super) {
    throw new RoleSetupError(
      `The runtime role "${runtimeRole}" ${me.super ? "is a superuser" : "is the role running the migrations"}: web, worker and CLI must connect as a separate, unprivileged role. Run \`npm run db:setup-roles -- --admin-url <superuser URL>\` and use the URLs it prints.`,
    );
  }
  const { rows } = await client.query<Rel>(
    `SELECT c.relname AS name, c.relkind::text AS kind, pg_get_userbyid(c.relowner) AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      ORDER BY c.relname`,
  );
  const foreign = rows.filter((r) => r.owner !== me.me);
  if (foreign.length > 0) {
    throw new RoleSetupError(
      `These objects are owned by another role than "${me.me}" (the migration role): ${foreign.map((r) => `${r.name} (${r.owner})`).join(", ")}. Run \`npm run db:setup-roles -- --admin-url <superuser URL>\` once: it transfers them to the owner role.`,
    );
  }
  const role = ident(runtimeRole);
  for (const rel of rows) {
    const target = `public.${ident(rel.name)}`;
    if (rel.kind === "S") {
      await client.query(`REVOKE ALL ON SEQUENCE ${target} FROM ${role}`);
      await client.query(`GRANT USAGE, SELECT ON SEQUENCE ${target} TO ${role}`);
      continue;
    }
    await client.query(`REVOKE ALL ON TABLE ${target} FROM ${role}`);
    const privileges = runtimePrivileges(rel.name);
    if (privileges.length > 0) await client.query(`GRANT ${privileges.join(", ")} ON TABLE ${target} TO ${role}`);
  }
  for (const fn of RUNTIME_FUNCTIONS) {
    const { rows: fns } = await client.query<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proname = $1`,
      [fn],
    );
    for (const { sig } of fns) await client.query(`GRANT EXECUTE ON FUNCTION public.${sig.replace(/^public\./, "")} TO ${role}`);
  }
}

export interface RoleSpec {
  name: string;
  password: string;
}

/**
 * Creates (or updates) the owner and runtime login roles, as a role that may create roles.
 * Idempotent, and safe when another process creates the same role at the same moment.
 * Refuses to touch an existing superuser (it would be demoted).
 */
export async function ensureRoles(admin: pg.ClientBase, owner: RoleSpec, runtime: RoleSpec): Promise<void> {
  assertRoleName(owner.name, "owner");
  assertRoleName(runtime.name, "runtime");
  if (owner.name === runtime.name) throw new RoleSetupError("The owner and runtime roles must be two different roles.");
  for (const spec of [owner, runtime]) {
    const { rows } = await admin.query<{ rolsuper: boolean }>("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [spec.name]);
    if (rows[0]?.rolsuper) {
      throw new RoleSetupError(`Role "${spec.name}" already exists and is a superuser; choose other role names (--owner-role / --runtime-role).`);
    }
    if (!rows[0]) {
      try {
        await admin.query(`CREATE ROLE ${ident(spec.name)}`);
      } catch (err) {
        // 42710 duplicate_object / 23505: created concurrently by another process
        const code = (err as { code?: string }).code;
        if (code !== "42710" && code !== "23505") throw err;
      }
    }
    // The password is a literal in ALTER ROLE (no bind parameters there); it is generated or
    // given by the admin, and quoted here.
    await admin.query(
      `ALTER ROLE ${ident(spec.name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${pg.escapeLiteral(spec.password)}`,
    );
  }
}

/**
 * Makes `database` (created if missing) belong to the owner role, as an admin connected to any
 * database of the server: the database and its public schema are owned by the owner, PUBLIC
 * cannot create objects there, and objects created earlier by another role (a database first
 * migrated by a superuser) are handed over to the owner.
 */
export async function prepareDatabase(adminUrl: string, database: string, ownerRole: string): Promise<{ created: boolean }> {
  assertRoleName(ownerRole, "owner");
  let created = false;
  const server = new pg.Client({ connectionString: adminUrl });
  await server.connect();
  try {
    const { rowCount } = await server.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) {
      try {
        await server.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(ownerRole)}`);
        created = true;
      } catch (err) {
        if ((err as { code?: string }).code !== "42P04") throw err; // created concurrently
      }
    }
    if (!created) await server.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(ownerRole)}`);
  } finally {
    await server.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query("BEGIN");
    await db.query(`ALTER SCHEMA public OWNER TO ${ident(ownerRole)}`);
    await db.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    await db.query(`DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> ${pg.escapeLiteral(ownerRole)}::regrole
                    -- sequences of serial columns follow their table
                    AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
                  ORDER BY c.relkind DESC LOOP
          EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.rel, ${pg.escapeLiteral(ownerRole)});
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'public' AND p.proowner <> ${pg.escapeLiteral(ownerRole)}::regrole LOOP
          EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.fn, ${pg.escapeLiteral(ownerRole)});
        END LOOP;
        FOR r IN SELECT t.oid::regtype AS typ FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                  WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') AND t.typowner <> ${pg.escapeLiteral(ownerRole)}::regrole LOOP
          EXECUTE format('ALTER TYPE %s OWNER TO %I', r.typ, ${pg.escapeLiteral(ownerRole)});
        END LOOP;
      END $$`);
    await db.query("COMMIT");
  } catch (err) {
    await db.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await db.end();
  }
  return { created };
}

/** `url` with another user and password (same host, port and database). */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** The user name of a postgresql:// URL (decoded), or null when it names none. */
export function userOf(url: string): string | null {
  const u = new URL(url).username;
  return u ? decodeURIComponent(u) : null;
}
