-- Worker liveness: one row per worker process, upserted every HEARTBEAT_INTERVAL_MS.
CREATE TABLE "worker_heartbeat" (
  "worker_id"  TEXT        NOT NULL PRIMARY KEY,
  "pid"        INTEGER     NOT NULL,
  "hostname"   TEXT        NOT NULL,
  "started_at" TIMESTAMPTZ(3) NOT NULL,
  "beat_at"    TIMESTAMPTZ(3) NOT NULL,
  "info"       JSONB       NOT NULL DEFAULT '{}'
);
CREATE INDEX "worker_heartbeat_beat_at_idx" ON "worker_heartbeat" ("beat_at" DESC);
