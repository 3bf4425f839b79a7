// Is epoch N still the committed, live leader term? A plain read: no lock on the lease row, so
// a renewal or a takeover never waits for anyone checking it. The gateway does not use this
// directly; its pre-send check (worker/gateway/committed-state.ts) reads the term in the same
// statement as the toggles and bounds the send by the lease time left (src/core/gateway/send-window.ts).
import type pg from "pg";
import { sendWindow } from "../../src/core/gateway/send-window";
import { SELECT_TERM } from "./lease-sql";

export type FenceResult = { ok: true; epoch: number } | { ok: false; reason: string };

export async function checkLeaderFence(client: Pick<pg.ClientBase, "query">, orderEpoch: number): Promise<FenceResult> {
  const { rows } = await client.query<{ epoch: string; holderId: string; leaseLeftMs: number }>(SELECT_TERM);
  const row = rows[0];
  const term = row ? { epoch: Number(row.epoch), holderId: row.holderId, leaseLeftMs: row.leaseLeftMs } : null;
  const w = sendWindow({ orderEpoch, term, maxSendMs: Number.MAX_SAFE_INTEGER, leaseMarginMs: 0, minSendMs: 0 });
  return w.ok ? { ok: true, epoch: orderEpoch } : w;
}
