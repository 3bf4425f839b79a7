-- Issue 16: "Shadow vs legacy: Exit Brain not worse" must rest on positions where Exit Brain
-- closed some or all of the position itself. One it still held when legacy closed it is valued
-- at legacy's close price, so its "difference" is legacy against itself: no evidence. The
-- comparer now records which positions those are; the readiness test leaves them out.
ALTER TABLE "shadow_comparison" ADD COLUMN "held_to_close" BOOLEAN NOT NULL DEFAULT false;

-- Rows compared before this column: the replay's exit text is the only record. It also reads so
-- when Exit Brain had closed part and the rest was valued at the close; counting those as held
-- too errs on the side of less evidence, never more.
UPDATE "shadow_comparison" SET "held_to_close" = true WHERE "brain_exit" LIKE 'still open at the legacy close%';
