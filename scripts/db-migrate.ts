// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded server,
// which must be running: `npm start` migrates by itself).
import { resolveDatabaseUrl, describeConnectionError } from "../src/server/db/connection";
import { migrate, MigrationError } from "../src/server/db/migrate";

if (process.argv.includes("--help")) {
  console.log(`Usage: npm run db:migrate

Applies the SQL migrations in prisma/migrations/NNNN_name/migration.sql that the database has
not seen yet, each in its own transaction, under an advisory lock. Refuses to run when an
applied migration was edited. Target: DATABASE_URL, else the embedded server (EMBEDDED_PG_PORT).`);
  process.exit(0);
}

const url = resolveDatabaseUrl();
try {
  const result = await migrate(url, { log: (l) => console.log(`[db:migrate] ${l}`) });
  console.log(
    `[db:migrate] ${result.applied.length} applied, ${result.alreadyApplied} already applied`,
  );
} catch (err) {
  if (err instanceof MigrationError) console.error(`[db:migrate] ${err.message}`);
  else console.error(`[db:migrate] ${describeConnectionError(url, err)}`);
  process.exit(1);
}
