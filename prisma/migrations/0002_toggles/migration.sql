-- The three toggles as one versioned row, and an append-only audit trail.

CREATE TABLE "exit_toggles" (
  "id"                         SMALLINT       NOT NULL PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
  "exit_mode"                  TEXT           NOT NULL CHECK ("exit_mode" IN ('LEGACY', 'EXIT_BRAIN_V3')),
  "exit_executor_mode"         TEXT           NOT NULL CHECK ("exit_executor_mode" IN ('SHADOW', 'LIVE')),
  "exit_brain_v3_live_rollout" TEXT           NOT NULL CHECK ("exit_brain_v3_live_rollout" IN ('DISABLED', 'ENABLED')),
  "version"                    BIGINT         NOT NULL CHECK ("version" > 0),
  "updated_at"                 TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_by"                 TEXT           NOT NULL
);

CREATE TABLE "toggle_audit" (
  "id"             BIGSERIAL      NOT NULL PRIMARY KEY,
  "at"             TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "actor"          TEXT           NOT NULL,
  "source"         TEXT           NOT NULL CHECK ("source" IN ('dashboard', 'api', 'cli', 'env', 'watchdog')),
  "kind"           TEXT           NOT NULL CHECK ("kind" IN ('escalation', 'rollback', 'neutral')),
  "reason"         TEXT,
  "version_before" BIGINT,
  "version_after"  BIGINT         NOT NULL,
  "toggles_before" JSONB,
  "toggles_after"  JSONB          NOT NULL,
  "state_before"   TEXT,
  "state_after"    TEXT           NOT NULL,
  -- escalations and rollbacks must say why
  CONSTRAINT "toggle_audit_reason_required" CHECK ("kind" = 'neutral' OR length(btrim(coalesce("reason", ''))) > 0)
);
CREATE INDEX "toggle_audit_at_idx" ON "toggle_audit" ("at" DESC, "id" DESC);

-- Audit rows can never be changed or removed, whoever connects (enforced here, not in code).
CREATE FUNCTION "toggle_audit_forbid_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'toggle_audit is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "toggle_audit_no_update_delete" BEFORE UPDATE OR DELETE ON "toggle_audit"
  FOR EACH ROW EXECUTE FUNCTION "toggle_audit_forbid_change"();
CREATE TRIGGER "toggle_audit_no_truncate" BEFORE TRUNCATE ON "toggle_audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "toggle_audit_forbid_change"();

-- Requests to go LIVE that need a second operator's approval (REQUIRE_LIVE_APPROVAL=true).
CREATE TABLE "live_request" (
  "id"           BIGSERIAL      NOT NULL PRIMARY KEY,
  "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "requested_by" TEXT           NOT NULL,
  "reason"       TEXT           NOT NULL,
  "expires_at"   TIMESTAMPTZ(3) NOT NULL,
  "status"       TEXT           NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'approved', 'expired', 'cancelled')),
  "decided_at"   TIMESTAMPTZ(3),
  "decided_by"   TEXT
);
CREATE INDEX "live_request_status_idx" ON "live_request" ("status", "requested_at" DESC);
