// After a toggle change: has every live worker acted on it? Read from the workers' heartbeats
// (a worker beats as soon as it acts on a change, and every HEARTBEAT_INTERVAL_MS), so the CLI
// and the dashboard can say "the worker is in SHADOW" instead of "committed, probably fine".
import type { Db } from "../../db/client";

export interface WorkerFollowing {
  workerId: string;
  /** the toggle version and state the worker reported last */
  version: number | null;
  state: string | null;
  following: boolean;
}

/** Workers that beat within the last 10 s, and whether each has reached `version`. */
export async function workersFollowing(db: Db, version: number): Promise<WorkerFollowing[]> {
  const rows = await db.$queryRaw<{ workerId: string; info: { toggles?: { version?: number | null; state?: string | null } } | null }[]>`
    SELECT worker_id AS "workerId", info FROM worker_heartbeat WHERE beat_at > now() - interval '10 seconds' ORDER BY worker_id`;
  return rows.map((r) => {
    const v = r.info?.toggles?.version ?? null;
    return { workerId: r.workerId, version: v, state: r.info?.toggles?.state ?? null, following: v !== null && v >= version };
  });
}

/** Polls until every live worker follows `version` or `limitMs` passed; returns the last look. */
export async function waitForWorkers(db: Db, version: number, limitMs: number): Promise<{ workers: WorkerFollowing[]; waitedMs: number }> {
  const start = Date.now();
  for (;;) {
    const workers = await workersFollowing(db, version);
    const waitedMs = Date.now() - start;
    // No live worker: nothing to wait for (and nothing placing orders).
    if (workers.every((w) => w.following) || waitedMs >= limitMs) return { workers, waitedMs };
    await new Promise((r) => setTimeout(r, 50));
  }
}
