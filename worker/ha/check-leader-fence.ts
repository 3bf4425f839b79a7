// Fencing at submit time. Call it inside the gateway's transaction, right before the order is
// sent, with the epoch the order was decided under. It locks the lease row FOR SHARE, so no new
// term can commit while the order leaves; and it refuses when the committed epoch differs or the
// lease has run out. A paused former leader that wakes up therefore cannot send: by then a new
// term has committed (epoch + 1) or its own lease has expired.
import type pg from "pg";
import { SELECT_TERM_FOR_SHARE } from "./lease-sql";

export type FenceResult = { ok: true; epoch: number } | { ok: false; reason: string };

/** `client` must be inside a transaction (BEGIN ... COMMIT): the share lock lasts until it ends. */
export async function checkLeaderFence(client: pg.ClientBase, orderEpoch: number): Promise<FenceResult> {
  const { rows } = await client.query<{ epoch: string; holderId: string; leaseLive: boolean }>(SELECT_TERM_FOR_SHARE);
  const term = rows[0];
  if (!term) return { ok: false, reason: `fenced: order epoch ${orderEpoch} but no leader term has ever been committed` };
  const committed = Number(term.epoch);
  if (committed !== orderEpoch) {
    return { ok: false, reason: `fenced: stale leader epoch ${orderEpoch} (committed epoch ${committed}, held by ${term.holderId}): a former leader may not send orders` };
  }
  if (!term.leaseLive) {
    return { ok: false, reason: `fenced: the lease of epoch ${orderEpoch} has expired (not renewed in time): a leader that lost its lease may not send orders` };
  }
  return { ok: true, epoch: committed };
}
