import type { Db } from "../db/client";

export interface WorkerStatus {
  up: boolean;
  workerId: string | null;
  lastBeatAt: Date | null;
  secondsSinceBeat: number | null;
}

/** A worker counts as up while its last beat is younger than this. */
export const WORKER_STALE_AFTER_MS = 5_000;

export async function getWorkerStatus(db: Db, now = new Date()): Promise<WorkerStatus> {
  const latest = await db.workerHeartbeat.findFirst({
    orderBy: { beatAt: "desc" },
    select: { workerId: true, beatAt: true },
  });
  if (!latest) return { up: false, workerId: null, lastBeatAt: null, secondsSinceBeat: null };
  const ageMs = Math.max(0, now.getTime() - latest.beatAt.getTime());
  return {
    up: ageMs < WORKER_STALE_AFTER_MS,
    workerId: latest.workerId,
    lastBeatAt: latest.beatAt,
    secondsSinceBeat: Math.round(ageMs / 1000),
  };
}
