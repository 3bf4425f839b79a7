// After a rollback out of LIVE (the kill switch, or rollback B/C): list the executor orders that
// were in flight when it committed. The gateway never holds a lock across a send, so the switch
// commits at once; an order whose check read an earlier version (= its check came before the
// commit: committed-state.ts) may still land, at the latest at its send deadline. They are marked
// with the rollback's version as soon as the worker sees it (before any later check of the same
// decision can overwrite what was checked), and logged with their outcomes once every such
// deadline has passed. Orders that landed stay: they are reduce-only, and a protective stop is
// never cancelled by a rollback.
import type pg from "pg";
import type { Logger } from "../../src/server/logger";
import type { ToggleView, ToggleWatcher } from "../toggles/toggle-watcher";

export interface InFlightOrder {
  id: number;
  clientOrderId: string;
  symbol: string;
  kind: string;
  outcome: string;
  exchangeOrderId: string | null;
  checkedVersion: number;
}

const RETURNING = `a.id::text AS id, a.client_order_id AS "clientOrderId", a.symbol, a.kind, a.outcome,
  a.exchange_order_id AS "exchangeOrderId", a.checked_version::text AS "checkedVersion"`;
type Row = Omit<InFlightOrder, "id" | "checkedVersion"> & { id: string; checkedVersion: string };
const toOrder = (r: Row): InFlightOrder => ({ ...r, id: Number(r.id), checkedVersion: Number(r.checkedVersion) });

/**
 * Marks and returns the executor attempts checked under a version below `version` that were still
 * out when the rollback's transaction began (its audit row's time): their send deadline had not
 * passed and their outcome was not yet recorded. The column
 * keeps the latest rollback an attempt was in flight at. Idempotent.
 */
export async function markInFlightAtRollback(pool: pg.Pool, version: number): Promise<InFlightOrder[]> {
  const { rows } = await pool.query<Row>(
    `UPDATE exit_order_attempt a SET in_flight_at_kill_switch = $1::bigint
       FROM toggle_audit k
      WHERE k.version_after = $1::bigint AND a.module = 'exit_executor' AND a.checked_version < $1::bigint
        AND a.send_deadline_at > k.at AND (a.in_flight_at_kill_switch IS NULL OR a.in_flight_at_kill_switch < $1::bigint)
        -- not an order whose outcome was already recorded before the rollback began: it was done,
        -- not in flight, even though its deadline had not passed yet
        AND (a.outcome = 'pending' OR a.updated_at > k.at)
      RETURNING ${RETURNING}`,
    [version],
  );
  return rows.map(toOrder);
}

/** The attempts' current outcomes, by id. */
async function outcomes(pool: pg.Pool, ids: number[]): Promise<InFlightOrder[]> {
  const { rows } = await pool.query<Row>(`SELECT ${RETURNING} FROM exit_order_attempt a WHERE a.id = ANY($1::bigint[]) ORDER BY a.id`, [ids]);
  return rows.map(toOrder);
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
    const report = (orders: InFlightOrder[]) => {
      const landed = orders.filter((x) => x.outcome === "placed").length;
      o.log.info(`[EXIT_GATEWAY] rollback to version ${version}: ${orders.length} executor order(s) were in flight at it (checked before the commit), ${landed} landed; they stay (reduce-only)`);
      for (const x of orders) {
        o.log.warn(`[EXIT_GATEWAY] in flight at kill switch (version ${version}): ${x.kind} ${x.symbol} ${x.clientOrderId} checked at version ${x.checkedVersion} -> ${x.outcome}${x.exchangeOrderId ? ` (order ${x.exchangeOrderId})` : ""}`);
      }
    };
    const failed = (err: unknown) => o.log.error({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_GATEWAY] could not list the orders in flight at rollback version ${version}`);
    // Mark now (what each attempt was checked against is still the check before the switch), report
    // the outcomes once every deadline has passed.
    void markInFlightAtRollback(o.pool, version).then((marked) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void (marked.length === 0 ? Promise.resolve([]) : outcomes(o.pool, marked.map((m) => m.id))).then(report, failed);
      }, o.sendDeadlineMs + 500);
      timers.add(timer);
    }, failed);
  };
  o.toggles.on("change", onChange);
  return {
    stop() {
      o.toggles.off("change", onChange);
      for (const t of timers) clearTimeout(t);
    },
  };
}
