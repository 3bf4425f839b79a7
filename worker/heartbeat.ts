// Writes this worker's liveness row every interval; the dashboard and the watchdog read it.
import { hostname } from "node:os";
import type { Db } from "../src/server/db/client";
import type { Logger } from "../src/server/logger";

export interface HeartbeatOptions {
  db: Db;
  workerId: string;
  intervalMs: number;
  log: Logger;
  /** Extra state published with each beat (executor mode, last decision, ...). */
  info?: () => Record<string, unknown>;
}

export function startHeartbeat(opts: HeartbeatOptions): { stop(): Promise<void>; beat(): Promise<void> } {
  const startedAt = new Date();
  let failing = false;
  const beat = async () => {
    const now = new Date();
    const info = JSON.parse(JSON.stringify(opts.info?.() ?? {})) as object;
    try {
      await opts.db.workerHeartbeat.upsert({
        where: { workerId: opts.workerId },
        create: { workerId: opts.workerId, pid: process.pid, hostname: hostname(), startedAt, beatAt: now, info },
        update: { beatAt: now, info },
      });
      if (failing) opts.log.info("[WORKER] heartbeat restored");
      failing = false;
    } catch (err) {
      // A missed beat is what the watchdog looks for; log once per outage, keep trying.
      if (!failing) opts.log.error({ err }, "[WORKER] heartbeat write failed; retrying every interval");
      failing = true;
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
