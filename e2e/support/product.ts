// Reaching the running product from browser tests: its CLI (same DATABASE_URL as the product)
// and its database, for arranging state the UI under test does not own (users, seeded rows).
import { execFileSync } from "node:child_process";
import pg from "pg";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run browser tests through `npm run test:e2e` (scripts/e2e.ts).");
  return url;
}

/** Runs `exit-brain <args>` and returns its output; throws with the output when it fails. */
export function cli(...args: string[]): string {
  try {
    return execFileSync("node", ["bin/exit-brain.mjs", ...args], { env: { ...process.env, DATABASE_URL: databaseUrl() }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`exit-brain ${args.join(" ")} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

/** Adds a user unless they already exist (tests may run in any order, on one database). */
export function ensureUser(email: string, role: "viewer" | "operator" | "admin", password: string): { email: string; password: string } {
  const list = cli("user", "list", "--json");
  if (!list.includes(`"${email}"`)) cli("user", "add", "--email", email, "--role", role, "--password", password);
  return { email, password };
}

export async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl() });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const LIVE_ARGS = ["EXIT_MODE=EXIT_BRAIN_V3", "EXIT_EXECUTOR_MODE=LIVE", "EXIT_BRAIN_V3_LIVE_ROLLOUT=ENABLED"];

export function setLiveViaCli(): void {
  cli("set", ...LIVE_ARGS, "--confirm-live", "--reason", "e2e: arrange LIVE", "--actor", "e2e-setup");
}

export function setShadowViaCli(): void {
  cli("set", "EXIT_MODE=EXIT_BRAIN_V3", "EXIT_EXECUTOR_MODE=SHADOW", "EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED", "--reason", "e2e: arrange SHADOW", "--actor", "e2e-setup");
}

export async function auditCount(): Promise<number> {
  const [r] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM toggle_audit");
  return r?.n ?? 0;
}
