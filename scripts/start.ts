// `npm start` / `npm run dev`: database (embedded unless DATABASE_URL), migrations, build if
// needed, then web + worker + exchange simulator as one supervised group with prefixed logs.
// Ctrl-C / SIGTERM stops everything; if one process dies the others are stopped and the exit
// code is non-zero.
import { existsSync, statSync, readdirSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import concurrently from "concurrently";
import { env, EnvError } from "../src/env.js";
import { startEmbeddedPostgres, type EmbeddedServer } from "../src/server/db/embedded-postgres";
import { migrate } from "../src/server/db/migrate";
import { describeConnectionError } from "../src/server/db/connection";
import { createDb } from "../src/server/db/client";
import { createFirstAdmin } from "../src/server/auth/start-auth";
import { childEnvironment, scrubOwnEnvironment } from "./child-env";
import { userOf } from "../src/server/db/roles";
import { loadOrCreateSessionSecret } from "../src/server/db/session-secret";
import { ensurePrismaClient } from "./prisma-generate.mjs";

const HELP = `Usage: npm start [-- --no-sim]   |   npm run dev

Starts Exit Brain: PostgreSQL (embedded under DATA_DIR unless DATABASE_URL is set), pending
migrations, the exchange simulator (EXCHANGE=sim, the default), the worker, and the web app at
http://127.0.0.1:$WEB_PORT (3000; WEB_HOST=0.0.0.0 exposes it beyond this machine). --dev runs Next.js and the worker with hot reload.
Configuration: environment variables, documented in .env.example.`;

const args = new Set(process.argv.slice(2));
if (args.has("--help") || args.has("-h")) {
  console.log(HELP);
  process.exit(0);
}
const dev = args.has("--dev");
const say = (line: string) => console.log(`[start] ${line}`);

let config;
try {
  config = env();
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(2);
}

if (!ensurePrismaClient()) {
  console.error("[start] generating the database client failed (see above); run `npm ci` again");
  process.exit(1);
}

// Two logins (src/server/db/roles.ts): the OWNER migrates; web, worker and simulator get only
// the RUNTIME one. Embedded: both are created here. Own server: DATABASE_URL (runtime) plus
// MIGRATION_DATABASE_URL (owner), as `npm run db:setup-roles` prints them; DATABASE_URL alone
// still works (one login does both) but leaves the audit trail unprotected, so it is said loudly.
let embedded: EmbeddedServer | undefined;
let url = config.DATABASE_URL;
let ownerUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
let runtimeRole: string | undefined;
if (!url) {
  say(`no DATABASE_URL: starting embedded PostgreSQL in ${path.resolve(config.DATA_DIR, "pg")} on port ${config.EMBEDDED_PG_PORT}`);
  try {
    embedded = await startEmbeddedPostgres({
      dataDir: config.DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      log: (l) => process.env.PG_LOG && console.log(`[postgres] ${l}`),
      notice: (l) => say(l),
    });
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    process.exit(1);
  }
  url = embedded.url;
  ownerUrl = embedded.ownerUrl;
  runtimeRole = embedded.runtimeRole;
} else if (config.MIGRATION_DATABASE_URL) {
  runtimeRole = userOf(url) ?? undefined;
} else {
  say(
    "⚠️  [SECURITY] only DATABASE_URL is set: web, worker and CLI connect as the login that owns the tables, so anyone with it can rewrite the audit trail and change toggles without an audit row. Run `npm run db:setup-roles -- --admin-url <superuser URL>` and set the DATABASE_URL and MIGRATION_DATABASE_URL it prints.",
  );
}
const stopDb = async () => {
  if (embedded) {
    say("stopping embedded PostgreSQL");
    await embedded.stop().catch(() => {});
  }
};

try {
  const r = await migrate(ownerUrl!, { log: (l) => say(l), runtimeRole });
  say(`database ready (${r.applied.length} migrations applied now, ${r.alreadyApplied} before)${runtimeRole ? `; web, worker and CLI connect as "${runtimeRole}"` : ""}`);
} catch (err) {
  console.error(`[start] ${err instanceof Error && err.name === "MigrationError" ? err.message : describeConnectionError(ownerUrl!, err)}`);
  await stopDb();
  process.exit(1);
}

// The first admin is created here, before any child starts, so ADMIN_PASSWORD stays in this
// process and a generated password is printed once, here.
try {
  const db = createDb(url, { max: 1 });
  try {
    await createFirstAdmin(db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }, { info: (l: string) => say(l) });
  } finally {
    await db.$disconnect();
  }
} catch (err) {
  console.error(`[start] cannot create the first admin: ${err instanceof Error ? err.message : String(err)}`);
  await stopDb();
  process.exit(1);
}

// Each child gets an allowlisted environment (scripts/child-env.ts): exchange keys only in the
// worker, the session secret only in the web server, ADMIN_PASSWORD in none.
// The session secret: NEXTAUTH_SECRET, else DATA_DIR/session-secret (mode 0600; not in the
// database, where the runtime login shared with worker and CLI could read it:
// src/server/db/session-secret.ts).
let sessionSecret: string;
try {
  sessionSecret = config.NEXTAUTH_SECRET ?? (await loadOrCreateSessionSecret(config.DATA_DIR, ownerUrl));
} catch (err) {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  await stopDb();
  process.exit(1);
}
const envOf = {
  web: childEnvironment("web", process.env, { DATABASE_URL: url, FORCE_COLOR: "0", NEXTAUTH_SECRET: sessionSecret }),
  worker: childEnvironment("worker", process.env, { DATABASE_URL: url, FORCE_COLOR: "0" }),
  sim: childEnvironment("sim", process.env, { FORCE_COLOR: "0" }),
};

if (!dev && needsBuild()) {
  say("building the web app (next build)…");
  const b = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: envOf.web as unknown as NodeJS.ProcessEnv });
  if (b.status !== 0) {
    console.error("[start] next build failed; see the output above");
    await stopDb();
    process.exit(1);
  }
}

// The web server listens on WEB_HOST only and resolves client addresses itself (scripts/web-server.ts).
const commands = [
  { name: "web", command: `node --import tsx scripts/web-server.ts${dev ? " --dev" : ""}`, env: envOf.web },
  { name: "worker", command: dev ? `${bin("tsx")} watch worker/main.ts` : "node --import tsx worker/main.ts", env: envOf.worker },
];
if (config.EXCHANGE === "sim" && !args.has("--no-sim") && existsSync("sim/main.ts")) {
  commands.unshift({ name: "sim", command: dev ? `${bin("tsx")} watch sim/main.ts` : "node --import tsx sim/main.ts", env: envOf.sim });
}
scrubOwnEnvironment();

const shownHost = config.WEB_HOST === "0.0.0.0" || config.WEB_HOST === "::" ? "localhost" : config.WEB_HOST.includes(":") ? `[${config.WEB_HOST}]` : config.WEB_HOST;
say(`starting ${commands.map((c) => c.name).join(" + ")}; dashboard at http://${shownHost}:${config.WEB_PORT}`);
let signalled = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => (signalled = true));

const { result } = concurrently(commands, {
  prefix: "name",
  padPrefix: true,
  killOthersOn: ["failure", "success"],
  killSignal: "SIGTERM",
  killTimeout: 10_000,
  handleInput: false,
});
let code = 0;
try {
  await result;
  code = signalled ? 0 : 1; // a child exiting by itself is a failure of the group
} catch (events) {
  const failed = Array.isArray(events)
    ? events.filter((e: { exitCode: number | string }) => e.exitCode !== 0 && e.exitCode !== "SIGTERM" && e.exitCode !== "SIGINT")
    : [];
  code = signalled && failed.length === 0 ? 0 : 1;
  if (!signalled) {
    for (const e of failed as { command: { name: string }; exitCode: number | string }[]) {
      console.error(`[start] ${e.command.name} exited with ${e.exitCode}; stopped the others`);
    }
  }
}
await stopDb();
say(`stopped (exit code ${code})`);
process.exit(code);

function bin(name: string): string {
  return path.join("node_modules", ".bin", name);
}

/** Rebuild when there is no build, or when a source file is newer than the last one. */
function needsBuild(): boolean {
  const marker = ".next/BUILD_ID";
  if (!existsSync(marker)) return true;
  const builtAt = statSync(marker).mtimeMs;
  const roots = ["src", "next.config.js", "package-lock.json"];
  const newer = (p: string): boolean => {
    const s = statSync(p);
    if (s.isDirectory()) {
      if (p.endsWith("generated")) return false;
      return readdirSync(p).some((n) => newer(path.join(p, n)));
    }
    return s.mtimeMs > builtAt;
  };
  return roots.some((r) => existsSync(r) && newer(r));
}
