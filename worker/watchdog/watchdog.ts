// The watchdog loop: gather a snapshot from PostgreSQL, evaluate the pure rules, and when one
// fires while LIVE, commit the kill switch through the audited rollback service (source and actor
// "watchdog"), log it and deliver its notification (queued in the rollback's own transaction,
// migration 0014) at once through the one webhook sink (worker/notifications). It owns its timer and its DB pool and never touches
// the executor, so it keeps running when the executor throws or hangs on I/O; for independence
// from a worker whose event loop is blocked, run it as its own process (worker/watchdog/main.ts).
import { hostname } from "node:os";
import { evaluateWatchdog, rollbackReason, type WatchdogConfig, type WatchdogFiring } from "../../src/core/watchdog";
import type { OperationalState, ToggleCeilings } from "../../src/core/toggles";
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";
import { killSwitch } from "../../src/server/services/toggles/rollbacks";
import type { ChangeResult } from "../../src/server/services/toggles/change-toggles";
import { gatherSnapshot } from "./gather-snapshot";
import { deliverByKey } from "../notifications/deliver";
import { PeriodicLoop } from "../periodic-loop";
import type { WebhookResult } from "../notifications/post-webhook";
import { createWatchdogDb } from "./watchdog-db";

export const WATCHDOG_ACTOR = "watchdog";

export interface WatchdogOptions {
  connectionString: string;
  config: WatchdogConfig;
  log: Logger;
  /** this deployment's ceilings, passed to the rollback service (a kill switch only lowers) */
  ceilings?: ToggleCeilings;
  /** a check that takes longer is abandoned and retried at the next interval */
  checkTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CheckResult {
  state: OperationalState;
  fired: WatchdogFiring[];
  /** the committed kill switch, when this check made one */
  rollback: ChangeResult | null;
  webhook: WebhookResult | null;
}

export class Watchdog {
  private readonly db: Db;
  private readonly checkTimeoutMs: number;
  // Logs once per outage; keeps checking every interval.
  private readonly loop: PeriodicLoop;

  constructor(private readonly o: WatchdogOptions) {
    this.db = createWatchdogDb(o.connectionString);
    this.checkTimeoutMs = o.checkTimeoutMs ?? Math.max(10_000, o.config.checkIntervalMs * 5);
    this.loop = new PeriodicLoop({
      run: () => this.checkWithin(),
      intervalMs: o.config.checkIntervalMs,
      onOutage: (err) =>
        o.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          `[EXIT_WATCHDOG] ⚠️  check failed; retrying every ${o.config.checkIntervalMs} ms. Is PostgreSQL reachable?`,
        ),
      onRecovery: () => o.log.info("[EXIT_WATCHDOG] checks succeed again"),
    });
  }

  /** Starts the loop; the first check runs at once. */
  start(): this {
    const c = this.o.config;
    this.o.log.info(
      `[EXIT_WATCHDOG] started on ${hostname()}:${process.pid}${c.enabled ? "" : " (WATCHDOG_ENABLED=false: checks run, nothing is acted on)"}: ` +
        `every ${c.checkIntervalMs} ms; heartbeat > ${c.heartbeatStaleS} s, error rate > ${c.errorRateThreshold} over ${c.errorWindowS} s (min ${c.errorMinSample}), ` +
        `unprotected > ${c.unprotectedMaxS} s, dual position ${c.dualPositionEnabled ? "on" : "off"}, ` +
        `daily loss ${c.dailyLossLimit === null ? "off" : `> ${c.dailyLossLimit} ${c.quoteAsset}`}, webhook ${c.webhookUrl ? "on" : "off"}`,
    );
    this.loop.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.db.$disconnect().catch(() => {});
  }

  /** One check. Throws when the database cannot be read or the kill switch cannot be committed. */
  async checkOnce(): Promise<CheckResult> {
    const { snapshot, toggleVersion } = await gatherSnapshot(this.db, this.o.config);
    const fired = evaluateWatchdog(snapshot, this.o.config);
    if (fired.length === 0) return { state: snapshot.state, fired, rollback: null, webhook: null };

    const reason = rollbackReason(fired);
    this.o.log.warn(`[EXIT_WATCHDOG] 🚨 ${fired.length} rule(s) fired in ${snapshot.state} (toggle version ${toggleVersion}): ${reason}`);
    // If an operator rolled back in the meantime, the rollback service finds nothing to change
    // and writes no audit row: exactly one audited change per incident, whoever is first.
    const result = await killSwitch(this.db, { actor: WATCHDOG_ACTOR, source: "watchdog", reason, ceilings: this.o.ceilings ?? {} });
    if (!result.changed) {
      this.o.log.info(`[EXIT_WATCHDOG] kill switch already in effect (version ${result.after.version}); nothing to change`);
      return { state: snapshot.state, fired, rollback: null, webhook: null };
    }
    this.o.log.error(
      `[EXIT_WATCHDOG] 🛑 Automatic rollback committed: kill switch (audit #${result.auditId}, version ${result.before.version} -> ${result.after.version}, ${result.stateBefore} -> ${result.stateAfter}): ${reason}`,
    );
    const webhook = await this.notify(result);
    return { state: snapshot.state, fired, rollback: result, webhook };
  }

  /**
   * The rollback's notification row was queued by the audit row's trigger in the same transaction;
   * deliver it now (the workers' delivery loop retries it if this attempt fails). Never throws.
   */
  private async notify(result: ChangeResult): Promise<WebhookResult | null> {
    try {
      const res = await deliverByKey(
        { db: this.db, log: this.o.log, envWebhookUrl: this.o.config.webhookUrl, timeoutMs: this.o.config.webhookTimeoutMs, fetch: this.o.fetch },
        `toggle_audit:${result.auditId}`,
      );
      if (res?.ok) this.o.log.info(`[EXIT_WATCHDOG] webhook notified (HTTP ${res.status})`);
      else if (res) this.o.log.warn(`[EXIT_WATCHDOG] ⚠️  ${res.error}; the rollback itself is committed (the notification is retried)`);
      return res;
    } catch (err) {
      this.o.log.warn(`[EXIT_WATCHDOG] ⚠️  notification not delivered now (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); the rollback itself is committed`);
      return null;
    }
  }

  /** One check, abandoned (a failure) after checkTimeoutMs. */
  private async checkWithin(): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error(`check took over ${this.checkTimeoutMs} ms (database hung?)`)), this.checkTimeoutMs);
    });
    try {
      await Promise.race([this.checkOnce(), limit]);
    } finally {
      clearTimeout(timeout);
    }
  }
}

/** For the worker: start the watchdog inside this process (own timer, own pool). */
export function startWatchdog(opts: WatchdogOptions): Watchdog {
  return new Watchdog(opts).start();
}
