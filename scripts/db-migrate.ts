// `npm run db:migrate`: applies pending migrations as the OWNER login (MIGRATION_DATABASE_URL;
// with only DATABASE_URL, that one; else the embedded server's owner, which must be running:
// `npm start` migrates by itself), then re-applies the runtime role's privileges
// (src/server/db/roles.ts) to the login of DATABASE_URL / the embedded server's runtime role.
import { env } from "../src/env.js";
import { resolveDatabaseUrl, resolveOwnerDatabaseUrl, describeConnectionError } from "../src/server/db/connection";
import { migrate, MigrationError } from "../src/server/db/migrate";
import { userOf } from "../src/server/db/roles";

if (process.argv.includes("--help")) {
  console.log(`Usage: npm run db:migrate

Applies the SQL migrations in prisma/migrations/NNNN_name/migration.sql that the database has
not seen yet, each in its own transaction, under an advisory lock, then grants the runtime role
(web, worker, CLI) exactly its privileges. Refuses to run when an applied migration was edited.
Runs as MIGRATION_DATABASE_URL (the owner); the runtime role is the user of DATABASE_URL. With
neither set: the embedded server (EMBEDDED_PG_PORT), whose logins are in DATA_DIR.`);
  process.exit(0);
}

const config = env();
const ownerUrl = resolveOwnerDatabaseUrl();
const runtimeUrl = resolveDatabaseUrl();
// One login for both (only DATABASE_URL set): nothing to grant; start.ts warns about that setup.
const runtimeRole = ownerUrl === runtimeUrl ? undefined : (userOf(runtimeUrl) ?? undefined);
if (config.DATABASE_URL && !config.MIGRATION_DATABASE_URL) {
  console.warn("[db:migrate] only DATABASE_URL is set: migrating as that login. Web, worker and CLI should use a separate, unprivileged one: see `npm run db:setup-roles -- --help`.");
}
try {
  const result = await migrate(ownerUrl, { log: (l) => console.log(`[db:migrate] ${l}`), runtimeRole });
  console.log(
    `[db:migrate] ${result.applied.length} applied, ${result.alreadyApplied} already applied${runtimeRole ? `; privileges of "${runtimeRole}" re-applied` : ""}`,
  );
} catch (err) {
  if (err instanceof MigrationError) console.error(`[db:migrate] ${err.message}`);
  else if (/permission denied|must be owner/i.test(String((err as Error)?.message))) {
    console.error(`[db:migrate] ${userOf(ownerUrl) ?? "this login"} may not change the schema (${(err as Error).message}). Migrations run as the owner login: set MIGRATION_DATABASE_URL to the owner URL \`npm run db:setup-roles\` printed.`);
  } else console.error(`[db:migrate] ${describeConnectionError(ownerUrl, err)}`);
  process.exit(1);
}
