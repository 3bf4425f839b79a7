-- Notifications (issue 16): one webhook sink, an outbox, and deliveries that are recorded.
--
-- The outbox rows for toggle changes and LIVE requests are written by triggers, so they commit in
-- the same transaction as the event itself whoever makes the change (dashboard, API, CLI, env,
-- watchdog): a change that commits always has its notification queued, and a change that rolls
-- back never notifies. The worker (worker/notifications) delivers them with retries and back-off
-- and records every attempt's outcome on the row, so nothing is lost silently.

-- One row: the webhook sink, set up by an admin on the dashboard. The URL is a secret (chat
-- services put the token in the path): the web server only ever sends a masked form to browsers.
CREATE TABLE "notification_settings" (
  "id"                  SMALLINT       NOT NULL PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
  "webhook_url"         TEXT,
  "enabled"             BOOLEAN        NOT NULL DEFAULT TRUE,
  "unprotected_grace_s" INTEGER        NOT NULL DEFAULT 60 CHECK ("unprotected_grace_s" BETWEEN 0 AND 86400),
  "updated_at"          TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_by"          TEXT           NOT NULL
);

CREATE TABLE "notification_outbox" (
  "id"              BIGSERIAL      NOT NULL PRIMARY KEY,
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "event"           TEXT           NOT NULL CHECK ("event" IN (
                      'toggle_change', 'rollback', 'watchdog_rollback', 'live_request_pending',
                      'live_request_approved', 'live_request_closed', 'unprotected_position', 'test')),
  -- one notification per occurrence (e.g. one per unprotected episode of a position)
  "dedupe_key"      TEXT           UNIQUE,
  "payload"         JSONB          NOT NULL,
  "status"          TEXT           NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'delivered', 'failed', 'no_sink')),
  "attempts"        INTEGER        NOT NULL DEFAULT 0 CHECK ("attempts" >= 0),
  "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "last_attempt_at" TIMESTAMPTZ(3),
  "last_http_status" INTEGER,
  "last_error"      TEXT,
  "delivered_at"    TIMESTAMPTZ(3)
);
CREATE INDEX "notification_outbox_due_idx" ON "notification_outbox" ("next_attempt_at", "id") WHERE "status" = 'pending';
CREATE INDEX "notification_outbox_created_idx" ON "notification_outbox" ("created_at" DESC, "id" DESC);

-- Every toggle change (one audit row each) queues one notification in the same transaction.
-- Schema-qualified: it fires inside exit_toggles_change(), whose search_path is pg_catalog only.
CREATE FUNCTION "notification_on_toggle_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public."notification_outbox" ("event", "dedupe_key", "payload")
  VALUES (
    CASE WHEN NEW."kind" = 'rollback' AND NEW."source" = 'watchdog' THEN 'watchdog_rollback'
         WHEN NEW."kind" = 'rollback' THEN 'rollback'
         ELSE 'toggle_change' END,
    'toggle_audit:' || NEW."id",
    jsonb_build_object(
      'audit_id', NEW."id", 'at', NEW."at", 'actor', NEW."actor", 'source', NEW."source",
      'kind', NEW."kind", 'reason', NEW."reason", 'version_before', NEW."version_before",
      'version_after', NEW."version_after", 'toggles_after', NEW."toggles_after",
      'state_before', NEW."state_before", 'state_after', NEW."state_after"));
  RETURN NULL;
END;
$$;
CREATE TRIGGER "toggle_audit_notify" AFTER INSERT ON "toggle_audit"
  FOR EACH ROW EXECUTE FUNCTION "notification_on_toggle_audit"();

-- A LIVE request waiting for a second operator, and its outcome.
CREATE FUNCTION "notification_on_live_request"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public."notification_outbox" ("event", "dedupe_key", "payload")
    VALUES ('live_request_pending', 'live_request:' || NEW."id" || ':pending',
      jsonb_build_object('request_id', NEW."id", 'requested_by', NEW."requested_by", 'reason', NEW."reason",
                         'requested_at', NEW."requested_at", 'expires_at', NEW."expires_at"));
  ELSIF NEW."status" IS DISTINCT FROM OLD."status" AND NEW."status" <> 'pending' THEN
    INSERT INTO public."notification_outbox" ("event", "dedupe_key", "payload")
    VALUES (CASE WHEN NEW."status" = 'approved' THEN 'live_request_approved' ELSE 'live_request_closed' END,
      'live_request:' || NEW."id" || ':' || NEW."status",
      jsonb_build_object('request_id', NEW."id", 'requested_by', NEW."requested_by", 'reason', NEW."reason",
                         'status', NEW."status", 'decided_by', NEW."decided_by", 'decided_at', NEW."decided_at"))
    ON CONFLICT ("dedupe_key") DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "live_request_notify" AFTER INSERT OR UPDATE OF "status" ON "live_request"
  FOR EACH ROW EXECUTE FUNCTION "notification_on_live_request"();
