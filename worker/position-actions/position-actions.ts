// The worker's consumer of operator position actions (issue 16): while this worker leads (and has
// reconciled), it polls position_action every second, carries out one request at a time through
// the gateway, and records steps and outcome on the row (the position page shows them) plus an
// audit row. It also keeps the process's hand-back registry in step with position_handback and
// forgets hand-backs of positions that closed.
import type { AccountSnapshot } from "../account/exchange-snapshot";
import { claimNextAction, failOrphanedActions, finishAction, forgetClosedHandbacks } from "./action-store";
import { carryOut, type CarryOutDeps } from "./carry-out";

export interface PositionActionsDeps extends CarryOutDeps {
  canAct: () => boolean;
  latestAccount: () => AccountSnapshot | null;
  intervalMs?: number;
}

export async function runPositionActionsOnce(d: PositionActionsDeps): Promise<number> {
  await d.handedBack.refresh(d.pool);
  if (!d.canAct()) return 0;
  const account = d.latestAccount();
  if (account) {
    const forgotten = await forgetClosedHandbacks(d.pool, account.positions.map((p) => ({ symbol: p.symbol, side: p.side })));
    if (forgotten > 0) await d.handedBack.refresh(d.pool);
  }
  await failOrphanedActions(d.pool, d.leaderEpoch());
  let done = 0;
  for (let a = await claimNextAction(d.pool, d.leaderEpoch()); a; a = d.canAct() ? await claimNextAction(d.pool, d.leaderEpoch()) : null) {
    let outcome: { ok: true } | { ok: false; error: string };
    try {
      outcome = await carryOut(d, a);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      d.log.error({ err: msg }, `[EXIT_ACTION] #${a.id} ${a.kind} ${a.symbol} failed`);
      outcome = { ok: false, error: `the worker hit an error: ${msg}. Check the position and its orders before asking again.` };
    }
    await finishAction(d.pool, a, outcome);
    d.log.info(`[EXIT_ACTION] #${a.id} ${a.kind} ${a.symbol} ${a.positionSide} requested by ${a.requestedBy}: ${outcome.ok ? "done" : `failed: ${outcome.error}`}`);
    done++;
  }
  return done;
}

export function startPositionActions(d: PositionActionsDeps): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = runPositionActionsOnce(d)
      .catch((err: unknown) => d.log.error({ err: err instanceof Error ? err.message : String(err) }, "[EXIT_ACTION] position actions poll failed; next poll retries"))
      .finally(() => (running = null));
  }, d.intervalMs ?? 1000);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
