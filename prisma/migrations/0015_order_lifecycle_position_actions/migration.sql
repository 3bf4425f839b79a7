-- Issue 16: what happened to each exit order on the exchange, and the operator's per-position
-- actions (hand back to legacy, close now).

-- The order's life on the exchange after the gateway placed it, as the worker's leader last
-- learned it (open orders each account refresh; an order that left them is looked up by its
-- client order id). NULL: not placed, or not yet seen by the lifecycle recorder.
--   exchange_status     open | triggered | filled | cancelled | expired | rejected
--   exchange_status_at  when the worker recorded that status (database clock)
--   filled_quantity, fill_price   what filled, at which average price (filled only)
--   fee, fee_asset      the commission, when the exchange reported it (the order query does not;
--                       the user-data stream does)
--   cancelled_by        the module that cancelled it through the gateway (exit_executor,
--                       reconcile, operator_action), or 'exchange' for a cancel nobody here sent
--   cancel_reason       why, in words
ALTER TABLE "exit_order_attempt"
  ADD COLUMN "exchange_status" TEXT CHECK ("exchange_status" IN ('open', 'triggered', 'filled', 'cancelled', 'expired', 'rejected')),
  ADD COLUMN "exchange_status_at" TIMESTAMPTZ(3),
  ADD COLUMN "filled_quantity" DOUBLE PRECISION,
  ADD COLUMN "fill_price" DOUBLE PRECISION,
  ADD COLUMN "fee" DOUBLE PRECISION,
  ADD COLUMN "fee_asset" TEXT,
  ADD COLUMN "cancelled_by" TEXT,
  ADD COLUMN "cancel_reason" TEXT;

-- The lifecycle recorder's work list (placed, not finished) and "what rests now" per position.
CREATE INDEX "exit_order_attempt_live_idx" ON "exit_order_attempt" ("symbol", "position_side")
  WHERE "outcome" = 'placed' AND ("exchange_status" IS NULL OR "exchange_status" IN ('open', 'triggered'));
-- The Orders page filtered by symbol, newest first (keyset on id).
CREATE INDEX "exit_order_attempt_symbol_id_idx" ON "exit_order_attempt" ("symbol", "id" DESC);
CREATE INDEX "exit_order_attempt_status_id_idx" ON "exit_order_attempt" ("exchange_status", "id" DESC);

-- One row per status change the worker saw, so the page can show the order's whole life.
CREATE TABLE "exit_order_event" (
  "id"          BIGSERIAL      NOT NULL PRIMARY KEY,
  "attempt_id"  BIGINT         NOT NULL REFERENCES "exit_order_attempt" ("id") ON DELETE CASCADE,
  "at"          TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "status"      TEXT           NOT NULL CHECK ("status" IN ('open', 'triggered', 'filled', 'cancelled', 'expired', 'rejected')),
  "detail"      TEXT
);
CREATE INDEX "exit_order_event_attempt_idx" ON "exit_order_event" ("attempt_id", "id");

-- An operator's request for one position. The web process only inserts it (with its audit row,
-- in one transaction); the worker's leader carries it out through the gateway and records its
-- progress here. At most one unfinished action per position.
CREATE TABLE "position_action" (
  "id"            BIGSERIAL      NOT NULL PRIMARY KEY,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "kind"          TEXT           NOT NULL CHECK ("kind" IN ('hand_back', 'close_now')),
  "symbol"        TEXT           NOT NULL,
  "position_side" TEXT           NOT NULL CHECK ("position_side" IN ('long', 'short')),
  "requested_by"  TEXT           NOT NULL,
  "reason"        TEXT           NOT NULL,
  "status"        TEXT           NOT NULL DEFAULT 'requested' CHECK ("status" IN ('requested', 'running', 'done', 'failed')),
  "steps"         JSONB          NOT NULL DEFAULT '[]',
  "error"         TEXT,
  "leader_epoch"  BIGINT,
  "started_at"    TIMESTAMPTZ(3),
  "finished_at"   TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "position_action_one_open_idx" ON "position_action" ("symbol", "position_side")
  WHERE "status" IN ('requested', 'running');
CREATE INDEX "position_action_symbol_idx" ON "position_action" ("symbol", "id" DESC);

-- Who asked for what, append-only (the runtime role may only read and insert: roles.ts).
CREATE TABLE "position_action_audit" (
  "id"            BIGSERIAL      NOT NULL PRIMARY KEY,
  "at"            TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "action_id"     BIGINT         NOT NULL,
  "actor"         TEXT           NOT NULL,
  "kind"          TEXT           NOT NULL,
  "symbol"        TEXT           NOT NULL,
  "position_side" TEXT           NOT NULL,
  "reason"        TEXT           NOT NULL,
  "event"         TEXT           NOT NULL
);
CREATE INDEX "position_action_audit_at_idx" ON "position_action_audit" ("at" DESC, "id" DESC);
CREATE TRIGGER "position_action_audit_no_update_delete" BEFORE UPDATE OR DELETE ON "position_action_audit"
  FOR EACH ROW EXECUTE FUNCTION "audit_forbid_change"();
CREATE TRIGGER "position_action_audit_no_truncate" BEFORE TRUNCATE ON "position_action_audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_forbid_change"();

-- Positions an operator handed back to the legacy modules: while one is open, the executor does
-- not manage it even in LIVE, and the legacy modules protect it. Removed when the position closes.
CREATE TABLE "position_handback" (
  "symbol"          TEXT           NOT NULL,
  "position_side"   TEXT           NOT NULL CHECK ("position_side" IN ('long', 'short')),
  "action_id"       BIGINT         NOT NULL,
  "handed_back_at"  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("symbol", "position_side")
);
