// Stores each open position's protection and dual-position flags (position_safety) for the status
// page, the health report and the watchdog. `unprotected_since` is kept from the first cycle a
// position was seen without a stop until one appears; rows of closed positions are removed.
import type pg from "pg";
import { assessPositionSafety } from "../../src/core/safety/position-safety";
import type { AccountSnapshot } from "./exchange-snapshot";

export async function recordPositionSafety(pool: pg.Pool, account: AccountSnapshot): Promise<{ positions: number; unprotected: number; dual: number }> {
  // A stop firing (TRIGGERING/TRIGGERED) for more than a few seconds no longer counts (stop-lifecycle.ts).
  const safety = assessPositionSafety(
    account.positions,
    account.openOrders.map((o) => ({
      symbol: o.symbol, side: o.side, type: o.type, reduceOnly: o.reduceOnly, closePosition: o.closePosition, stopPrice: o.triggerPrice,
      algoStatus: o.algoStatus ?? null, triggeringSince: o.triggeringSince ?? null,
    })),
    account.at,
  );
  const seenAt = new Date(account.at);
  const client = await pool.connect();
  // Checked-out clients have no error listener (pg-pool): a session ended by the server (restart)
  // must fail this call, not crash the worker.
  const onError = () => {};
  client.on("error", onError);
  let broken = false;
  try {
    await client.query("BEGIN");
    for (const s of safety) {
      const p = account.positions.find((x) => x.symbol === s.symbol && x.side === s.side)!;
      await client.query(
        `INSERT INTO position_safety (symbol, position_side, size, entry_price, mark_price, unrealized_pnl, protected, unprotected_since,
                                      dual_position, stop_price, take_profit_price, seen_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7, CASE WHEN $7 THEN NULL ELSE $11::timestamptz END, $8,$9,$10,$11)
         ON CONFLICT (symbol, position_side) DO UPDATE SET
           size = EXCLUDED.size, entry_price = EXCLUDED.entry_price, mark_price = EXCLUDED.mark_price,
           unrealized_pnl = EXCLUDED.unrealized_pnl, protected = EXCLUDED.protected,
           unprotected_since = CASE WHEN EXCLUDED.protected THEN NULL ELSE COALESCE(position_safety.unprotected_since, EXCLUDED.seen_at) END,
           dual_position = EXCLUDED.dual_position, stop_price = EXCLUDED.stop_price,
           take_profit_price = EXCLUDED.take_profit_price, seen_at = EXCLUDED.seen_at`,
        [s.symbol, s.side, p.size, p.entryPrice, p.markPrice, p.unrealizedPnl, s.protected, s.dualPosition, s.stopPrice, s.takeProfitPrice, seenAt],
      );
    }
    const keys = safety.map((s) => `${s.symbol}|${s.side}`);
    await client.query(`DELETE FROM position_safety WHERE NOT ((symbol || '|' || position_side) = ANY($1::text[]))`, [keys]);
    await client.query("COMMIT");
  } catch (err) {
    broken = !(await client.query("ROLLBACK").then(() => true, () => false));
    throw err;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
  return { positions: safety.length, unprotected: safety.filter((s) => !s.protected).length, dual: safety.filter((s) => s.dualPosition).length };
}
