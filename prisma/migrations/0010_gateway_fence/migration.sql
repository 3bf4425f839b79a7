-- Issue 12: the gateway no longer holds a lock across the exchange call. Each send is checked in
-- one short statement that records, on the attempt, what it checked and until when the send may
-- land; the kill switch never waits for a send, and an order checked before its commit is found
-- (and listed) afterwards by these columns.
--   checked_at        when the gateway's last pre-send check read the committed state (database clock)
--   checked_version   the toggle version that check read
--   checked_epoch     the leader term that check confirmed (null: single worker, no fencing)
--   send_deadline_at  the check's deadline: no request of this send can reach the venue after it
--                     (the HTTP request is aborted and the venue refuses it by recvWindow)
--   in_flight_at_kill_switch  the toggle version of the rollback this order was in flight at
--                     (checked before the commit, deadline after it); null otherwise
ALTER TABLE "exit_order_attempt"
  ADD COLUMN "checked_at" TIMESTAMPTZ(3),
  ADD COLUMN "checked_version" BIGINT,
  ADD COLUMN "checked_epoch" BIGINT,
  ADD COLUMN "send_deadline_at" TIMESTAMPTZ(3),
  ADD COLUMN "in_flight_at_kill_switch" BIGINT;

-- The worker's "in flight at kill switch" look-up: recent sends by deadline.
CREATE INDEX "exit_order_attempt_send_deadline_at_idx" ON "exit_order_attempt" ("send_deadline_at");
