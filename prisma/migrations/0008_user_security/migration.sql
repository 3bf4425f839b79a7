-- Sign-in and session hardening (issue 13, web half).
--
-- 1. app_user.session_version: every session cookie carries the version it was issued under and
--    every request compares it with this column, so a password change or reset, a role change,
--    disabling the account and "sign out everywhere" end every existing session at once.
-- 2. app_user.must_change_password: set for the generated first-admin password (and generated
--    resets); such a session can do nothing but change the password.
-- 3. user_audit: one row per user-management action (add, role change, password reset or change,
--    disable/enable, revoke sessions). Append-only like toggle_audit: triggers refuse UPDATE,
--    DELETE and TRUNCATE whoever connects.
-- 4. login_known_address: the addresses an account signed in from successfully; sign-ins from
--    them are exempt from the per-account delay an attacker elsewhere can cause.
ALTER TABLE "app_user"
  ADD COLUMN "session_version"      INTEGER NOT NULL DEFAULT 1 CHECK ("session_version" >= 1),
  ADD COLUMN "must_change_password" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "user_audit" (
  "id"             BIGSERIAL      NOT NULL PRIMARY KEY,
  "at"             TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "actor"          TEXT           NOT NULL CHECK (length(btrim("actor")) > 0),
  "source"         TEXT           NOT NULL CHECK ("source" IN ('web', 'cli', 'system')),
  "action"         TEXT           NOT NULL CHECK ("action" IN (
                     'add', 'set_role', 'reset_password', 'change_password',
                     'disable', 'enable', 'revoke_sessions', 'first_admin')),
  "target_user_id" UUID,
  "target_email"   TEXT           NOT NULL,
  "detail"         JSONB          NOT NULL DEFAULT '{}'
);
CREATE INDEX "user_audit_at_idx" ON "user_audit" ("at" DESC, "id" DESC);

CREATE FUNCTION "user_audit_forbid_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'user_audit is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "user_audit_no_update_delete" BEFORE UPDATE OR DELETE ON "user_audit"
  FOR EACH ROW EXECUTE FUNCTION "user_audit_forbid_change"();
CREATE TRIGGER "user_audit_no_truncate" BEFORE TRUNCATE ON "user_audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "user_audit_forbid_change"();

CREATE TABLE "login_known_address" (
  "email"           TEXT           NOT NULL,
  "ip"              TEXT           NOT NULL,
  "last_success_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("email", "ip")
);
