-- Issue 13, database half: least privilege and one policy door.
--
-- Two database roles (created outside migrations, see src/server/db/roles.ts and
-- `npm run db:setup-roles`): the OWNER runs these migrations and owns every object; the RUNTIME
-- role (web, worker, CLI) owns nothing and gets its privileges from the migrator after every run
-- (src/server/db/roles.ts, runtimePrivileges). Role names differ per deployment and per test run,
-- so nothing below names a role; what the runtime role may do is decided in one reviewed place.
--
-- 1. exit_toggles changes only through exit_toggles_change(): SECURITY DEFINER, owned by the
--    owner, fixed search_path. One call = the row update + its audit row, atomically, with the
--    before/after toggles and the kind of change computed HERE from the locked row (the caller
--    cannot record an escalation as neutral, or toggles that were not written). A guard trigger
--    refuses INSERT/UPDATE/DELETE on exit_toggles by anyone but the owner (or a superuser).
-- 2. toggle_audit gains claimed_actor (what a CLI user said with --actor; the actor column is
--    who the process really ran as) and policy (the go-LIVE rules in force for that change).
-- 3. toggle_policy: the go-LIVE rules (REQUIRE_LIVE_APPROVAL, REQUIRE_READINESS) live in the
--    database, not in each caller's environment. Readiness is required by default. Only the owner
--    changes it (toggle_policy_set), each change audited in toggle_policy_audit; a one-shot,
--    time-boxed readiness override is consumed by the go-LIVE change that uses it.

ALTER TABLE "toggle_audit"
  ADD COLUMN "claimed_actor" TEXT,
  ADD COLUMN "policy"        JSONB;
-- The worker checks that the version it acts on has its audit row (one probe per read).
CREATE INDEX "toggle_audit_version_after_idx" ON "toggle_audit" ("version_after");

-- Generic append-only guard for audit tables (names the table in the refusal).
CREATE FUNCTION "audit_forbid_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TABLE "toggle_policy" (
  "id"                       SMALLINT       NOT NULL PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
  "require_live_approval"    BOOLEAN        NOT NULL DEFAULT false,
  "require_readiness"        BOOLEAN        NOT NULL DEFAULT true,
  -- an admin's explicit, audited override of the readiness gate for ONE go-LIVE change
  "readiness_override_until" TIMESTAMPTZ(3),
  "readiness_override_by"    TEXT,
  "version"                  BIGINT         NOT NULL DEFAULT 1 CHECK ("version" > 0),
  "updated_at"               TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_by"               TEXT           NOT NULL
);
INSERT INTO "toggle_policy" ("id", "updated_by") VALUES (1, 'migration 0009_least_privilege');

CREATE TABLE "toggle_policy_audit" (
  "id"            BIGSERIAL      NOT NULL PRIMARY KEY,
  "at"            TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "actor"         TEXT           NOT NULL CHECK (length(btrim("actor")) > 0),
  "claimed_actor" TEXT,
  "action"        TEXT           NOT NULL CHECK ("action" IN ('set', 'readiness_override', 'readiness_override_used')),
  "reason"        TEXT           NOT NULL CHECK (length(btrim("reason")) > 0),
  "policy_before" JSONB          NOT NULL,
  "policy_after"  JSONB          NOT NULL
);
CREATE INDEX "toggle_policy_audit_at_idx" ON "toggle_policy_audit" ("at" DESC, "id" DESC);
CREATE TRIGGER "toggle_policy_audit_no_update_delete" BEFORE UPDATE OR DELETE ON "toggle_policy_audit"
  FOR EACH ROW EXECUTE FUNCTION "audit_forbid_change"();
CREATE TRIGGER "toggle_policy_audit_no_truncate" BEFORE TRUNCATE ON "toggle_policy_audit"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_forbid_change"();

-- The operational state of three toggles and its rank, as src/core/toggles computes them.
CREATE FUNCTION "toggle_state_of"(mode TEXT, executor TEXT, rollout TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN mode IS DISTINCT FROM 'EXIT_BRAIN_V3' THEN 'LEGACY'
              WHEN executor = 'LIVE' AND rollout = 'ENABLED' THEN 'EXIT_BRAIN_V3_LIVE'
              ELSE 'EXIT_BRAIN_V3_SHADOW' END
$$;
CREATE FUNCTION "toggle_state_rank"(state TEXT) RETURNS INT
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE state WHEN 'LEGACY' THEN 0 WHEN 'EXIT_BRAIN_V3_SHADOW' THEN 1 WHEN 'EXIT_BRAIN_V3_LIVE' THEN 2 END
$$;

-- Only the owner (the definer function below runs as the owner) or a superuser may write the row.
-- Why a trigger on top of privileges: the runtime role holds UPDATE on the "id" column only,
-- because SELECT ... FOR UPDATE / FOR SHARE needs an UPDATE privilege; this makes even that
-- column's UPDATE (and anything else) a refusal that says where changes must go.
CREATE FUNCTION "exit_toggles_guard"() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF current_user = pg_get_userbyid((SELECT relowner FROM pg_class WHERE oid = TG_RELID))
     OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  RAISE EXCEPTION 'exit_toggles cannot be changed directly (% by role %): toggles change only through exit_toggles_change(), which writes the audit row in the same statement', TG_OP, current_user
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "exit_toggles_guard" BEFORE INSERT OR UPDATE OR DELETE ON "exit_toggles"
  FOR EACH ROW EXECUTE FUNCTION "exit_toggles_guard"();

-- THE door for toggle changes. p_expected_version NULL = create the first row (v1) if there is
-- none (returns no row when it already exists). Otherwise the row must still be at
-- p_expected_version (the caller holds it FOR UPDATE; a mismatch is a serialization failure).
-- p_state_before/p_state_after are the EFFECTIVE states under the caller's environment ceilings,
-- which the database cannot know; they may only be at or below the stored states.
-- p_use_readiness_override consumes the admin's active one-shot override (refused if none).
CREATE FUNCTION "exit_toggles_change"(
  p_expected_version        BIGINT,
  p_exit_mode               TEXT,
  p_exit_executor_mode      TEXT,
  p_live_rollout            TEXT,
  p_actor                   TEXT,
  p_claimed_actor           TEXT,
  p_source                  TEXT,
  p_reason                  TEXT,
  p_state_before            TEXT,
  p_state_after             TEXT,
  p_policy                  JSONB,
  p_use_readiness_override  BOOLEAN
) RETURNS TABLE ("version" BIGINT, "updated_at" TIMESTAMPTZ, "audit_id" BIGINT, "kind" TEXT)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  old_row  public.exit_toggles%ROWTYPE;
  new_row  public.exit_toggles%ROWTYPE;
  s_before TEXT;
  s_after  TEXT;
  up       BOOLEAN := false;
  down     BOOLEAN := false;
  k        TEXT;
  aid      BIGINT;
  pol      public.toggle_policy%ROWTYPE;
BEGIN
  IF p_actor IS NULL OR length(btrim(p_actor)) = 0 THEN
    RAISE EXCEPTION 'exit_toggles_change: an actor is required' USING ERRCODE = 'check_violation';
  END IF;
  IF p_expected_version IS NULL THEN
    -- the runbook's baseline stands in for "before" when seeding
    old_row.exit_mode := 'LEGACY';
    old_row.exit_executor_mode := 'SHADOW';
    old_row.exit_brain_v3_live_rollout := 'DISABLED';
    INSERT INTO public.exit_toggles AS t (id, exit_mode, exit_executor_mode, exit_brain_v3_live_rollout, version, updated_at, updated_by)
    VALUES (1, p_exit_mode, p_exit_executor_mode, p_live_rollout, 1, now(), p_actor)
    ON CONFLICT (id) DO NOTHING
    RETURNING t.* INTO new_row;
    IF NOT FOUND THEN
      RETURN;
    END IF;
  ELSE
    SELECT t.* INTO old_row FROM public.exit_toggles t WHERE t.id = 1 FOR UPDATE;
    IF NOT FOUND OR old_row.version <> p_expected_version THEN
      RAISE EXCEPTION 'exit_toggles is at version % (expected %): it changed concurrently; read it again', old_row.version, p_expected_version
        USING ERRCODE = 'serialization_failure';
    END IF;
    UPDATE public.exit_toggles t
       SET exit_mode = p_exit_mode, exit_executor_mode = p_exit_executor_mode, exit_brain_v3_live_rollout = p_live_rollout,
           version = t.version + 1, updated_at = now(), updated_by = p_actor
     WHERE t.id = 1
    RETURNING t.* INTO new_row;
  END IF;

  s_before := public.toggle_state_of(old_row.exit_mode, old_row.exit_executor_mode, old_row.exit_brain_v3_live_rollout);
  s_after  := public.toggle_state_of(new_row.exit_mode, new_row.exit_executor_mode, new_row.exit_brain_v3_live_rollout);
  IF public.toggle_state_rank(p_state_after) IS NULL OR public.toggle_state_rank(p_state_after) > public.toggle_state_rank(s_after)
     OR (p_expected_version IS NOT NULL AND (public.toggle_state_rank(p_state_before) IS NULL OR public.toggle_state_rank(p_state_before) > public.toggle_state_rank(s_before))) THEN
    RAISE EXCEPTION 'exit_toggles_change: effective states %/% are above the stored %/%', p_state_before, p_state_after, s_before, s_after
      USING ERRCODE = 'check_violation';
  END IF;
  -- Same rule as classifyChange (src/core/toggles/classify-change.ts).
  up := (new_row.exit_mode = 'EXIT_BRAIN_V3' AND old_row.exit_mode <> 'EXIT_BRAIN_V3')
     OR (new_row.exit_executor_mode = 'LIVE' AND old_row.exit_executor_mode <> 'LIVE')
     OR (new_row.exit_brain_v3_live_rollout = 'ENABLED' AND old_row.exit_brain_v3_live_rollout <> 'ENABLED');
  down := (new_row.exit_mode <> 'EXIT_BRAIN_V3' AND old_row.exit_mode = 'EXIT_BRAIN_V3')
       OR (new_row.exit_executor_mode <> 'LIVE' AND old_row.exit_executor_mode = 'LIVE')
       OR (new_row.exit_brain_v3_live_rollout <> 'ENABLED' AND old_row.exit_brain_v3_live_rollout = 'ENABLED');
  k := CASE WHEN public.toggle_state_rank(s_after) > public.toggle_state_rank(s_before) THEN 'escalation'
            WHEN public.toggle_state_rank(s_after) < public.toggle_state_rank(s_before) THEN 'rollback'
            WHEN up THEN 'escalation' WHEN down THEN 'rollback' ELSE 'neutral' END;

  IF p_use_readiness_override THEN
    SELECT p.* INTO pol FROM public.toggle_policy p WHERE p.id = 1 FOR UPDATE;
    IF pol.readiness_override_until IS NULL OR pol.readiness_override_until <= now() THEN
      RAISE EXCEPTION 'no active readiness override: an admin must grant one (exit-brain policy override-readiness)'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE public.toggle_policy p SET readiness_override_until = NULL, readiness_override_by = NULL,
           version = p.version + 1, updated_at = now(), updated_by = p_actor WHERE p.id = 1;
    INSERT INTO public.toggle_policy_audit (actor, claimed_actor, action, reason, policy_before, policy_after)
    VALUES (p_actor, p_claimed_actor, 'readiness_override_used',
            format('used by the change to toggle version %s (override granted by %s)', new_row.version, pol.readiness_override_by),
            to_jsonb(pol), (SELECT to_jsonb(p) FROM public.toggle_policy p WHERE p.id = 1));
  END IF;

  INSERT INTO public.toggle_audit (actor, claimed_actor, source, kind, reason, version_before, version_after,
                                   toggles_before, toggles_after, state_before, state_after, policy)
  VALUES (p_actor, p_claimed_actor, p_source, k, nullif(btrim(p_reason), ''),
          CASE WHEN p_expected_version IS NULL THEN NULL ELSE old_row.version END, new_row.version,
          CASE WHEN p_expected_version IS NULL THEN NULL ELSE jsonb_build_object(
            'EXIT_MODE', old_row.exit_mode, 'EXIT_EXECUTOR_MODE', old_row.exit_executor_mode, 'EXIT_BRAIN_V3_LIVE_ROLLOUT', old_row.exit_brain_v3_live_rollout) END,
          jsonb_build_object('EXIT_MODE', new_row.exit_mode, 'EXIT_EXECUTOR_MODE', new_row.exit_executor_mode, 'EXIT_BRAIN_V3_LIVE_ROLLOUT', new_row.exit_brain_v3_live_rollout),
          CASE WHEN p_expected_version IS NULL THEN NULL ELSE p_state_before END,
          CASE WHEN p_expected_version IS NULL THEN s_after ELSE p_state_after END,
          p_policy)
  RETURNING id INTO aid;

  RETURN QUERY SELECT new_row.version, new_row.updated_at::timestamptz, aid, k;
END;
$$;
REVOKE ALL ON FUNCTION "exit_toggles_change"(BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, JSONB, BOOLEAN) FROM PUBLIC;

-- Policy changes: an ordinary (invoker's rights) function, so only a role that may UPDATE
-- toggle_policy, i.e. the owner, can use it. NULL arguments keep the current value;
-- p_override_minutes > 0 grants a one-shot readiness override valid that long.
CREATE FUNCTION "toggle_policy_set"(
  p_require_live_approval BOOLEAN,
  p_require_readiness     BOOLEAN,
  p_override_minutes      INT,
  p_actor                 TEXT,
  p_claimed_actor         TEXT,
  p_reason                TEXT
) RETURNS SETOF "toggle_policy" LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  before_row public.toggle_policy%ROWTYPE;
  after_row  public.toggle_policy%ROWTYPE;
BEGIN
  IF p_override_minutes IS NOT NULL AND (p_override_minutes < 1 OR p_override_minutes > 1440) THEN
    RAISE EXCEPTION 'a readiness override lasts 1 to 1440 minutes, not %', p_override_minutes USING ERRCODE = 'check_violation';
  END IF;
  SELECT p.* INTO before_row FROM public.toggle_policy p WHERE p.id = 1 FOR UPDATE;
  UPDATE public.toggle_policy p SET
    require_live_approval    = coalesce(p_require_live_approval, p.require_live_approval),
    require_readiness        = coalesce(p_require_readiness, p.require_readiness),
    readiness_override_until = CASE WHEN p_override_minutes IS NULL THEN p.readiness_override_until ELSE now() + make_interval(mins => p_override_minutes) END,
    readiness_override_by    = CASE WHEN p_override_minutes IS NULL THEN p.readiness_override_by ELSE p_actor END,
    version = p.version + 1, updated_at = now(), updated_by = p_actor
  WHERE p.id = 1
  RETURNING p.* INTO after_row;
  INSERT INTO public.toggle_policy_audit (actor, claimed_actor, action, reason, policy_before, policy_after)
  VALUES (p_actor, p_claimed_actor, CASE WHEN p_override_minutes IS NULL THEN 'set' ELSE 'readiness_override' END,
          p_reason, to_jsonb(before_row), to_jsonb(after_row));
  RETURN NEXT after_row;
END;
$$;
REVOKE ALL ON FUNCTION "toggle_policy_set"(BOOLEAN, BOOLEAN, INT, TEXT, TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION "toggle_state_of"(TEXT, TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION "toggle_state_rank"(TEXT) FROM PUBLIC;
