// The environment each process started by `npm start` gets: an allowlist, not the whole shell.
// Exchange keys reach only the worker; the session secret only the web server; ADMIN_PASSWORD no
// child at all (scripts/start.ts creates the first admin before starting them); the simulator
// gets its own settings and nothing about the database. Variables that are not Exit Brain
// settings (AWS_*, tokens, anything else in the shell) are not passed on, and a setting that
// looks secret but is not classified below reaches no child until it is.
import { envSchema } from "../src/env.js";

export type ChildName = "web" | "worker" | "sim";

/** Operating-system and Node.js variables every child may need to run at all. */
const SYSTEM = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM", "NODE_ENV", "NODE_OPTIONS", "NODE_EXTRA_CA_CERTS", "NO_COLOR", "CI", "UV_THREADPOOL_SIZE", "SUDO_USER", "NEXT_TELEMETRY_DISABLED", "FORCE_COLOR"];
const SYSTEM_PREFIXES = ["LC_"];

/** Secrets (and secret-bearing URLs): exactly which children get each. */
export const SECRET_OWNERS: Readonly<Record<string, readonly ChildName[]>> = {
  DATABASE_URL: ["web", "worker"],
  NEXTAUTH_SECRET: ["web"],
  ADMIN_PASSWORD: [],
  BINANCE_API_KEY: ["worker"],
  BINANCE_API_SECRET: ["worker"],
  SIM_API_KEY: ["worker", "sim"],
  SIM_API_SECRET: ["worker", "sim"],
  WATCHDOG_WEBHOOK_URL: ["worker"],
};

/** Settings that match the secret pattern below but carry no secret. */
const NOT_SECRET = new Set(["NEXTAUTH_URL", "SIM_URL"]);
export const SECRET_PATTERN = /SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|CREDENTIAL|PRIVATE|_URL$/;

/** The simulator's settings (it reads nothing else). */
const SIM_SETTINGS = /^(SIM_|LOG_LEVEL$)/;

function settingAllowed(name: string, child: ChildName): boolean {
  const owners = SECRET_OWNERS[name];
  if (owners) return owners.includes(child);
  if (SECRET_PATTERN.test(name) && !NOT_SECRET.has(name)) return false; // unclassified secret: nobody
  if (child === "sim") return SIM_SETTINGS.test(name);
  return true;
}

export function childEnvironment(child: ChildName, source: Readonly<Record<string, string | undefined>>, extra: Record<string, string> = {}): Record<string, string> {
  const settings = new Set(Object.keys(envSchema.shape));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const system = SYSTEM.includes(name) || SYSTEM_PREFIXES.some((p) => name.startsWith(p));
    if (system || (settings.has(name) && settingAllowed(name, child))) out[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) if (settingAllowed(name, child) || SYSTEM.includes(name)) out[name] = value;
  return out;
}

/**
 * concurrently starts each command with `{ ...process.env, ...command.env }`, so before handing
 * it the commands start.ts empties its own environment down to the system variables: what each
 * child then sees is exactly its childEnvironment().
 */
export function scrubOwnEnvironment(env: Record<string, string | undefined> = process.env): void {
  for (const name of Object.keys(env)) {
    const system = SYSTEM.includes(name) || SYSTEM_PREFIXES.some((p) => name.startsWith(p));
    if (!system) delete env[name];
  }
}
