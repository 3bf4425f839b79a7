// After a rollback out of LIVE (the kill switch, or rollback B/C): list the executor orders that
// were in flight when it committed. The gateway never holds a lock across a send, so the switch
// commits at once; an order whose check read an earlier version (= its check came before the
// commit: committed-state.ts) may still land, at the latest at its send deadline. Once every such
// deadline has passed, each of them is marked with the rollback's version and logged with its
// outcome. Orders that landed stay: they are reduce-only, and a protective stop is never
// cancelled by a rollback.
import type pg from "pg";
import type { Logger } from "../../src/server/logger";
import type { ToggleView, ToggleWatcher } from "../toggles/toggle-watcher";

export interface InFlightOrder {
  clientOrderId: string;
  symbol: string;
  kind: string;
  outcome: string;
  exchangeOrderId: string | null;
  checkedVersion: number;
}

/**
 * Marks and returns the executor attempts checked under a version below `version` whose send
 * deadline had not passed when the rollback's transaction began (its audit row's time). Idempotent.
 */
export async function markInFlightAtRollback(pool: pg.Pool, version: number): Promise<InFlightOrder[]> {
  const { rows } = await pool.query<InFlightOrder & { checkedVersion: string }>(
    `UPDATE exit_order_attempt a SET in_flight_at_kill_switch = $1::bigint
       FROM toggle_audit k
      WHERE k.version_after = $1::bigint AND a.module = 'exit_executor' AND a.checked_version < $1::bigint
        AND a.send_deadline_at > k.at AND a.in_flight_at_kill_switch IS NULL
      RETURNING a.client_order_id AS "clientOrderId", a.symbol, a.kind, a.outcome, a.exchange_order_id AS "exchangeOrderId",
        a.checked_version::text AS "checkedVersion"`,
    [version],
  );
  return rows.map((r) => ({ ...r, checkedVersion: Number(r.checkedVersion) }));
}

export interface InFlightWatchOptions {
  toggles: Pick<ToggleWatcher, "on" | "off">;
  pool: pg.Pool;
  log: Logger;
  /** the longest a send can last (the gateway's deadline) */
  sendDeadlineMs: number;
}

/** On every confirmed change that leaves LIVE, lists the orders in flight at it once they settled. */
export function watchInFlightAtRollback(o: InFlightWatchOptions): { stop(): void } {
  const timers = new Set<NodeJS.Timeout>();
  const onChange = (view: ToggleView, prev: ToggleView | null) => {
    if (prev?.state !== "EXIT_BRAIN_V3_LIVE" || view.state === "EXIT_BRAIN_V3_LIVE" || !view.confirmed || view.version === null) return;
    const version = view.version;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void markInFlightAtRollback(o.pool, version).then(
        (orders) => {
          const landed = orders.filter((x) => x.outcome === "placed").length;
          o.log.info(`[EXIT_GATEWAY] rollback to version ${version}: ${orders.length} executor order(s) were in flight at it (checked before the commit), ${landed} landed; they stay (reduce-only)`);
          for (const x of orders) {
            o.log.warn(`[EXIT_GATEWAY] in flight at kill switch (version ${version}): ${x.kind} ${x.symbol} ${x.clientOrderId} checked at version ${x.checkedVersion} -> ${x.outcome}${x.exchangeOrderId ? ` (order ${x.exchangeOrderId})` : ""}`);
          }
        },
        (err: unknown) => o.log.error({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_GATEWAY] could not list the orders in flight at rollback version ${version}`),
      );
    }, o.sendDeadlineMs + 500);
    timers.add(timer);
  };
  o.toggles.on("change", onChange);
  return {
    stop() {
      o.toggles.off("change", onChange);
      for (const t of timers) clearTimeout(t);
    },
  };
}
