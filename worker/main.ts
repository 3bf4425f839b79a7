// The worker process: the only process that talks to the exchange. Started by `npm start`.
// Composition root: builds the parts and wires them; each part lives in its own module.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import pg from "pg";
import { databaseUrl, env } from "../src/env.js";
import { db } from "../src/server/db/client";
import { createLogger, logFileOf } from "../src/server/logger";
import { bootToggles } from "../src/server/services/toggles/boot-toggles";
import { readCeilings } from "../src/server/toggle-ceilings";
import { connectExchange } from "./exchange/connect-exchange";
import { ExchangeConfigError } from "./exchange/create-exchange";
import { executorConfigFromEnv } from "./executor/executor-config";
import { startExecutor, type RunningExecutor } from "./executor/start-executor";
import { ExitOrderGateway } from "./gateway/exit-order-gateway";
import { watchInFlightAtRollback } from "./gateway/in-flight-at-kill-switch";
import { LeaderLease } from "./ha/leader-lease";
import { startHeartbeat } from "./health/heartbeat";
import { startAccountCycle } from "./account/account-cycle";
import { PriceStream } from "./market/price-stream";
import { startAccountSource, type AccountSource } from "./account/start-account-source";
import { startMetricsLogger } from "./health/metrics-logger";
import { withCancelRecords } from "./order-lifecycle/lifecycle-gateway";
import { FeeRecorder } from "./order-lifecycle/fee-recorder";
import { followLifecycle } from "./order-lifecycle/record-lifecycle";
import { handedBackPositions } from "./position-actions/handed-back";
import { startPositionActions } from "./position-actions/position-actions";
import { startCandleRecorder } from "./position-candles/record-candles";
import { diskThresholdsFromEnv, watchedDirsFromEnv } from "./retention/disk-config";
import { databaseWriteProbe, DiskMonitor } from "./retention/disk-monitor";
import { retentionPolicyFromEnv } from "./retention/retention-config";
import { logRotationFromEnv, shadowLogRotationFromEnv } from "./retention/rotation-config";
import { startRetention, type RunningRetention } from "./retention/start-retention";
import { demoteWhileWritesRefused } from "./retention/write-refusal-toggles";
import { ToggleWatcher } from "./toggles/toggle-watcher";
import { startWatchdog } from "./watchdog/watchdog";
import { watchdogConfigFromEnv } from "./watchdog/watchdog-env";
import { startNotificationLoop } from "./notifications/deliver";

const config = env();
const url = databaseUrl(config);
// The worker rotates LOG_FILE (size, age, files kept; the current file keeps the name). While the
// disk is low, debug lines are not written to it (the disk monitor below).
let optionalSuppressed = (): boolean => false;
const log = createLogger({
  name: "worker", level: config.LOG_LEVEL, file: config.LOG_FILE || null, rotation: logRotationFromEnv(config), suppressOptional: () => optionalSuppressed(),
});
const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
log.info(`[WORKER] starting ${workerId} (exchange=${config.EXCHANGE})`);

// Environment = deployment ceilings: seed on first boot, lower (audited) when below the store.
const ceilings = readCeilings();
for (const w of ceilings.warnings) log.warn(`[EXIT_MODE] ${w}`);
const boot = await bootToggles(db(), ceilings.ceilings);
if (boot.seeded) log.info(`[EXIT_MODE] Stored toggles seeded from the environment (version ${boot.stored.version}).`);
if (boot.lowered) log.warn(`[EXIT_MODE] Environment ceiling lowered the stored toggles: ${boot.lowered.stateBefore} -> ${boot.lowered.stateAfter} (audit #${boot.lowered.auditId}).`);

const toggles = new ToggleWatcher({ connectionString: url, ceilings, log });
await toggles.start();
// Created once the exchange is up (below); the heartbeat publishes its info from then on.
let executor: RunningExecutor | null = null;
let retention: RunningRetention | null = null;

// Disk pressure (issue 19): free space of the data and log directories, and the database's
// refusals. Low: optional data stops and a warning is published; the database refusing writes:
// the executor acts as unconfirmed (SHADOW), the stops on the exchange stay.
const writeProbe = databaseWriteProbe(url);
const disk = new DiskMonitor({
  dirs: watchedDirsFromEnv(config),
  thresholds: diskThresholdsFromEnv(config),
  intervalMs: config.DISK_CHECK_INTERVAL_S * 1000,
  log,
  probe: writeProbe.probe,
}).start();
optionalSuppressed = () => disk.optionalSuppressed;
// The same for an account view the user-data stream cannot confirm (issue 14; set up below).
let accountSource: AccountSource | null = null;
let accountUnconfirmed = (): boolean => false;
const executorToggles = demoteWhileWritesRefused(toggles, () => disk.databaseRefusesWrites || accountUnconfirmed());

// Leadership first: only the leader acts; standbys keep watching and beating.
const lease = new LeaderLease({ connectionString: url, holderId: workerId, log });
const heartbeat = startHeartbeat({
  db: db(),
  workerId,
  intervalMs: config.HEARTBEAT_INTERVAL_MS,
  log,
  onWriteError: (err) => disk.reportDatabaseError(err),
  info: () => {
    const v = executorToggles.view(); // SHADOW (unconfirmed) while the database refuses writes
    return {
      toggles: { confirmed: v.confirmed, version: v.version, state: v.state },
      ha: { leader: lease.isLeader(), epoch: lease.currentEpoch() },
      executor: executorInfo(),
      disk: disk.info(),
      account: accountSource?.info() ?? null,
      retention: retention?.info() ?? null,
    };
  },
});
toggles.on("change", () => void heartbeat.beat());
disk.on("change", () => {
  executorToggles.refresh();
  void heartbeat.beat();
});
lease.on("elected", () => void heartbeat.beat());
lease.on("stepped-down", () => void heartbeat.beat());

// The watchdog has its own loop and pool: it must not depend on the executor being healthy.
const watchdog = startWatchdog({ connectionString: url, config: watchdogConfigFromEnv(config), ceilings: ceilings.ceilings, log });
// Notifications (issue 16): the outbox goes to the one webhook sink; unprotected positions past the
// grace period are queued. Every worker delivers (claims skip rows another one holds).
const notifications = startNotificationLoop({ db: db(), log, envWebhookUrl: config.WATCHDOG_WEBHOOK_URL ?? null, timeoutMs: config.WATCHDOG_WEBHOOK_TIMEOUT_MS });

const exchange = await connectExchange(config, log).catch(async (err: unknown) => {
  // A refused key, a bad EXCHANGE or a venue that never answered: say what and what to do, no stack.
  log.error(`[WORKER] cannot start: ${err instanceof Error ? err.message : String(err)}`);
  log.flush();
  await logFileOf(log)?.close();
  process.exit(err instanceof ExchangeConfigError ? 2 : 1);
});
const markets = await exchange.loadMarkets();
const prices = new PriceStream(exchange, markets.map((m) => m.symbol), {
  onError: (err, attempt) => log.warn({ err: err instanceof Error ? err.message : String(err) }, `[WORKER] price stream error (attempt ${attempt}); reconnecting`),
});
prices.start();
// Positions and orders from the user-data stream, ATR candles from the kline stream (issue 14).
const account = await startAccountSource({ config, exchange, prices, log });
accountSource = account;
const { snapshot, candles } = account;
accountUnconfirmed = () => account.unconfirmed();
account.onConfirmation(() => {
  executorToggles.refresh();
  void heartbeat.beat();
});
const pool = new pg.Pool({ connectionString: url, max: 6 });
pool.on("error", () => {}); // idle-client errors surface on the next query
// Shadow decision batches get their own connections: a burst of large INSERTs (two in flight)
// must never make an order wait for a connection to its committed-state check.
const shadowPool = new pg.Pool({ connectionString: url, max: 2 });
shadowPool.on("error", () => {});
// The gateway's own connections: its pre-send check must not queue behind other work, and it
// waits at most lock_timeout for a toggle change in progress (then: unconfirmed, nothing sent).
const gatewayPool = new pg.Pool({ connectionString: url, max: 4, lock_timeout: 500, statement_timeout: 2_000 });
gatewayPool.on("error", () => {});
// Every module's gateway; a cancel it carries out is recorded on the order with who and why.
const gateway = withCancelRecords(
  new ExitOrderGateway({
    pool: gatewayPool,
    exchange,
    ceilings,
    log,
    fencing: true,
    currentEpoch: () => lease.currentEpoch(),
    // an attempt row refused for lack of space raises the disk pressure now, not at the next poll
    onWriteError: (err) => disk.reportDatabaseError(err),
  }),
  pool,
  log,
);

const inFlight = watchInFlightAtRollback({ toggles, pool: gatewayPool, log, sendDeadlineMs: gateway.sendDeadlineMs });
const cycle = startAccountCycle({ config, log, pool, db: db(), exchange, snapshot, gateway, toggles, lease });
// Each placed order's life on the exchange (open, triggered, filled, cancelled, ...), after every
// account refresh, by the leader (issue 16).
// Fees come only with the user-data stream's fills (worker/order-lifecycle/fee-recorder.ts).
const fees = new FeeRecorder(pool, log);
account.onUserDataEvent((e) => fees.observe(e));
const lifecycle = followLifecycle({ pool, port: exchange, log, isLeader: () => lease.isLeader(), fees }, snapshot);
// Retention (issue 19): its own connection and short timeouts, never the gateway's pool.
retention = startRetention({
  connectionString: url,
  policy: retentionPolicyFromEnv(config),
  batchRows: config.RETENTION_BATCH_ROWS,
  batchPauseMs: config.RETENTION_BATCH_PAUSE_MS,
  intervalMs: config.RETENTION_INTERVAL_S * 1000,
  log,
});
const metrics = startMetricsLogger({ db: db(), log, intervalMs: config.EXIT_METRICS_INTERVAL_S * 1000, state: () => toggles.view().state });
await lease.start();

// The Exit Brain executor: follows the toggles live; acts only as a reconciled leader.
executor = startExecutor({
  db: db(),
  pool: shadowPool,
  port: exchange,
  snapshot,
  prices,
  candles,
  gateway,
  toggles: executorToggles,
  log,
  config: executorConfigFromEnv(config),
  canAct: () => cycle.ready(),
  leaderEpoch: () => lease.currentEpoch(),
  shadowLog: { rotation: shadowLogRotationFromEnv(config), suppressOptional: () => disk.optionalSuppressed, onWriteError: (err) => disk.reportDatabaseError(err) },
});
// Operator actions on one position (hand back to legacy, close now), requested on the dashboard and
// carried out here by the reconciled leader through the gateway (issue 16).
const positionActions = startPositionActions({
  pool, port: exchange, gateway, toggles, log, handedBack: handedBackPositions,
  leaderEpoch: () => lease.currentEpoch(), canAct: () => cycle.ready(), latestAccount: () => snapshot.latest(),
});
// Candles of the symbols with an open position, for the dashboard's position page (issue 16).
const positionCandles = startCandleRecorder({
  pool, port: exchange, log, isLeader: () => lease.isLeader(), openSymbols: () => [...new Set(snapshot.latest()?.positions.map((p) => p.symbol) ?? [])],
});
function executorInfo(): { running: boolean; effective_mode: string; last_decision_timestamp: string | null } {
  return executor?.info() ?? { running: false, effective_mode: "OFF", last_decision_timestamp: null };
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info(`[WORKER] ${signal} received, stopping`);
  // Stop deciding first, then give up leadership, then the plumbing. Exchange-side stops stay.
  await executor?.stop();
  await positionActions.stop();
  await positionCandles.stop();
  await cycle.stop();
  await lifecycle.stop();
  inFlight.stop();
  metrics.stop();
  await retention?.stop();
  disk.stop();
  await writeProbe.close();
  await lease.stop();
  await watchdog.stop();
  await notifications.stop();
  await prices.stop();
  await account.stop();
  await exchange.close().catch(() => {});
  await heartbeat.stop();
  await toggles.stop();
  await pool.end().catch(() => {});
  await shadowPool.end().catch(() => {});
  await gatewayPool.end().catch(() => {});
  await db().$disconnect();
  log.flush();
  await logFileOf(log)?.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
