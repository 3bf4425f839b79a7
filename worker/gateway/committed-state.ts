// Reads the committed toggle row under a FOR SHARE lock, right before an order is sent. A kill
// switch (UPDATE ... FOR UPDATE) cannot commit while the lock is held, so an order that passed
// this check was sent before any kill switch committed: no executor order after the switch.
import pg from "pg";
import { resolveOperationalState, type OperationalState, type ParsedCeilings } from "../../src/core/toggles";
import { fromRow } from "../../src/server/services/toggles/toggle-row";
import { checkLeaderFence } from "../ha/check-leader-fence";

export interface CommittedState {
  state: OperationalState;
  version: number | null;
  confirmed: boolean;
}

export interface StateLock {
  committed: CommittedState;
  /** fencing (HA on): ok when the order's epoch is the committed, live leader term */
  fence: { ok: true } | { ok: false; reason: string };
  /** ends the transaction (releases the lock); idempotent */
  release(): Promise<void>;
}

const SELECT_FOR_SHARE = `SELECT exit_mode AS "exitMode", exit_executor_mode AS "exitExecutorMode",
  exit_brain_v3_live_rollout AS "exitBrainV3LiveRollout", version, updated_at AS "updatedAt", updated_by AS "updatedBy"
  FROM exit_toggles WHERE id = 1 FOR SHARE`;

/**
 * `fenceEpoch`: undefined = single worker (no fencing); null = HA on but this order has no
 * epoch (not decided by a leader) -> fenced; a number = checked against the committed term.
 */
export async function lockCommittedState(pool: pg.Pool, ceilings: ParsedCeilings, fenceEpoch?: number | null): Promise<StateLock> {
  let client: pg.PoolClient | undefined;
  // pg-pool drops its own error listener while a client is checked out: without ours, the server
  // ending the session while we hold it (a PostgreSQL restart) would crash the worker. The error
  // still surfaces through the pending or next query.
  const onError = () => {};
  try {
    client = await pool.connect();
    client.on("error", onError);
    await client.query("BEGIN");
    const { rows } = await client.query(SELECT_FOR_SHARE);
    const row = rows[0] as Parameters<typeof fromRow>[0] | undefined;
    if (!row) throw new Error("no toggle row");
    const stored = fromRow({ ...row, version: BigInt(row.version) });
    const res = resolveOperationalState({ stored: stored.toggles, ceilings: ceilings.ceilings });
    let fence: StateLock["fence"] = { ok: true };
    if (fenceEpoch === null) fence = { ok: false, reason: "fenced: this worker is not the leader (no epoch): only the leader may send orders" };
    else if (fenceEpoch !== undefined) fence = await checkLeaderFence(client, fenceEpoch);
    const held = client;
    let done = false;
    return {
      committed: { state: res.operationalState, version: stored.version, confirmed: true },
      fence,
      async release() {
        if (done) return;
        done = true;
        const ok = await held.query("COMMIT").then(() => true, () => false);
        held.off("error", onError);
        held.release(!ok); // a client whose COMMIT failed is not reused
      },
    };
  } catch {
    // Cannot confirm the stored state: unknown is never LIVE.
    if (client) {
      await client.query("ROLLBACK").catch(() => {});
      client.off("error", onError);
      client.release(true);
    }
    return {
      committed: { state: "EXIT_BRAIN_V3_SHADOW", version: null, confirmed: false },
      // Without the database no term can be confirmed either.
      fence: fenceEpoch === undefined ? { ok: true } : { ok: false, reason: "fenced: leader term cannot be confirmed (database unreachable)" },
      release: async () => {},
    };
  }
}
