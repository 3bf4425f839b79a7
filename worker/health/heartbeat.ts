// Writes this worker's liveness row every interval; the dashboard and the watchdog read it.
// A beat the database refuses (disk full: SQLSTATE 53100 / ENOSPC, or unreachable) never stops the
// worker and never makes it retry faster: one attempt per interval, one log line when the outage
// starts (saying why), the failure handed to the disk monitor (pressure raised at once), and one
// line when a beat gets through again. Beats that do get through carry the disk monitor's
// warnings, which the health JSON shows.
import { hostname } from "node:os";
import { isDiskFullError } from "../../src/core/retention/disk-pressure";
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";

export interface HeartbeatOptions {
  db: Db;
  workerId: string;
  intervalMs: number;
  log: Logger;
  /** Extra state published with each beat (executor mode, last decision, ...). */
  info?: () => Record<string, unknown>;
  /** told of every failed beat (the disk monitor looks for "disk full") */
  onWriteError?: (err: unknown) => void;
  /** injected for tests */
  now?: () => number;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function startHeartbeat(opts: HeartbeatOptions): { stop(): Promise<void>; beat(): Promise<void> } {
  const clock = opts.now ?? Date.now;
  const startedAt = new Date(clock());
  let failingSince: number | null = null;
  let failedBeats = 0;
  // Never rejects: a rejected link would silently end the chain of beats below.
  const beat = async (): Promise<void> => {
    const now = new Date(clock());
    try {
      const info = JSON.parse(JSON.stringify(opts.info?.() ?? {})) as object;
      await opts.db.workerHeartbeat.upsert({
        where: { workerId: opts.workerId },
        create: { workerId: opts.workerId, pid: process.pid, hostname: hostname(), startedAt, beatAt: now, info },
        update: { beatAt: now, info },
      });
      if (failingSince !== null) {
        opts.log.warn(`[WORKER] heartbeat restored after ${failedBeats} missed beat(s) over ${Math.round((now.getTime() - failingSince) / 1000)} s`);
      }
      failingSince = null;
      failedBeats = 0;
    } catch (err) {
      opts.onWriteError?.(err);
      failedBeats++;
      if (failingSince !== null) return;
      failingSince = now.getTime();
      // A missed beat is what the watchdog and the health JSON look for; say why, once per outage.
      if (isDiskFullError(err)) {
        opts.log.error(
          { err: message(err) },
          `[WORKER] heartbeat not written: the database refuses writes (disk full); the worker keeps running and retries every ${opts.intervalMs} ms (while writes are refused the executor acts as unconfirmed SHADOW; stops on the exchange stay). Free space on the database's disk.`,
        );
      } else {
        opts.log.error({ err: message(err) }, `[WORKER] heartbeat write failed; the worker keeps running and retries every ${opts.intervalMs} ms`);
      }
    }
  };
  let inFlight: Promise<void> = beat();
  const timer = setInterval(() => {
    inFlight = inFlight.then(beat);
  }, opts.intervalMs);
  return {
    beat: () => (inFlight = inFlight.then(beat)),
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
