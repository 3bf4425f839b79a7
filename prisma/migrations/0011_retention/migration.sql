-- Issue 19: a year without a restart. shadow_decision (about 430,000 rows a day with 50 positions
-- at a 10 s interval) becomes a table PARTITIONED BY RANGE of "at", one partition per UTC day, so
-- expiring a day is a partition DROP, not a mass DELETE. Everything else keeps its shape: the
-- other tables are expired by the worker in small batches (worker/retention/), and
-- exit_order_attempt in particular is not restructured here.
--
-- * shadow_decision_default takes rows for which no day partition exists (rows from before this
--   migration older than 90 days, hand-inserted history, a worker that was down for longer than the
--   partitions created ahead). The worker expires it by batched DELETE and moves a day's rows into
--   that day's partition when it creates one.
-- * The per-minute rollup (shadow_decision_minute) is kept forever: dropping a partition fires no
--   trigger, so the rollup keeps the counts of expired days. Its triggers move to the new table.
-- * Partitions are created and dropped by two SECURITY DEFINER functions owned by the owner role
--   (the runtime role that runs the worker may not create or drop tables), with a fixed search_path,
--   able to do nothing but create or drop a day partition of shadow_decision. They refuse a caller
--   who could not already INSERT (create) or DELETE (drop) shadow_decision rows, so they give no
--   one more than they had; the drop refuses today's and yesterday's partition.
-- * Audit tables are untouched: no retention, and the runtime role cannot delete from them.

-- 1. The old table steps aside (its indexes and triggers go with it at the end).
ALTER TABLE "shadow_decision" RENAME TO "shadow_decision_before_0011";
ALTER TABLE "shadow_decision_before_0011" RENAME CONSTRAINT "shadow_decision_pkey" TO "shadow_decision_before_0011_pkey";
ALTER INDEX "shadow_decision_at_idx" RENAME TO "shadow_decision_before_0011_at_idx";
ALTER INDEX "shadow_decision_symbol_at_idx" RENAME TO "shadow_decision_before_0011_symbol_at_idx";
ALTER INDEX "shadow_decision_type_at_idx" RENAME TO "shadow_decision_before_0011_type_at_idx";
ALTER INDEX "shadow_decision_position_idx" RENAME TO "shadow_decision_before_0011_position_idx";

-- 2. The partitioned table: same columns and checks; the key must include the partition column.
CREATE TABLE "shadow_decision" (
  "id"             BIGINT           NOT NULL DEFAULT nextval('shadow_decision_id_seq'),
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
  "toggle_version" BIGINT,
  CONSTRAINT "shadow_decision_pkey" PRIMARY KEY ("id", "at")
) PARTITION BY RANGE ("at");
ALTER SEQUENCE "shadow_decision_id_seq" OWNED BY "shadow_decision"."id";
CREATE INDEX "shadow_decision_at_idx" ON "shadow_decision" ("at");
CREATE INDEX "shadow_decision_symbol_at_idx" ON "shadow_decision" ("symbol", "at");
CREATE INDEX "shadow_decision_type_at_idx" ON "shadow_decision" ("decision_type", "at");
CREATE INDEX "shadow_decision_position_idx" ON "shadow_decision" ("position_key", "at");
CREATE TABLE "shadow_decision_default" PARTITION OF "shadow_decision" DEFAULT;

-- 3. Day partitions. The name is the day: shadow_decision_pYYYYMMDD, [day 00:00 UTC, next day).
CREATE FUNCTION "shadow_decision_partition_create"(p_day DATE) RETURNS BOOLEAN
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SET lock_timeout = '2s'
AS $$
DECLARE
  part TEXT := 'shadow_decision_p' || to_char(p_day, 'YYYYMMDD');
  lo   TIMESTAMPTZ := (p_day::timestamp AT TIME ZONE 'UTC');
  hi   TIMESTAMPTZ := ((p_day + 1)::timestamp AT TIME ZONE 'UTC');
BEGIN
  IF NOT has_table_privilege(session_user, 'public.shadow_decision', 'INSERT') THEN
    RAISE EXCEPTION 'shadow_decision_partition_create: role % may not write shadow_decision', session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_day IS NULL OR p_day < DATE '2000-01-01' OR p_day > (now() AT TIME ZONE 'UTC')::date + 400 THEN
    RAISE EXCEPTION 'shadow_decision_partition_create: % is not a day to create a partition for (2000-01-01 to 400 days ahead)', p_day
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = part) THEN
    RETURN false;
  END IF;
  -- CREATE ... LIKE + ATTACH (not CREATE ... PARTITION OF): ATTACH needs only SHARE UPDATE
  -- EXCLUSIVE on shadow_decision, so the recorder's inserts go on meanwhile.
  EXECUTE format('CREATE TABLE public.%I (LIKE public.shadow_decision INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  -- Rows of that day that went to the default partition move into the new one (directly between
  -- the two partitions: no statement trigger of shadow_decision fires, the rollup stays as it is).
  EXECUTE format('WITH moved AS (DELETE FROM public.shadow_decision_default WHERE at >= $1 AND at < $2 RETURNING *) INSERT INTO public.%I SELECT * FROM moved', part)
    USING lo, hi;
  -- A matching CHECK lets ATTACH skip scanning the new partition.
  EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (at >= %L AND at < %L)', part, part || '_range', lo, hi);
  EXECUTE format('ALTER TABLE public.shadow_decision ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', part, part || '_range');
  RETURN true;
END;
$$;

CREATE FUNCTION "shadow_decision_partition_drop"(p_day DATE) RETURNS BOOLEAN
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SET lock_timeout = '2s'
AS $$
DECLARE
  part TEXT := 'shadow_decision_p' || to_char(p_day, 'YYYYMMDD');
BEGIN
  IF NOT has_table_privilege(session_user, 'public.shadow_decision', 'DELETE') THEN
    RAISE EXCEPTION 'shadow_decision_partition_drop: role % may not delete shadow_decision rows', session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_day IS NULL OR p_day >= (now() AT TIME ZONE 'UTC')::date - 1 THEN
    RAISE EXCEPTION 'shadow_decision_partition_drop: refusing to drop the partition of % (today''s and yesterday''s are never dropped)', p_day
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                  WHERE i.inhparent = 'public.shadow_decision'::regclass AND c.relname = part) THEN
    RETURN false;
  END IF;
  -- Detach, then drop: no trigger fires, so the per-minute rollup keeps the day.
  EXECUTE format('ALTER TABLE public.shadow_decision DETACH PARTITION public.%I', part);
  EXECUTE format('DROP TABLE public.%I', part);
  RETURN true;
END;
$$;

-- 4. Partitions for the recent days and the week ahead, then the existing rows (routed by day;
-- older ones land in the default partition and are expired there by the worker).
SELECT "shadow_decision_partition_create"(d::date)
  FROM generate_series(
         ((SELECT CASE WHEN min(at) IS NULL THEN now() ELSE GREATEST(min(at), now() - interval '90 days') END
             FROM "shadow_decision_before_0011") AT TIME ZONE 'UTC')::date,
         (now() AT TIME ZONE 'UTC')::date + 7,
         interval '1 day') AS d;
INSERT INTO "shadow_decision" SELECT * FROM "shadow_decision_before_0011";
DROP TABLE "shadow_decision_before_0011";

-- 5. The rollup's triggers on the new table (the rollup already counts the rows copied above).
CREATE TRIGGER "shadow_decision_minute_ins" AFTER INSERT ON "shadow_decision"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_add"();
CREATE TRIGGER "shadow_decision_minute_del" AFTER DELETE ON "shadow_decision"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_remove"();
CREATE TRIGGER "shadow_decision_minute_upd" AFTER UPDATE ON "shadow_decision"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_update"();
CREATE TRIGGER "shadow_decision_minute_trunc" AFTER TRUNCATE ON "shadow_decision"
  FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_clear"();
