-- Issue 19, fix to 0011: creating a day partition while rows for that day are being written
-- (a worker back after more than SHADOW_PARTITIONS_AHEAD_DAYS without partitions, whose recorder
-- writes today's rows into the default partition) failed with "updated partition constraint for
-- default partition would be violated": a row reached the default partition between the move and
-- the ATTACH. The function now locks the default partition first. Same signature, owner and rights.
CREATE OR REPLACE FUNCTION "shadow_decision_partition_create"(p_day DATE) RETURNS BOOLEAN
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
  -- No row for this day may reach the default partition between the move below and the ATTACH
  -- (ATTACH would then refuse): inserts routed to the default partition wait for this transaction
  -- (at most lock_timeout; ATTACH takes this lock anyway). Inserts for other days go on.
  LOCK TABLE public.shadow_decision_default IN ACCESS EXCLUSIVE MODE;
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
