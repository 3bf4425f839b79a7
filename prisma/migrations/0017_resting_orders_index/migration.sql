-- Issue 16: what rests on the exchange now, per position (the Orders and position pages ask every
-- 2 s): the placed orders whose last known status is open or triggered, or not yet seen. The
-- partial index of those rows (0015, on symbol and side) gains the id, so each position's oldest
-- few are read in order from the index instead of sorting all of the position's resting rows. Same
-- predicate: the lifecycle recorder's work list reads it as before.
DROP INDEX "exit_order_attempt_live_idx";
CREATE INDEX "exit_order_attempt_resting_idx" ON "exit_order_attempt" ("symbol", "position_side", "id")
  WHERE "outcome" = 'placed' AND ("exchange_status" IS NULL OR "exchange_status" IN ('open', 'triggered'));
