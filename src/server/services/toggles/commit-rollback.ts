// The kill switch (and rollbacks B and C) as operators use them: committed, or a clear answer
// why not and what to do instead. Never a raw database error.
//   - Each try runs with its own short bounds: lock_timeout (another toggle change holding the
//     row), statement_timeout and a whole-transaction timeout, so a stuck try fails in about a
//     second instead of hanging (it used to hit Prisma's 5 s timeout behind the gateway's lock).
//   - Tries are repeated until one commits or the budget runs out. Safe: a rollback is
//     idempotent (a second commit of the same rollback is "no change"), and a try that was
//     abandoned but still commits later only makes the retry find the state already rolled back.
//   - Domain refusals (AppError) are not retried: they are answers.
//   - Out of budget: an AppError("UNAVAILABLE") naming the runbook's fallback (environment
//     ceiling + restart; the worker's "unconfirmed = SHADOW" covers the time until then).
import { performance } from "node:perf_hooks";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { ChangeLimits, ChangeResult } from "./change-toggles";
import { rollback, type RollbackRequest, type RollbackTarget } from "./rollbacks";

export const ROLLBACK_LIMITS: ChangeLimits = { lockTimeoutMs: 1_000, statementTimeoutMs: 1_500, transactionMs: 2_500 };

export const RUNBOOK_FALLBACK =
  "Runbook fallback: set EXIT_EXECUTOR_MODE=SHADOW in the worker's environment and restart the worker " +
  "(an environment ceiling caps the toggles whatever the database says). Until then, a worker that cannot " +
  "confirm the stored toggles for 3 s already acts as SHADOW (unconfirmed = SHADOW).";

export interface RetryNotice {
  attempt: number;
  elapsedMs: number;
  why: string;
  nextInMs: number;
}

export interface CommitRollbackOptions {
  limits?: ChangeLimits;
  /** stop trying after this long, ms */
  budgetMs?: number;
  onRetry?: (n: RetryNotice) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface CommittedRollback extends ChangeResult {
  /** tries it took (1 = first) */
  attempts: number;
  /** from the first try to the commit, ms */
  commitMs: number;
}

export async function commitRollback(db: Db, target: RollbackTarget, req: RollbackRequest, o: CommitRollbackOptions = {}): Promise<CommittedRollback> {
  const limits = o.limits ?? ROLLBACK_LIMITS;
  const budgetMs = o.budgetMs ?? 15_000;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = performance.now();
  let lastWhy = "no try was made";
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await withTimeout(rollback(db, target, { ...req, limits }), limits.transactionMs + 1_000);
      return { ...r, attempts: attempt, commitMs: Math.round(performance.now() - started) };
    } catch (err) {
      if (err instanceof AppError) throw err;
      lastWhy = describeFailure(err);
    }
    const elapsedMs = performance.now() - started;
    const nextInMs = Math.min(1_000, 100 * 2 ** (attempt - 1));
    if (elapsedMs + nextInMs >= budgetMs) {
      throw new AppError(
        "UNAVAILABLE",
        `The ${target === "kill-switch" ? "kill switch" : `rollback (${target})`} was NOT committed: ${attempt} tries over ${(elapsedMs / 1000).toFixed(1)} s, the last one failed because ${lastWhy}. ${RUNBOOK_FALLBACK}`,
      );
    }
    o.onRetry?.({ attempt, elapsedMs: Math.round(elapsedMs), why: lastWhy, nextInMs });
    await sleep(nextInMs);
  }
}

/** What went wrong, in an operator's words (never the driver's stack or query text). */
export function describeFailure(err: unknown): string {
  const text = collectText(err);
  if (/55P03|lock_not_available|lock timeout/i.test(text)) return "the toggle row was locked by another change for longer than the lock timeout";
  if (/57014|statement timeout|canceling statement/i.test(text)) return "a statement took longer than the statement timeout (the database is slow or overloaded)";
  if (/P2028|Transaction (already closed|API error)|expired transaction|Unable to start a transaction|timed out after/i.test(text)) return "the transaction did not finish within its time limit";
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|P1001|P1017|Can't reach database|Connection terminated|connection (refused|closed)|57P0[123]|08\d{3}|the database system is (shutting down|starting up)/i.test(text)) {
    return "the database is unreachable";
  }
  if (/40001|40P01|deadlock|could not serialize/i.test(text)) return "the database aborted the transaction (conflict with another one)";
  return "of an unexpected database error";
}

function collectText(err: unknown, depth = 0): string {
  if (depth > 4 || err === null || err === undefined) return "";
  if (typeof err !== "object") return String(err);
  const e = err as { message?: unknown; code?: unknown; cause?: unknown; originalCode?: unknown; name?: unknown };
  return [e.name, e.code, e.originalCode, e.message, collectText(e.cause, depth + 1)].filter((x) => x !== undefined && x !== null).map(String).join(" ");
}

class TryTimedOut extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  p.catch(() => {}); // an abandoned try may still fail later
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TryTimedOut(ms)), ms)))]).finally(() => clearTimeout(timer));
}
