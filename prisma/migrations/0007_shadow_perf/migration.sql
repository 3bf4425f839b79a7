-- Issue 9, target 5: shadow analyses over millions of decisions.
-- A per-minute rollup of shadow_decision for the analyses that are not filtered by symbol
-- (distribution and decisions over time, all time or any long range). It is keyed by minute and
-- decision type only: with symbol in the key it would hold about as many rows as the raw table
-- (a symbol sees ~1 decision of a type per minute), and the per-symbol analyses already use the
-- (symbol, at) index. Statement-level triggers keep it exact for every writer (the recorder's
-- batched INSERT, COPY, Prisma, DELETE, TRUNCATE) in the same transaction as the change.
-- Minutes are epoch-aligned (date_bin), so any bucket width that is a multiple of 60 s nests them.
CREATE TABLE "shadow_decision_minute" (
  "bucket"         TIMESTAMPTZ(3)   NOT NULL,
  "decision_type"  TEXT             NOT NULL,
  "n"              BIGINT           NOT NULL,
  "sum_confidence" DOUBLE PRECISION NOT NULL,
  PRIMARY KEY ("bucket", "decision_type")
);

-- Rows are upserted in key order so concurrent batches lock shared minutes in the same order
-- (no deadlock between two writers).
CREATE FUNCTION "shadow_decision_minute_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO shadow_decision_minute AS m (bucket, decision_type, n, sum_confidence)
  SELECT date_bin('1 minute', at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), decision_type, count(*), sum(confidence)
    FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (bucket, decision_type)
  DO UPDATE SET n = m.n + EXCLUDED.n, sum_confidence = m.sum_confidence + EXCLUDED.sum_confidence;
  RETURN NULL;
END $$;

CREATE FUNCTION "shadow_decision_minute_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE shadow_decision_minute AS m
     SET n = m.n - o.n, sum_confidence = m.sum_confidence - o.s
    FROM (SELECT date_bin('1 minute', at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, decision_type, count(*) AS n, sum(confidence) AS s
            FROM old_rows GROUP BY 1, 2) o
   WHERE m.bucket = o.bucket AND m.decision_type = o.decision_type;
  DELETE FROM shadow_decision_minute WHERE n <= 0;
  RETURN NULL;
END $$;

CREATE FUNCTION "shadow_decision_minute_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- old_rows out, new_rows in (decisions are append-only in the product; this keeps it exact anyway)
  UPDATE shadow_decision_minute AS m
     SET n = m.n - o.n, sum_confidence = m.sum_confidence - o.s
    FROM (SELECT date_bin('1 minute', at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, decision_type, count(*) AS n, sum(confidence) AS s
            FROM old_rows GROUP BY 1, 2) o
   WHERE m.bucket = o.bucket AND m.decision_type = o.decision_type;
  INSERT INTO shadow_decision_minute AS m (bucket, decision_type, n, sum_confidence)
  SELECT date_bin('1 minute', at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), decision_type, count(*), sum(confidence)
    FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (bucket, decision_type)
  DO UPDATE SET n = m.n + EXCLUDED.n, sum_confidence = m.sum_confidence + EXCLUDED.sum_confidence;
  DELETE FROM shadow_decision_minute WHERE n <= 0;
  RETURN NULL;
END $$;

CREATE FUNCTION "shadow_decision_minute_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE shadow_decision_minute;
  RETURN NULL;
END $$;

-- CREATE TRIGGER locks shadow_decision until this migration commits, so no insert can slip in
-- between the triggers and the backfill below.
CREATE TRIGGER "shadow_decision_minute_ins" AFTER INSERT ON "shadow_decision"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_add"();
CREATE TRIGGER "shadow_decision_minute_del" AFTER DELETE ON "shadow_decision"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_remove"();
CREATE TRIGGER "shadow_decision_minute_upd" AFTER UPDATE ON "shadow_decision"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_update"();
CREATE TRIGGER "shadow_decision_minute_trunc" AFTER TRUNCATE ON "shadow_decision"
  FOR EACH STATEMENT EXECUTE FUNCTION "shadow_decision_minute_clear"();

-- Backfill from the decisions already stored.
INSERT INTO shadow_decision_minute (bucket, decision_type, n, sum_confidence)
SELECT date_bin('1 minute', at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), decision_type, count(*), sum(confidence)
  FROM shadow_decision GROUP BY 1, 2;
