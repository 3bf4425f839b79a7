// The leader's account cycle: refresh positions and open orders, record each position's
// protection, run the legacy modules at their own interval, and record the wallet balance for
// the watchdog's daily-loss rule. A new leader reconciles with the exchange before acting.
import type pg from "pg";
import { LEGACY_MODULES } from "../../src/core/gateway/modules";
import type { Env } from "../../src/env.js";
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { LeaderLease } from "../ha/leader-lease";
import { RetryAfterRejection } from "../../src/core/orders/retry-after-rejection";
import { LadderProgress, runLegacyCycle, type LegacyMemory } from "../legacy/legacy-module";
import type { ExchangeSnapshot } from "./exchange-snapshot";
import { reconcileWithExchange } from "./reconcile-with-exchange";
import { recordPositionSafety } from "./safety-recorder";
import type { ToggleWatcher } from "../toggles/toggle-watcher";
import { recordAccountBalance } from "../watchdog/account-pnl";
import { LeftoverStops } from "./leftover-stops";

export interface AccountCycleDeps {
  config: Pick<Env, "ACCOUNT_REFRESH_MS" | "LEGACY_INTERVAL_S"> & { LEFTOVER_GRACE_MS?: number };
  log: Logger;
  pool: pg.Pool;
  db: Db;
  exchange: ExchangePort;
  snapshot: ExchangeSnapshot;
  gateway: Pick<ExitOrderGateway, "submit" | "cancel">;
  toggles: Pick<ToggleWatcher, "view">;
  lease: Pick<LeaderLease, "isLeader" | "currentEpoch" | "on">;
}

const BALANCE_EVERY_MS = 30_000;

export function startAccountCycle(d: AccountCycleDeps): { stop(): Promise<void>; ready(): boolean } {
  const memories = new Map(LEGACY_MODULES.map((m): [string, LegacyMemory] => [m, { ladder: new LadderProgress(), retries: new RetryAfterRejection() }]));
  let reconciled = false;
  let lastLegacy = 0;
  let lastBalance = 0;
  let running: Promise<void> | null = null;
  let balanceRead: Promise<void> | null = null;
  let stopped = false;
  const leftovers = new LeftoverStops({ port: d.exchange, gateway: d.gateway, log: d.log, graceMs: d.config.LEFTOVER_GRACE_MS });

  // A new term reconciles on its first tick, before it acts.
  d.lease.on("elected", () => {
    reconciled = false;
  });
  d.lease.on("stepped-down", () => {
    reconciled = false;
  });

  async function tick(): Promise<void> {
    if (!d.lease.isLeader()) return;
    const account = await d.snapshot.refresh();
    if (!account) return;
    if (!reconciled) {
      await reconcileWithExchange({ pool: d.pool, port: d.exchange, gateway: d.gateway, log: d.log, leaderEpoch: d.lease.currentEpoch() }, account);
      reconciled = true;
      d.log.info(`[WORKER] leader for epoch ${d.lease.currentEpoch()}: reconciled, acting`);
    }
    await recordPositionSafety(d.pool, account);
    const now = Date.now();
    if (now - lastLegacy >= d.config.LEGACY_INTERVAL_S * 1000) {
      lastLegacy = now;
      const view = d.toggles.view();
      const under = { state: view.state, toggleVersion: view.version, leaderEpoch: d.lease.currentEpoch() };
      let seen = account;
      for (const module of LEGACY_MODULES) {
        if (!d.lease.isLeader()) break;
        const r = await runLegacyCycle(module, seen, d.gateway, under, memories.get(module)!, d.log);
        // The next module must see what this one placed (or may have placed: a failed attempt can
        // exist on the exchange), or both would place a stop. Without a fresh view it waits. With
        // the user-data stream the placed orders' events are awaited (no request weight); a send
        // whose result is unknown still costs a full REST read (afterSend).
        if (r.submitted > r.blocked) {
          const fresh = await d.snapshot.afterSend({ placedClientIds: r.placedClientIds, unsure: r.unsure });
          if (!fresh) {
            d.log.warn(`[LEGACY] account refresh after ${module} sent orders failed; the next module waits for the next cycle`);
            break;
          }
          seen = fresh;
        }
      }
    }
    // Stops and take-profits left on the venue by positions that closed (they count toward the
    // per-symbol limit of conditional orders): cancelled once the position is confirmed flat.
    // Not while reads are held: its REST check would park the cycle until the back-off ends.
    if (d.lease.isLeader() && !d.snapshot.readsHeld()) await leftovers.run(d.snapshot.latest() ?? account, { confirmed: d.snapshot.confirmed(), leaderEpoch: d.lease.currentEpoch() });
    if (now - lastBalance >= BALANCE_EVERY_MS && !balanceRead) {
      lastBalance = now;
      // Not awaited: a read can be held by the request-weight back-off for up to a minute, and the
      // cycle must keep protecting positions meanwhile. One read at a time.
      balanceRead = d.exchange
        .fetchBalance()
        .then((balance) => recordAccountBalance(d.db, { asset: balance.asset, walletBalance: balance.total }))
        .catch((err) => d.log.warn({ err: err instanceof Error ? err.message : String(err) }, "[WORKER] balance read failed; the next one is in 30 s"))
        .finally(() => (balanceRead = null));
    }
  }

  const timer = setInterval(() => {
    if (running || stopped) return; // never overlap cycles
    running = tick()
      .catch((err) => d.log.error({ err: err instanceof Error ? err.message : String(err) }, "[WORKER] account cycle failed; next cycle retries"))
      .finally(() => (running = null));
  }, d.config.ACCOUNT_REFRESH_MS);

  return {
    ready: () => reconciled && d.lease.isLeader(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await balanceRead;
    },
  };
}
