-- Issue 16: the status report's order counts, kept as attempts are written. The report used to
-- count every attempt ever made on each recompute (one grouped pass over exit_order_attempt,
-- 90-140 ms on 100,000 rows, every 0.5 s while someone watches): its cost grew with the table.
-- Now it sums this table, a few rows per group of what the metrics count by (module, kind,
-- outcome, ownership conflict) and the toggle version the attempt was decided under.
--
-- Kept by triggers, so every writer keeps it right, whatever path changes an attempt: the gateway
-- inserting and finishing one, the reconciliation settling a pending one later, a test's reset.
-- Only the triggers write it: the runtime role may read it (src/server/db/roles.ts), and the
-- trigger functions run as their owner (SECURITY DEFINER, with a fixed search_path).
-- toggle_version 0 stands for "decided without a toggle version" (a primary key cannot hold NULL);
-- the report counts those attempts from the table itself, by time (the partial index below).
CREATE TABLE "exit_order_attempt_tally" (
  "module" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "outcome" TEXT NOT NULL,
  "ownership_conflict" BOOLEAN NOT NULL,
  "toggle_version" BIGINT NOT NULL,
  "n" BIGINT NOT NULL,
  CONSTRAINT "exit_order_attempt_tally_pkey" PRIMARY KEY ("module", "kind", "outcome", "ownership_conflict", "toggle_version")
);

-- New and removed attempts, per statement: one upsert per group, however many rows the statement
-- wrote (a bulk insert does not take the same counter once per row). Groups in key order, so two
-- statements take their counters in the same order.
CREATE FUNCTION "exit_order_attempt_tally_rows"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "exit_order_attempt_tally" AS t ("module", "kind", "outcome", "ownership_conflict", "toggle_version", "n")
      SELECT "module", "kind", "outcome", "ownership_conflict", COALESCE("toggle_version", 0), count(*)
        FROM "tally_added" GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ("module", "kind", "outcome", "ownership_conflict", "toggle_version") DO UPDATE SET "n" = t."n" + EXCLUDED."n";
  ELSE
    UPDATE "exit_order_attempt_tally" AS t SET "n" = t."n" - d."n"
      FROM (SELECT "module", "kind", "outcome", "ownership_conflict", COALESCE("toggle_version", 0) AS "toggle_version", count(*) AS "n"
              FROM "tally_removed" GROUP BY 1, 2, 3, 4, 5) d
     WHERE (t."module", t."kind", t."outcome", t."ownership_conflict", t."toggle_version")
         = (d."module", d."kind", d."outcome", d."ownership_conflict", d."toggle_version");
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "exit_order_attempt_tally_insert" AFTER INSERT ON "exit_order_attempt"
  REFERENCING NEW TABLE AS "tally_added" FOR EACH STATEMENT EXECUTE FUNCTION "exit_order_attempt_tally_rows"();
CREATE TRIGGER "exit_order_attempt_tally_delete" AFTER DELETE ON "exit_order_attempt"
  REFERENCING OLD TABLE AS "tally_removed" FOR EACH STATEMENT EXECUTE FUNCTION "exit_order_attempt_tally_rows"();

-- An attempt that changes group (pending -> placed, a reconciled outcome): one counter down, one
-- up. Fires only when a counted column really changed; the gateway's other updates (the pre-send
-- check, the exchange's status, the fee) never touch the counters. The two counters are taken in
-- key order, so two attempts moving between the same groups in opposite directions cannot deadlock.
CREATE FUNCTION "exit_order_attempt_tally_move"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  old_first BOOLEAN := (OLD."module", OLD."kind", OLD."outcome", OLD."ownership_conflict", COALESCE(OLD."toggle_version", 0))
                     < (NEW."module", NEW."kind", NEW."outcome", NEW."ownership_conflict", COALESCE(NEW."toggle_version", 0));
BEGIN
  IF old_first THEN
    UPDATE "exit_order_attempt_tally" SET "n" = "n" - 1
     WHERE ("module", "kind", "outcome", "ownership_conflict", "toggle_version")
         = (OLD."module", OLD."kind", OLD."outcome", OLD."ownership_conflict", COALESCE(OLD."toggle_version", 0));
  END IF;
  INSERT INTO "exit_order_attempt_tally" AS t ("module", "kind", "outcome", "ownership_conflict", "toggle_version", "n")
    VALUES (NEW."module", NEW."kind", NEW."outcome", NEW."ownership_conflict", COALESCE(NEW."toggle_version", 0), 1)
    ON CONFLICT ("module", "kind", "outcome", "ownership_conflict", "toggle_version") DO UPDATE SET "n" = t."n" + 1;
  IF NOT old_first THEN
    UPDATE "exit_order_attempt_tally" SET "n" = "n" - 1
     WHERE ("module", "kind", "outcome", "ownership_conflict", "toggle_version")
         = (OLD."module", OLD."kind", OLD."outcome", OLD."ownership_conflict", COALESCE(OLD."toggle_version", 0));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "exit_order_attempt_tally_update" AFTER UPDATE OF "module", "kind", "outcome", "ownership_conflict", "toggle_version"
  ON "exit_order_attempt" FOR EACH ROW
  WHEN ((OLD."module", OLD."kind", OLD."outcome", OLD."ownership_conflict", OLD."toggle_version")
        IS DISTINCT FROM (NEW."module", NEW."kind", NEW."outcome", NEW."ownership_conflict", NEW."toggle_version"))
  EXECUTE FUNCTION "exit_order_attempt_tally_move"();

-- TRUNCATE fires no row trigger: empty the counters with the table.
CREATE FUNCTION "exit_order_attempt_tally_clear"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  DELETE FROM "exit_order_attempt_tally";
  RETURN NULL;
END;
$$;
CREATE TRIGGER "exit_order_attempt_tally_truncate" AFTER TRUNCATE ON "exit_order_attempt"
  FOR EACH STATEMENT EXECUTE FUNCTION "exit_order_attempt_tally_clear"();

-- The attempts already stored. Creating the triggers above locked the table against writes until
-- this migration commits, so no attempt is counted twice or missed.
INSERT INTO "exit_order_attempt_tally" ("module", "kind", "outcome", "ownership_conflict", "toggle_version", "n")
  SELECT "module", "kind", "outcome", "ownership_conflict", COALESCE("toggle_version", 0), count(*)
    FROM "exit_order_attempt" GROUP BY 1, 2, 3, 4, 5;

-- The attempts decided without a toggle version, counted by time for the current period.
CREATE INDEX "exit_order_attempt_unversioned_idx" ON "exit_order_attempt" ("created_at") WHERE "toggle_version" IS NULL;
