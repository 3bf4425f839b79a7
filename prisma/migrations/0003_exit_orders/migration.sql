-- Every exit order attempt that reached the gateway, whatever the outcome. The runbook's
-- metrics are derived from this table, so they survive restarts and can be windowed.
CREATE TABLE "exit_order_attempt" (
  "id"                 BIGSERIAL      NOT NULL PRIMARY KEY,
  "created_at"         TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at"         TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "module"             TEXT           NOT NULL,
  "kind"               TEXT           NOT NULL CHECK ("kind" IN ('sl', 'tp', 'partial_tp', 'close', 'trailing')),
  "symbol"             TEXT           NOT NULL,
  "side"               TEXT           NOT NULL CHECK ("side" IN ('buy', 'sell')),
  "position_side"      TEXT           NOT NULL CHECK ("position_side" IN ('long', 'short')),
  "order_type"         TEXT           NOT NULL,
  "quantity"           DOUBLE PRECISION NOT NULL,
  "stop_price"         DOUBLE PRECISION,
  "reduce_only"        BOOLEAN        NOT NULL,
  "client_order_id"    TEXT           NOT NULL,
  "decision_id"        TEXT           NOT NULL,
  "operational_state"  TEXT           NOT NULL,
  "toggle_version"     BIGINT,
  "leader_epoch"       BIGINT,
  "verdict"            TEXT           NOT NULL CHECK ("verdict" IN ('allow', 'allow_conflict', 'deny')),
  "ownership_conflict" BOOLEAN        NOT NULL DEFAULT false,
  "outcome"            TEXT           NOT NULL CHECK ("outcome" IN ('pending', 'placed', 'blocked', 'rejected', 'failed')),
  "deny_reason"        TEXT,
  "exchange_order_id"  TEXT,
  "error"              TEXT,
  "tries"              INTEGER        NOT NULL DEFAULT 0,
  CONSTRAINT "exit_order_attempt_client_order_id_key" UNIQUE ("client_order_id")
);
CREATE INDEX "exit_order_attempt_created_at_idx" ON "exit_order_attempt" ("created_at" DESC);
CREATE INDEX "exit_order_attempt_module_idx" ON "exit_order_attempt" ("module", "created_at");
CREATE INDEX "exit_order_attempt_outcome_idx" ON "exit_order_attempt" ("outcome", "created_at");

-- Per-position protection as last seen by the worker (status page, health, watchdog).
CREATE TABLE "position_safety" (
  "symbol"          TEXT           NOT NULL,
  "position_side"   TEXT           NOT NULL CHECK ("position_side" IN ('long', 'short')),
  "size"            DOUBLE PRECISION NOT NULL,
  "entry_price"     DOUBLE PRECISION NOT NULL,
  "mark_price"      DOUBLE PRECISION NOT NULL,
  "unrealized_pnl"  DOUBLE PRECISION NOT NULL,
  "protected"       BOOLEAN        NOT NULL,
  "unprotected_since" TIMESTAMPTZ(3),
  "dual_position"   BOOLEAN        NOT NULL,
  "stop_price"      DOUBLE PRECISION,
  "take_profit_price" DOUBLE PRECISION,
  "seen_at"         TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY ("symbol", "position_side")
);
