// Malformed environment values: every validated variable refuses a bad value with an error that
// names the variable (and never echoes a secret), and the worker process refuses to start on one,
// exiting non-zero and naming it, before it touches the database or the exchange.
import { describe, expect, it } from "vitest";
import { EnvError, envSchema, parseEnv } from "../../src/env.js";
import { spawnWorker } from "./support/worker-process";

// One bad value per kind of variable. Raw toggle words are deliberately not here: an unknown word
// is "the safest value, with a warning" (docs/safety-invariants.md), not a start-up error.
const BAD: Record<string, string[]> = {
  DATABASE_URL: ["mysql://root@localhost/x", "not a url"],
  MIGRATION_DATABASE_URL: ["mysql://root@localhost/x", "not a url"],
  EMBEDDED_PG_PORT: ["80", "70000", "5432.5", "port"],
  WEB_PORT: ["0", "abc"],
  SIM_PORT: ["-1", "99999"],
  LOG_LEVEL: ["loud"],
  HEARTBEAT_INTERVAL_MS: ["50", "fast", "1e9"],
  ACCOUNT_REFRESH_MS: ["10", "soon"],
  ACCOUNT_STREAM: ["sometimes"],
  ACCOUNT_STREAM_GAP_MS: ["500", "70000", "long"],
  ACCOUNT_FULL_REFRESH_S: ["1", "hourly"],
  REQUEST_WEIGHT_LIMIT_1M: ["5", "lots"],
  REQUEST_WEIGHT_BACKOFF_PCT: ["5", "101", "most"],
  LEGACY_INTERVAL_S: ["0", "x"],
  EXIT_METRICS_INTERVAL_S: ["0.5", "never"],
  SIGNIN_HASH_CONCURRENCY: ["0", "17", "many"],
  EXCHANGE: ["kraken"],
  SIM_SPEED: ["-1", "fast"],
  SIM_SEED: ["1.5", "seed"],
  SIM_RANDOM_WALK: ["maybe"],
  SIM_DEMO_TRADER: ["2"],
  EXIT_BRAIN_INTERVAL_S: ["0", "often"],
  EXIT_BRAIN_TIMEFRAME: ["2m", "weekly"],
  EXIT_BRAIN_PRICE_DEBOUNCE_MS: ["-1", "9999"],
  SHADOW_LOG_HOLD_SAMPLE: ["-2", "half"],
  WATCHDOG_ENABLED: ["on"],
  WATCHDOG_HEARTBEAT_STALE_S: ["0", "stale"],
  WATCHDOG_ERROR_RATE: ["1.5", "-0.1", "50%"],
  WATCHDOG_ERROR_WINDOW_S: ["0"],
  WATCHDOG_ERROR_MIN_SAMPLE: ["0", "1.5"],
  WATCHDOG_UNPROTECTED_S: ["0", "x"],
  WATCHDOG_DUAL_POSITION: ["sometimes"],
  WATCHDOG_DAILY_LOSS_LIMIT: ["0", "-100", "lots"],
  WATCHDOG_INTERVAL_MS: ["10", "x"],
  WATCHDOG_WEBHOOK_URL: ["ftp://hooks.example/secret-path", "not a url"],
  WATCHDOG_WEBHOOK_TIMEOUT_MS: ["1", "x"],
  NOTIFY_HTTP_HOSTS: ["http://127.0.0.1", "hooks.internal:8080", "hooks.internal/path"],
  LOG_ROTATE_SIZE_MB: ["0", "50MB"],
  LOG_ROTATE_INTERVAL: ["2d", "daily"],
  LOG_ROTATE_KEEP: ["0", "many"],
  SHADOW_LOG_ROTATE_SIZE_MB: ["-1", "x"],
  SHADOW_LOG_ROTATE_KEEP: ["0", "1.5"],
  RETENTION_EXIT_ORDER_ATTEMPT_DAYS: ["-1", "a year"],
  RETENTION_SHADOW_DECISION_DAYS: ["-1", "90d"],
  RETENTION_HEARTBEAT_DAYS: ["1.5", "x"],
  RETENTION_SAFETY_SAMPLE_DAYS: ["-7"],
  RETENTION_ACCOUNT_PNL_DAYS: ["forever"],
  RETENTION_INTERVAL_S: ["0", "hourly"],
  RETENTION_BATCH_ROWS: ["0", "1000000"],
  RETENTION_BATCH_PAUSE_MS: ["-1", "x"],
  SHADOW_PARTITIONS_AHEAD_DAYS: ["0", "100"],
  DISK_MIN_FREE_MB: ["-1", "1GB"],
  DISK_MIN_FREE_PCT: ["80", "-1", "5%"],
  DISK_CHECK_INTERVAL_S: ["0", "x"],
  REQUIRE_LIVE_APPROVAL: ["perhaps"],
  REQUIRE_READINESS: ["2"],
  READINESS_OBSERVATION_H: ["-1", "a day"],
  READINESS_MIN_SHADOW_POSITIONS: ["1", "ten", "2.5", "20001"],
  RETENTION_MARKET_CANDLE_DAYS: ["-1", "3 months"],
};

const SECRET_VARS = /SECRET|PASSWORD|API_KEY|WEBHOOK/;

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (err) {
    if (err instanceof EnvError) return (err as EnvError & { problems: string[] }).problems;
    throw err;
  }
}

describe("[BAD_INPUT] malformed environment values", () => {
  it("the table covers every variable that can be malformed (all but free-text ones)", () => {
    const freeText = new Set([
      "DATA_DIR", "LOG_FILE", "BINANCE_API_KEY", "BINANCE_API_SECRET", "SIM_URL", "SIM_API_KEY", "SIM_API_SECRET", "SIM_CANDLES",
      "EXIT_MODE", "EXIT_EXECUTOR_MODE", "EXIT_BRAIN_V3_LIVE_ROLLOUT", "EXIT_BRAIN_V3_ENABLED", "SHADOW_LOG_FILE", "WATCHDOG_QUOTE_ASSET",
      "NEXTAUTH_SECRET", "NEXTAUTH_URL", "ADMIN_EMAIL", "ADMIN_PASSWORD", "WEB_HOST", "TRUSTED_PROXIES",
    ]);
    const validated = Object.keys(envSchema.shape).filter((k) => !freeText.has(k));
    expect(validated.filter((k) => !(k in BAD))).toEqual([]);
  });

  for (const [name, values] of Object.entries(BAD)) {
    it(`${name}: each bad value is refused, naming the variable${SECRET_VARS.test(name) ? ", value hidden" : ""}`, () => {
      for (const value of values) {
        const problems = problemsOf({ [name]: value });
        expect(problems, `${name}=${value} was accepted`).toHaveLength(1);
        expect(problems[0]).toMatch(new RegExp(`^${name}=`));
        if (SECRET_VARS.test(name)) {
          expect(problems[0]!.startsWith(`${name}=<hidden>: `)).toBe(true);
          if (value.length > 3) expect(problems[0]).not.toContain(value);
        }
      }
    });
  }

  it("a password in a bad DATABASE_URL is masked", () => {
    const [p] = problemsOf({ DATABASE_URL: "mysql://admin:hunter2@db/x" });
    expect(p).toMatch(/^DATABASE_URL=/);
    expect(p).not.toContain("hunter2");
  });

  it("the worker refuses to start on a bad value: non-zero exit, the variable named", async () => {
    const w = spawnWorker("bad-env", {
      DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", EXCHANGE: "sim", SIM_URL: "http://127.0.0.1:1", HEARTBEAT_INTERVAL_MS: "fast",
    });
    const code = await w.exited;
    expect(code).not.toBe(0);
    expect(w.output()).toMatch(/HEARTBEAT_INTERVAL_MS="fast": must be a number/);
  });
});
