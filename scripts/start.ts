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
import { ensurePrismaClient } from "./prisma-generate.mjs";

const HELP = `Usage: npm start [-- --no-sim]   |   npm run dev

Starts Exit Brain: PostgreSQL (embedded under DATA_DIR unless DATABASE_URL is set), pending
migrations, the exchange simulator (EXCHANGE=sim, the default), the worker, and the web app at
http://localhost:$WEB_PORT (3000). --dev runs Next.js and the worker with hot reload.
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

let embedded: EmbeddedServer | undefined;
let url = config.DATABASE_URL;
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
}
const stopDb = async () => {
  if (embedded) {
    say("stopping embedded PostgreSQL");
    await embedded.stop().catch(() => {});
  }
};

try {
  const r = await migrate(url, { log: (l) => say(l) });
  say(`database ready (${r.applied.length} migrations applied now, ${r.alreadyApplied} before)`);
} catch (err) {
  console.error(`[start] ${err instanceof Error && err.name === "MigrationError" ? err.message : describeConnectionError(url, err)}`);
  await stopDb();
  process.exit(1);
}

if (!dev && needsBuild()) {
  say("building the web app (next build)…");
  const b = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: url } });
  if (b.status !== 0) {
    console.error("[start] next build failed; see the output above");
    await stopDb();
    process.exit(1);
  }
}

const childEnv = { ...process.env, DATABASE_URL: url, FORCE_COLOR: "0" };
const commands = [
  {
    name: "web",
    command: dev ? `${bin("next")} dev -p ${config.WEB_PORT}` : `${bin("next")} start -p ${config.WEB_PORT}`,
    env: childEnv,
  },
  { name: "worker", command: dev ? `${bin("tsx")} watch worker/main.ts` : "node --import tsx worker/main.ts", env: childEnv },
];
if (config.EXCHANGE === "sim" && !args.has("--no-sim") && existsSync("sim/main.ts")) {
  commands.unshift({ name: "sim", command: dev ? `${bin("tsx")} watch sim/main.ts` : "node --import tsx sim/main.ts", env: childEnv });
}

say(`starting ${commands.map((c) => c.name).join(" + ")}; dashboard at http://localhost:${config.WEB_PORT}`);
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
