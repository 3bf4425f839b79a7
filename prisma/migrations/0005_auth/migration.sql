-- Sign-in: users with roles, failed-login records for rate limiting, and the generated
-- session secret (used only when NEXTAUTH_SECRET is not set).
CREATE TYPE "user_role" AS ENUM ('viewer', 'operator', 'admin');

CREATE TABLE "app_user" (
  "id"            UUID           NOT NULL PRIMARY KEY DEFAULT gen_random_uuid(),
  "email"         TEXT           NOT NULL,
  "name"          TEXT,
  "role"          "user_role"    NOT NULL DEFAULT 'viewer',
  "password_hash" TEXT           NOT NULL,
  "disabled"      BOOLEAN        NOT NULL DEFAULT false,
  "created_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- Services lower-case emails; the database refuses anything else so lookups stay exact.
  CONSTRAINT "app_user_email_lower" CHECK ("email" = lower("email") AND "email" <> '')
);
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user" ("email");

CREATE TABLE "login_failure" (
  "id"        BIGSERIAL      NOT NULL PRIMARY KEY,
  "email"     TEXT           NOT NULL,
  "ip"        TEXT           NOT NULL,
  "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "login_failure_email_failed_at_idx" ON "login_failure" ("email", "failed_at");
CREATE INDEX "login_failure_ip_failed_at_idx" ON "login_failure" ("ip", "failed_at");

CREATE TABLE "auth_secret" (
  "id"         SMALLINT       NOT NULL PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
  "secret"     TEXT           NOT NULL CHECK (length("secret") >= 32),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
