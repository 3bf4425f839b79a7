// `npm run db:setup-roles -- --admin-url <superuser URL>`: for your own PostgreSQL, creates (or
// updates) the two logins Exit Brain uses and hands the database to the owner, then migrates and
// grants, and prints the two URLs to put in the environment. Idempotent: run it again to rotate
// the passwords or after restoring a dump made by another role.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { describeConnectionError } from "../src/server/db/connection";
import { migrate, MigrationError } from "../src/server/db/migrate";
import { DEFAULT_OWNER_ROLE, DEFAULT_RUNTIME_ROLE, ensureRoles, prepareDatabase, RoleSetupError, withCredentials } from "../src/server/db/roles";

const HELP = `Usage: npm run db:setup-roles -- --admin-url postgresql://postgres:…@host:5432/postgres [options]

Creates the two database logins Exit Brain needs on your own PostgreSQL (the embedded server of
\`npm start\` does this by itself):
  owner    (${DEFAULT_OWNER_ROLE})  owns the tables and runs migrations: MIGRATION_DATABASE_URL
  runtime  (${DEFAULT_RUNTIME_ROLE})    what web, worker and CLI connect as: DATABASE_URL
           not a superuser, owns nothing, cannot change the audit trail or write toggles except
           through the audited database function
Then makes the database (created if missing) belong to the owner, applies the migrations and
grants the runtime login its privileges, and prints both URLs. Passwords are generated unless
given; run it again to rotate them.

Options:
  --admin-url <url>       a login that may create roles and databases (required)
  --database <name>       default exit_brain
  --owner-role <name>     default ${DEFAULT_OWNER_ROLE}
  --runtime-role <name>   default ${DEFAULT_RUNTIME_ROLE}
  --host <host:port>      host in the printed URLs (default: the admin URL's)
  Passwords: OWNER_PASSWORD / RUNTIME_PASSWORD in the environment, else generated.`;

const Args = z.object({
  "admin-url": z.string().regex(/^postgres(ql)?:\/\//, { error: "--admin-url must be a postgresql:// URL of a login that may create roles" }),
  database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { error: "--database must be a plain name (letters, digits, _)" }).default("exit_brain"),
  "owner-role": z.string().default(DEFAULT_OWNER_ROLE),
  "runtime-role": z.string().default(DEFAULT_RUNTIME_ROLE),
  host: z.string().regex(/^[A-Za-z0-9.\-[\]:]+$/, { error: "--host must look like db.example.com:5432" }).optional(),
});

let raw;
try {
  raw = parseArgs({
    options: {
      "admin-url": { type: "string" },
      database: { type: "string" },
      "owner-role": { type: "string" },
      "runtime-role": { type: "string" },
      host: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  }).values;
} catch (err) {
  console.error(`[db:setup-roles] ${(err as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (raw.help) {
  console.log(HELP);
  process.exit(0);
}
const parsed = Args.safeParse(raw);
if (!parsed.success) {
  console.error(`[db:setup-roles] ${parsed.error.issues.map((i) => i.message).join("; ")}\n\n${HELP}`);
  process.exit(2);
}
const a = parsed.data;
const secret = () => randomBytes(24).toString("base64url");
const owner = { name: a["owner-role"], password: process.env.OWNER_PASSWORD || secret() };
const runtime = { name: a["runtime-role"], password: process.env.RUNTIME_PASSWORD || secret() };
const adminUrl = a["admin-url"];

try {
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(describeConnectionError(adminUrl, err));
  }
  try {
    await ensureRoles(admin, owner, runtime);
  } finally {
    await admin.end();
  }
  const { created } = await prepareDatabase(adminUrl, a.database, owner.name);
  const base = new URL(adminUrl);
  base.pathname = `/${a.database}`;
  base.search = "";
  if (a.host) base.host = a.host;
  const ownerUrl = withCredentials(base.toString(), owner.name, owner.password);
  const runtimeUrl = withCredentials(base.toString(), runtime.name, runtime.password);
  // Migrate over the admin URL's host (the printed host may be a name only the app resolves).
  const reachableOwnerUrl = withCredentials(new URL(`/${a.database}`, adminUrl).toString(), owner.name, owner.password);
  const r = await migrate(reachableOwnerUrl, { runtimeRole: runtime.name, log: (l) => console.log(`[db:setup-roles] ${l}`) });
  console.log(`[db:setup-roles] database "${a.database}" ${created ? "created" : "handed"} to "${owner.name}"; ${r.applied.length} migrations applied now, ${r.alreadyApplied} before; "${runtime.name}" granted its privileges.`);
  console.log(`\nPut these in the environment of \`npm start\` (and of the CLI: DATABASE_URL only):\n`);
  console.log(`DATABASE_URL=${runtimeUrl}`);
  console.log(`MIGRATION_DATABASE_URL=${ownerUrl}`);
} catch (err) {
  const msg = err instanceof RoleSetupError || err instanceof MigrationError ? err.message : (err as Error).message;
  console.error(`[db:setup-roles] ${msg}`);
  process.exit(1);
}
