-- Exit Brain decisions (every evaluation in SHADOW, and LIVE decisions too), mirrored from the
-- JSONL shadow log, and the per-position comparison of Exit Brain against the legacy exits.
CREATE TABLE "shadow_decision" (
  "id"             BIGSERIAL        NOT NULL PRIMARY KEY,
  "at"             TIMESTAMPTZ(3)   NOT NULL,
  "position_key"   TEXT             NOT NULL,
  "symbol"         TEXT             NOT NULL,
  "side"           TEXT             NOT NULL CHECK ("side" IN ('long', 'short')),
  "size"           DOUBLE PRECISION NOT NULL,
  "entry_price"    DOUBLE PRECISION NOT NULL,
  "mark_price"     DOUBLE PRECISION NOT NULL,
  "pnl_pct"        DOUBLE PRECISION NOT NULL,
  "decision_type"  TEXT             NOT NULL CHECK ("decision_type" IN ('hold', 'move_sl', 'partial_close', 'full_exit_now', 'set_tp')),
  "confidence"     DOUBLE PRECISION NOT NULL CHECK ("confidence" >= 0 AND "confidence" <= 1),
  "reason"         TEXT             NOT NULL,
  "new_sl"         DOUBLE PRECISION,
  "sl_reason"      TEXT,
  "fraction"       DOUBLE PRECISION,
  "new_tp"         DOUBLE PRECISION,
  "exit_reason"    TEXT,
  "mode"           TEXT             NOT NULL CHECK ("mode" IN ('SHADOW', 'LIVE')),
  "toggle_version" BIGINT
);
CREATE INDEX "shadow_decision_at_idx" ON "shadow_decision" ("at");
CREATE INDEX "shadow_decision_symbol_at_idx" ON "shadow_decision" ("symbol", "at");
CREATE INDEX "shadow_decision_type_at_idx" ON "shadow_decision" ("decision_type", "at");
CREATE INDEX "shadow_decision_position_idx" ON "shadow_decision" ("position_key", "at");

CREATE TABLE "shadow_comparison" (
  "position_key"       TEXT             NOT NULL PRIMARY KEY,
  "symbol"             TEXT             NOT NULL,
  "side"               TEXT             NOT NULL CHECK ("side" IN ('long', 'short')),
  "size"               DOUBLE PRECISION NOT NULL,
  "entry_price"        DOUBLE PRECISION NOT NULL,
  "opened_at"          TIMESTAMPTZ(3)   NOT NULL,
  "closed_at"          TIMESTAMPTZ(3)   NOT NULL,
  "legacy_return_pct"  DOUBLE PRECISION NOT NULL,
  "brain_return_pct"   DOUBLE PRECISION NOT NULL,
  "legacy_exit"        TEXT             NOT NULL,
  "brain_exit"         TEXT             NOT NULL,
  "decisions"          INTEGER          NOT NULL,
  "computed_at"        TIMESTAMPTZ(3)   NOT NULL DEFAULT now()
);
CREATE INDEX "shadow_comparison_closed_at_idx" ON "shadow_comparison" ("closed_at");
