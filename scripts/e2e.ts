// Browser tests against the built product: a fresh database, `npm start` (migrations, build if
// needed, simulator + worker + web) on its own ports, then Playwright in Debian's Chromium.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { execSql, withClient } from "../src/server/db/admin-sql";
import { testAdminUrl, withDatabase } from "../test/admin-url";

const admin = testAdminUrl();
const dbName = `eb_e2e_${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const webPort = Number(process.env.E2E_WEB_PORT ?? 3100);
const simPort = Number(process.env.E2E_SIM_PORT ?? 8890);

const sql = (q: string) => execSql(admin, q);

await sql(`CREATE DATABASE "${dbName}"`);
// The product creates its first admin from these on start; the tests sign in with them
// (e2e/support/sign-in.ts reads E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD).
const adminEmail = "admin@localhost";
const adminPassword = `e2e-${randomBytes(9).toString("base64url")}`;
const env = {
  ...process.env,
  DATABASE_URL: withDatabase(admin, dbName),
  WEB_PORT: String(webPort),
  SIM_PORT: String(simPort),
  NEXTAUTH_URL: `http://localhost:${webPort}`,
  LOG_FILE: "e2e-artifacts/exit_brain.log",
  E2E_BASE_URL: `http://localhost:${webPort}`,
  ADMIN_EMAIL: adminEmail,
  ADMIN_PASSWORD: adminPassword,
  E2E_ADMIN_EMAIL: adminEmail,
  E2E_ADMIN_PASSWORD: adminPassword,
  // Unset on purpose: the product must generate and persist its own session secret.
  NEXTAUTH_SECRET: "",
  // The notification test's webhook sink is a plain-http server on this machine (e2e/runbook).
  NOTIFY_HTTP_HOSTS: "127.0.0.1",
};

console.log(`[e2e] starting the product on :${webPort} with database ${dbName}`);
const product = spawn("node", ["--import", "tsx", "scripts/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
// The product's output is read all the time (kept: the last chunks, for a failure report). On
// Linux a process writing to a full pipe blocks, and the worker logs synchronously: a parent
// that stopped reading (it ran Playwright with spawnSync) froze the worker mid-test (44 s, lease lost).
const output: string[] = [];
const keep = (d: Buffer) => {
  output.push(d.toString());
  if (output.length > 2_000) output.splice(0, output.length - 1_000);
};
product.stdout.on("data", keep);
product.stderr.on("data", keep);
let exited = false;
product.on("exit", () => (exited = true));

async function waitReady(): Promise<void> {
  const deadline = Date.now() + 300_000; // a first `next build` takes a while on 2 cores
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the product exited during start-up:\n${output.join("")}`);
    try {
      // Everything but /signin, /api/auth, /health and /api/metrics needs a session, so: the web
      // app answers its sign-in page, and the worker's heartbeat is fresh in the database.
      const r = await fetch(`${env.E2E_BASE_URL}/signin`);
      if (r.ok && (await workerBeating())) return;
    } catch {
      // not listening yet, or the tables are not migrated yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the product was not ready within 300 s:\n${output.join("")}`);
}

async function workerBeating(): Promise<boolean> {
  return withClient(env.DATABASE_URL, async (c) => {
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM worker_heartbeat WHERE beat_at > now() - interval '5 seconds'`);
    return (rows[0]?.n ?? 0) > 0;
  });
}

/** Runs a child without blocking this process's event loop (which must keep reading the product's output). */
function runChild(cmd: string, args: string[], childEnv: NodeJS.ProcessEnv, stdio: "pipe" | "inherit"): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: childEnv, stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (text += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, text }));
  });
}

let code = 1;
try {
  await waitReady();
  // The browser tests go LIVE on a fresh database, where the stored go-LIVE policy requires the
  // readiness checklist (24 h of shadow and more). Turned off the way an admin would: the
  // policy command with the owner login (here the one login the product was started with), audited.
  const policy = await runChild("node", ["bin/exit-brain.mjs", "policy", "set", "--require-readiness", "off", "--reason", "e2e: the browser tests go LIVE on a fresh database"], { ...env, MIGRATION_DATABASE_URL: env.DATABASE_URL }, "pipe");
  if (policy.status !== 0) throw new Error(`could not set the go-LIVE policy for the browser tests: ${policy.text}`);
  code = (await runChild("node_modules/.bin/playwright", ["test", ...process.argv.slice(2)], env, "inherit")).status ?? 1;
} catch (err) {
  console.error(`[e2e] ${(err as Error).message}`);
} finally {
  product.kill("SIGTERM");
  await new Promise((r) => (exited ? r(null) : product.on("exit", r)));
  await sql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
}
if (code !== 0) console.error(`[e2e] product log (last 60 lines):\n${output.join("").split("\n").slice(-60).join("\n")}`);
process.exit(code);
