// @ts-check
// The one validated view of the environment, shared by web, worker, CLI and scripts.
// Plain JS (like create-t3-app's env.js) so next.config.js can import it and fail the build early.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** Treats "" like unset, so `FOO=` in a .env file means "use the default". */
const blankAsUndefined = (/** @type {unknown} */ v) => (v === "" ? undefined : v);

const bool = z.preprocess(
  blankAsUndefined,
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be one of true, false" })
    .transform((v) => v === "true" || v === "1" || v === "yes"),
);

/** @param {number} def @param {number} [min] @param {number} [max] */
const int = (def, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    blankAsUndefined,
    z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(def),
  );

/** @param {number} def @param {number} min */
const num = (def, min) =>
  z.preprocess(
    blankAsUndefined,
    z.coerce.number({ error: "must be a number" }).min(min, { error: `must be at least ${min}` }).default(def),
  );

/** @param {string} def */
const str = (def) => z.preprocess(blankAsUndefined, z.string().default(def));
const optionalStr = z.preprocess(blankAsUndefined, z.string().optional());

/** @param {readonly [string, ...string[]]} values @param {string} def */
const oneOf = (values, def) =>
  z.preprocess(
    (v) => (typeof v === "string" && v !== "" ? v.toLowerCase() : undefined),
    z.enum(values, { error: `must be one of ${values.join(", ")}` }).default(def),
  );

/** A DNS name, an IPv4 address or a bracketed IPv6 address: what URL.hostname gives. */
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;

const postgresUrl = z.preprocess(
  blankAsUndefined,
  z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), {
      error: "must be a postgresql:// URL, e.g. postgresql://user:pass@127.0.0.1:5432/exit_brain",
    })
    .optional(),
);

/** READINESS_MIN_SHADOW_POSITIONS' upper bound: the readiness check reads at most this many closed positions. */
export const MAX_MIN_SHADOW_POSITIONS = 20_000;

export const envSchema = z.object({
  // Database: unset means "the embedded PostgreSQL under DATA_DIR". DATABASE_URL is the RUNTIME
  // login (web, worker, CLI); MIGRATION_DATABASE_URL the OWNER login that runs migrations and
  // admin commands (unset: DATABASE_URL, the single-login setup of before, with a warning).
  DATABASE_URL: postgresUrl,
  MIGRATION_DATABASE_URL: postgresUrl,
  DATA_DIR: str(".data"),
  EMBEDDED_PG_PORT: int(54329, 1024, 65535),

  // Processes
  WEB_PORT: int(3000, 1, 65535),
  SIM_PORT: int(8790, 1, 65535),
  LOG_LEVEL: oneOf(["trace", "debug", "info", "warn", "error", "fatal"], "info"),
  LOG_FILE: str("logs/exit_brain.log"),
  HEARTBEAT_INTERVAL_MS: int(1000, 100, 60_000),

  // Worker cycle: account refresh (positions + open orders), legacy modules, metrics summary.
  ACCOUNT_REFRESH_MS: int(2000, 100, 600_000),
  // Account view from Binance's user-data stream (issue 14; off = poll REST every ACCOUNT_REFRESH_MS,
  // ~85 request weight each). A stream silent (no event, no answered ping) for ACCOUNT_STREAM_GAP_MS
  // makes the account unconfirmed: the executor acts as SHADOW. A full REST read every ACCOUNT_FULL_REFRESH_S.
  ACCOUNT_STREAM: bool.default(true),
  ACCOUNT_STREAM_GAP_MS: int(5000, 1000, 60_000),
  ACCOUNT_FULL_REFRESH_S: num(60, 5),
  // Request weight (Binance: 2,400 a minute per IP, answered in X-MBX-USED-WEIGHT-1M): reads wait for
  // the next minute once the used weight reaches REQUEST_WEIGHT_BACKOFF_PCT % of REQUEST_WEIGHT_LIMIT_1M.
  REQUEST_WEIGHT_LIMIT_1M: int(2400, 10, 1_000_000),
  REQUEST_WEIGHT_BACKOFF_PCT: int(80, 10, 100),
  LEGACY_INTERVAL_S: num(5, 0.1),
  EXIT_METRICS_INTERVAL_S: num(60, 1),

  // Exchange
  EXCHANGE: oneOf(["sim", "binance", "binance-demo"], "sim"),
  BINANCE_API_KEY: optionalStr,
  BINANCE_API_SECRET: optionalStr,
  // Exchange simulator (EXCHANGE=sim). Its key pair is only for the local simulator, never Binance.
  SIM_URL: optionalStr, // where the worker finds the simulator; default http://127.0.0.1:$SIM_PORT
  SIM_API_KEY: str("sim-api-key"),
  SIM_API_SECRET: str("sim-api-secret"),
  SIM_SPEED: num(60, 0), // market ms per wall ms (60: one 5m candle every 5 s); 0 pauses
  SIM_SEED: int(1),
  SIM_CANDLES: optionalStr, // comma-separated candle CSV files; default the sample in sim/data
  SIM_RANDOM_WALK: bool.default(false),
  SIM_DEMO_TRADER: bool.default(true),

  // Toggle ceilings. Deliberately raw strings: an unknown word is not a start-up error but
  // "the safest value, with a warning" (docs/safety-invariants.md), decided by src/core.
  EXIT_MODE: optionalStr,
  EXIT_EXECUTOR_MODE: optionalStr,
  EXIT_BRAIN_V3_LIVE_ROLLOUT: optionalStr,
  EXIT_BRAIN_V3_ENABLED: optionalStr,

  // Exit Brain
  EXIT_BRAIN_INTERVAL_S: num(10, 0.05),
  SHADOW_LOG_FILE: str("data/exit_brain_shadow.jsonl"),
  EXIT_BRAIN_TIMEFRAME: oneOf(["1m", "3m", "5m", "15m", "30m", "1h", "4h", "1d"], "5m"), // candles for ATR (the simulator's sample is 5m)
  EXIT_BRAIN_PRICE_DEBOUNCE_MS: int(200, 0, 5000), // re-evaluate a symbol at most this often on price updates
  SHADOW_LOG_HOLD_SAMPLE: int(1, 0), // write every Nth interval hold per position to the file (1 = all, 0 = none); the database keeps all

  // Retention, rotation and disk pressure (issue 19; worker/retention/). Audit trails are never
  // expired. A retention of 0 days keeps that kind of data forever.
  LOG_ROTATE_SIZE_MB: int(50, 1, 10_240), // the worker rotates LOG_FILE at this size ...
  LOG_ROTATE_INTERVAL: oneOf(["off", "1h", "2h", "3h", "4h", "6h", "8h", "12h", "1d", "7d"], "1d"), // ... and at every such boundary (local time)
  LOG_ROTATE_KEEP: int(10, 1, 1000), // rotated files kept besides the current one
  SHADOW_LOG_ROTATE_SIZE_MB: int(100, 1, 10_240), // same for SHADOW_LOG_FILE (the interval is LOG_ROTATE_INTERVAL)
  SHADOW_LOG_ROTATE_KEEP: int(14, 1, 1000),
  RETENTION_EXIT_ORDER_ATTEMPT_DAYS: int(365, 0, 36_500),
  RETENTION_SHADOW_DECISION_DAYS: int(90, 0, 36_500), // whole days (day partitions); the per-minute rollup is kept forever
  RETENTION_HEARTBEAT_DAYS: int(7, 0, 36_500), // worker_heartbeat rows of workers gone that long
  RETENTION_SAFETY_SAMPLE_DAYS: int(7, 0, 36_500), // position_safety rows of positions not seen that long
  RETENTION_ACCOUNT_PNL_DAYS: int(400, 0, 36_500), // account_pnl days (the watchdog reads today's)
  RETENTION_MARKET_CANDLE_DAYS: int(90, 0, 36_500), // market_candle: candles recorded for the position page's chart
  RETENTION_INTERVAL_S: num(600, 1), // how often the worker applies retention and creates partitions ahead
  RETENTION_BATCH_ROWS: int(5000, 1, 100_000), // rows per DELETE batch
  RETENTION_BATCH_PAUSE_MS: int(200, 0, 60_000), // pause between two batches
  SHADOW_PARTITIONS_AHEAD_DAYS: int(7, 1, 60), // day partitions of shadow_decision created ahead
  DISK_MIN_FREE_MB: int(1024, 0, 10_000_000), // below this much free space (data or log directory) the disk is "low"
  DISK_MIN_FREE_PCT: z.preprocess( // ... or below this share (%) of the filesystem
    blankAsUndefined,
    z.coerce.number({ error: "must be a number (a percentage, e.g. 5)" }).min(0, { error: "must be between 0 and 50" }).max(50, { error: "must be between 0 and 50 (a percentage of the filesystem)" }).default(5),
  ),
  DISK_CHECK_INTERVAL_S: num(10, 0.1),

  // Watchdog (docs/watchdog.md): automatic kill switch while LIVE. Same defaults as
  // src/core/watchdog/watchdog-config.ts (a unit test keeps them equal).
  WATCHDOG_ENABLED: bool.default(true),
  WATCHDOG_HEARTBEAT_STALE_S: num(10, 0.1),
  WATCHDOG_ERROR_RATE: z.preprocess(
    blankAsUndefined,
    z.coerce.number({ error: "must be a number" }).min(0, { error: "must be between 0 and 1" }).max(1, { error: "must be between 0 and 1 (0.5 = 50%)" }).default(0.5),
  ),
  WATCHDOG_ERROR_WINDOW_S: num(60, 1),
  WATCHDOG_ERROR_MIN_SAMPLE: int(10, 1),
  WATCHDOG_UNPROTECTED_S: num(30, 0.1),
  WATCHDOG_DUAL_POSITION: bool.default(true),
  WATCHDOG_DAILY_LOSS_LIMIT: z.preprocess(
    blankAsUndefined,
    z.coerce.number({ error: "must be a number (in the quote asset, e.g. 500)" }).positive({ error: "must be above 0; leave unset to turn the rule off" }).optional(),
  ),
  WATCHDOG_QUOTE_ASSET: str("USDT"),
  WATCHDOG_INTERVAL_MS: int(1000, 100, 60_000),
  WATCHDOG_WEBHOOK_URL: z.preprocess(
    blankAsUndefined,
    z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL (a Slack-compatible incoming webhook)" }).optional(),
  ),
  WATCHDOG_WEBHOOK_TIMEOUT_MS: int(5000, 100, 60_000),
  // Notifications (issue 16): the sink is set by an admin on the dashboard (Settings); while none
  // is set there, WATCHDOG_WEBHOOK_URL is used. A URL set on the dashboard must be https, or plain
  // http to one of these host names (comma-separated, e.g. "127.0.0.1,hooks.internal").
  // Host names as a URL shows them (hooks.internal, 127.0.0.1, [::1]): a scheme, port or path
  // here never equals a URL's host name, so such an entry would silently allow nothing.
  NOTIFY_HTTP_HOSTS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .refine((v) => v.split(",").map((h) => h.trim()).filter(Boolean).every((h) => HOST_NAME.test(h)), {
        error: "must be host names separated by commas (e.g. 127.0.0.1,hooks.internal), without scheme, port or path",
      })
      .optional(),
  ),

  // Web / auth
  // The dashboard listens on this interface only; 0.0.0.0 (or a LAN address) exposes it.
  WEB_HOST: str("127.0.0.1"),
  // Proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDR ranges. Unset:
  // none, the socket address is the client (src/server/auth/forwarded-for.ts checks the syntax).
  TRUSTED_PROXIES: optionalStr,
  // Password hashes computed at once by sign-in (the rest wait or are refused; see hash-gate.ts).
  SIGNIN_HASH_CONCURRENCY: int(1, 1, 16),
  NEXTAUTH_SECRET: optionalStr,
  NEXTAUTH_URL: optionalStr,
  ADMIN_EMAIL: str("admin@localhost"),
  ADMIN_PASSWORD: optionalStr,
  REQUIRE_LIVE_APPROVAL: bool.default(false),
  REQUIRE_READINESS: bool.default(false),

  // Readiness (the runbook's success criteria): hours the executor must run in SHADOW without a
  // restart before the checklist counts it as observed (runbook: 24-48 h).
  READINESS_OBSERVATION_H: num(24, 0),
  // Closed shadowed positions the "not worse than legacy" check needs (default 30, 2..20000).
  // Kept as text (minShadowPositions in src/server/services/readiness/get-readiness.ts turns it into a
  // number, default 30), but refused here at start-up like every other malformed value.
  READINESS_MIN_SHADOW_POSITIONS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .refine((v) => /^\s*\d+\s*$/.test(v) && Number(v) >= 2 && Number(v) <= MAX_MIN_SHADOW_POSITIONS, {
        error: `must be a whole number from 2 to ${MAX_MIN_SHADOW_POSITIONS}`,
      })
      .optional(),
  ),
});

/** @typedef {z.infer<typeof envSchema>} Env */

export class EnvError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(
      `Invalid environment (see .env.example for every variable and its default):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "EnvError";
    this.problems = problems;
  }
}

/**
 * Parses and validates an environment. Throws EnvError naming every bad variable, its value and
 * what is allowed.
 * @param {Record<string, string | undefined>} source
 * @returns {Env}
 */
export function parseEnv(source) {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "?");
    const raw = source[key];
    const shown = /SECRET|PASSWORD|API_KEY|WEBHOOK/.test(key)
      ? "<hidden>"
      : JSON.stringify(raw?.replace(/:\/\/([^:@/]*):[^@/]*@/, "://$1:***@"));
    return `${key}=${shown}: ${issue.message}`;
  });
  throw new EnvError(problems);
}

/** @type {Env | undefined} */
let cached;

/** The process environment, validated once. */
export function env() {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Where the database is for web, worker and CLI (the runtime login): DATABASE_URL, or the
 * embedded server's URL.
 * @param {Env} e
 */
export function databaseUrl(e) {
  return e.DATABASE_URL ?? embeddedDatabaseUrl(e);
}

/**
 * The owner login (migrations, `exit-brain policy`): MIGRATION_DATABASE_URL; with DATABASE_URL
 * alone, that one (a single login does both); else the embedded server's owner.
 * @param {Env} e
 */
export function ownerDatabaseUrl(e) {
  return e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL ?? embeddedDatabaseUrl(e, "owner");
}

/**
 * The embedded server's URL for one of its roles, with the password generated on its first
 * start (DATA_DIR/pg-credentials.json, mode 0600, see src/server/db/embedded-credentials.ts).
 * Before the first start there is no file: the URL then has no password and connecting fails
 * with a message that says to run `npm start`.
 * @param {Env} e
 * @param {"runtime" | "owner"} [role]
 */
export function embeddedDatabaseUrl(e, role = "runtime") {
  const url = new URL(`postgresql://127.0.0.1:${e.EMBEDDED_PG_PORT}/exit_brain`);
  const login = readEmbeddedLogin(e.DATA_DIR, role);
  url.username = encodeURIComponent(login?.name ?? (role === "owner" ? "exit_brain_owner" : "exit_brain_app"));
  if (login) url.password = encodeURIComponent(login.password);
  return url.toString();
}

/** @param {string} dataDir @param {"runtime" | "owner"} role @returns {{ name: string, password: string } | null} */
function readEmbeddedLogin(dataDir, role) {
  /** @type {unknown} */
  let file;
  try {
    file = JSON.parse(readFileSync(path.resolve(dataDir, "pg-credentials.json"), "utf8"));
  } catch {
    return null; // not started yet, or unreadable: the connection error will say what to do
  }
  const parsed = z
    .object({ [role]: z.object({ name: z.string().min(1), password: z.string().min(1) }) })
    .transform((v) => v[role])
    .safeParse(file);
  return (parsed.success && parsed.data) || null;
}
