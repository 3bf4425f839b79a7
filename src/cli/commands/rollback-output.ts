// What the CLI prints for the kill switch and rollbacks B/C: each try that failed and why, the
// commit (version, audit row, how long it took), whether the worker followed, and what happens
// to orders that were in flight. If it could not commit: exit 3 with the runbook's fallback.
import { AppError } from "../../server/errors";
import { commitRollback, RUNBOOK_FALLBACK, type CommittedRollback } from "../../server/services/toggles/commit-rollback";
import type { RollbackRequest, RollbackTarget } from "../../server/services/toggles/rollbacks";
import { waitForWorkers, type WorkerFollowing } from "../../server/services/toggles/workers-following";
import { CliError, withDb } from "../cli-context";

const LABEL: Record<RollbackTarget, string> = { "kill-switch": "Kill switch", shadow: "Rollback B (to SHADOW)", legacy: "Rollback C (to LEGACY)" };
/** the gateway's send deadline (worker/gateway/exit-order-gateway.ts DEFAULT_SEND_DEADLINE_MS) */
const SEND_DEADLINE_S = 2;

export async function runRollback(target: RollbackTarget, req: RollbackRequest): Promise<void> {
  const label = LABEL[target];
  console.log(`${label}: committing…`);
  let done: { r: CommittedRollback; workers: WorkerFollowing[] | null; waitedMs: number };
  try {
    done = await withDb(async (db) => {
      // A fresh CLI process pays the database client's start-up (connection, query engine) on its
      // first query: pay it here, so each try's short bounds measure the database, not the start.
      await db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await tx.exitToggles.findUnique({ where: { id: 1 }, select: { version: true } });
      }).catch(() => {});
      const r = await commitRollback(db, target, req, {
        onRetry: (n) => console.log(`  try ${n.attempt} failed after ${n.elapsedMs} ms: ${n.why}; trying again in ${n.nextInMs} ms`),
      }).catch((err: unknown) => {
        if (err instanceof AppError && err.code === "UNAVAILABLE") throw new CliError(`❌ ${err.message}`, 3);
        throw err;
      });
      if (!r.changed) return { r, workers: null, waitedMs: 0 };
      const seen = await waitForWorkers(db, r.after.version, 2_000).catch(() => null);
      return { r, workers: seen?.workers ?? null, waitedMs: seen?.waitedMs ?? 0 };
    });
  } catch (err) {
    if (err instanceof CliError && err.exitCode === 3 && !err.message.includes("NOT committed")) {
      throw new CliError(`${err.message}\n❌ The ${label.toLowerCase()} was NOT committed. ${RUNBOOK_FALLBACK}`, 3);
    }
    throw err;
  }
  const { r, workers, waitedMs } = done;
  if (!r.changed) {
    console.log(`No change needed: the state is already ${r.stateAfter} (version ${r.after.version}).`);
    return;
  }
  const tries = r.attempts > 1 ? ` after ${r.attempts} tries` : "";
  console.log(`✅ ${label} committed in ${r.commitMs} ms${tries} (${r.kind}): version ${r.before.version} -> ${r.after.version}, state ${r.stateBefore} -> ${r.stateAfter} (audit #${r.auditId}).`);
  if (workers === null) console.log("   Could not read the workers' heartbeats; check `exit-brain status`.");
  else if (workers.length === 0) console.log("   No worker is running (no heartbeat in the last 10 s): nothing is placing orders.");
  else {
    for (const w of workers) {
      console.log(w.following
        ? `   Worker ${w.workerId}: on version ${w.version} (${w.state}), confirmed by its heartbeat within ${waitedMs} ms.`
        : `   ⚠️  Worker ${w.workerId}: still reports version ${w.version ?? "unconfirmed"} after ${waitedMs} ms; it acts on the commit within 1 s or treats the state as SHADOW after 3 s. Check \`exit-brain status\`.`);
    }
  }
  if (r.stateBefore === "EXIT_BRAIN_V3_LIVE") {
    console.log(`   Executor orders checked before this commit may still land within their ${SEND_DEADLINE_S} s send deadline; they stay (reduce-only, protective) and the worker log lists them as "in flight at kill switch". No order is sent whose check came after the commit.`);
  }
}
