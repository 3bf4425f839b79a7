// The worker's retention loop: a first run shortly after start (partitions for today and the days
// ahead exist before the recorder needs them), then every RETENTION_INTERVAL_S. Each run is logged
// with the [RETENTION] tag; a failed step is logged and retried at the next run, never fatal.
import type { Logger } from "../../src/server/logger";
import { RetentionJob, type RetentionJobOptions, type RetentionRunResult } from "./retention-job";

export interface RetentionInfo {
  last_run_at: string | null;
  partitions_created: number;
  partitions_dropped: number;
  rows_deleted: number;
  last_errors: string[];
}

export interface RunningRetention {
  stop(): Promise<void>;
  /** runs once now (the loop's schedule is unchanged) */
  runNow(): Promise<RetentionRunResult>;
  info(): RetentionInfo;
}

export function startRetention(o: RetentionJobOptions & { intervalMs: number; firstRunAfterMs?: number; log: Logger }): RunningRetention {
  const job = new RetentionJob(o);
  const info: RetentionInfo = { last_run_at: null, partitions_created: 0, partitions_dropped: 0, rows_deleted: 0, last_errors: [] };
  let running: Promise<RetentionRunResult> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const runNow = (): Promise<RetentionRunResult> => {
    running ??= job
      .run()
      .then((r) => {
        report(r);
        return r;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  function report(r: RetentionRunResult): void {
    if (!r.ran) return;
    info.last_run_at = new Date((o.now ?? Date.now)()).toISOString();
    const deleted = Object.values(r.deleted).reduce((a, b) => a + b, 0);
    info.partitions_created += r.partitionsCreated.length;
    info.partitions_dropped += r.partitionsDropped.length;
    info.rows_deleted += deleted;
    info.last_errors = r.errors;
    if (r.partitionsCreated.length || r.partitionsDropped.length || deleted) {
      const parts = Object.entries(r.deleted).filter(([, n]) => n > 0).map(([t, n]) => `${t}=${n}`);
      o.log.info(
        { created: r.partitionsCreated, dropped: r.partitionsDropped, deleted: r.deleted },
        `[RETENTION] shadow_decision partitions +${r.partitionsCreated.length} -${r.partitionsDropped.length}; rows expired: ${parts.join(", ") || "none"}`,
      );
    }
    for (const e of r.errors) o.log.warn(`[RETENTION] ${e}; retried at the next run`);
  }

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow()
        .catch((err: unknown) => o.log.warn({ err: err instanceof Error ? err.message : String(err) }, "[RETENTION] run failed; retried at the next run"))
        .finally(() => schedule(o.intervalMs));
    }, ms);
    timer.unref();
  };
  schedule(o.firstRunAfterMs ?? 5_000);

  return {
    runNow,
    info: () => ({ ...info, last_errors: [...info.last_errors] }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      job.stop();
      await running?.catch(() => {});
      await job.close();
    },
  };
}
