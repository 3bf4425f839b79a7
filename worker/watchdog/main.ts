// Standalone watchdog process: `node --import tsx worker/watchdog/main.ts`. Runs beside (or
// without) the worker against the same database, so a worker whose event loop is blocked
// cannot take its safety net down with it.
import { databaseUrl, env } from "../../src/env.js";
import { createLogger } from "../../src/server/logger";
import { readCeilings } from "../../src/server/toggle-ceilings";
import { startWatchdog } from "./watchdog";
import { watchdogConfigFromEnv } from "./watchdog-env";

const config = env();
const log = createLogger({ name: "watchdog", level: config.LOG_LEVEL, file: config.LOG_FILE });
const watchdog = startWatchdog({
  connectionString: databaseUrl(config),
  config: watchdogConfigFromEnv(config),
  ceilings: readCeilings().ceilings,
  log,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info(`[EXIT_WATCHDOG] ${signal} received, stopping`);
  await watchdog.stop();
  log.flush();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
