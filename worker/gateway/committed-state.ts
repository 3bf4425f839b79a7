// The gateway's check right before a send: one statement that reads the committed toggle row and
// the committed leader term. No lock outlives the statement, so nothing the database does ever
// waits for the exchange (invariant 11):
//   - the toggle row is read FOR SHARE inside this one statement only. A kill switch that holds
//     the row (its UPDATE) makes the check wait the few ms until it commits, then read the new row;
//     a kill switch that comes later waits at most for this statement. So "the check read version
//     v < k" is the same as "the check happened before the commit of version k".
//   - the leader row is only read: the send's deadline is made to end before the lease the check
//     read can expire (src/core/gateway/send-window.ts), which is what fences a former leader.
// Any failure (database unreachable, a lock not granted in time) is an unconfirmed state, which
// is never LIVE and never confirms a term.
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { sendWindow, type LeaderTerm, type SendWindow } from "../../src/core/gateway/send-window";
import { resolveOperationalState, type OperationalState, type ParsedCeilings } from "../../src/core/toggles";
import { fromRow, toggleRowColumns, type ToggleRow } from "../../src/server/db/toggle-row";

export interface CommittedState {
  state: OperationalState;
  version: number | null;
  confirmed: boolean;
}

export interface SendCheck {
  committed: CommittedState;
  /** fencing and the send's time budget; ok:false = must not send */
  window: SendWindow;
  /** when the check read the row (database clock); null when unconfirmed */
  checkedAt: Date | null;
  /** performance.now() just before the check was sent: the send's deadline counts from here */
  issuedAt: number;
}

export interface SendCheckOptions {
  maxSendMs: number;
  leaseMarginMs: number;
  minSendMs: number;
}

const CHECK = `SELECT ${toggleRowColumns("t")},
    clock_timestamp() AS "checkedAt", l.epoch::text AS "termEpoch", l.holder_id AS "termHolder",
    (EXTRACT(EPOCH FROM (l.lease_until - clock_timestamp())) * 1000)::float8 AS "leaseLeftMs"
  FROM exit_toggles t LEFT JOIN worker_leader l ON l.id = 1
  WHERE t.id = 1 FOR SHARE OF t`;

interface CheckRow extends ToggleRow {
  checkedAt: Date;
  termEpoch: string | null;
  termHolder: string | null;
  leaseLeftMs: number | null;
}

/**
 * `fenceEpoch`: undefined = single worker (no fencing); null = HA on but this order has no
 * epoch (not decided by a leader) -> fenced; a number = checked against the committed term.
 */
export async function checkCommittedState(pool: pg.Pool, ceilings: ParsedCeilings, fenceEpoch: number | null | undefined, o: SendCheckOptions): Promise<SendCheck> {
  const issuedAt = performance.now();
  let row: CheckRow | undefined;
  try {
    row = (await pool.query<CheckRow>(CHECK)).rows[0];
  } catch {
    row = undefined;
  }
  if (!row) {
    // Cannot confirm the stored state: unknown is never LIVE, and no term can be confirmed either.
    return {
      committed: { state: "EXIT_BRAIN_V3_SHADOW", version: null, confirmed: false },
      window: fenceEpoch === undefined ? { ok: true, sendMs: o.maxSendMs } : { ok: false, reason: "fenced: leader term cannot be confirmed (database unreachable)" },
      checkedAt: null,
      issuedAt,
    };
  }
  const stored = fromRow(row);
  const res = resolveOperationalState({ stored: stored.toggles, ceilings: ceilings.ceilings });
  const term: LeaderTerm | null = row.termEpoch === null ? null : { epoch: Number(row.termEpoch), holderId: row.termHolder ?? "?", leaseLeftMs: row.leaseLeftMs ?? 0 };
  return {
    committed: { state: res.operationalState, version: stored.version, confirmed: true },
    window: sendWindow({ orderEpoch: fenceEpoch, term, maxSendMs: o.maxSendMs, leaseMarginMs: o.leaseMarginMs, minSendMs: o.minSendMs }),
    checkedAt: row.checkedAt,
    issuedAt,
  };
}
