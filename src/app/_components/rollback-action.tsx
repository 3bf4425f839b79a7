"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { ErrorBox } from "./error-box";
import { ReasonField } from "./reason-field";
import { STATE_LABEL } from "./format";

export type RollbackTarget = "kill-switch" | "shadow" | "legacy";

const TEXT: Record<RollbackTarget, { button: string; title: string; effect: string }> = {
  "kill-switch": {
    button: "KILL SWITCH",
    title: "Kill switch (Rollback A)",
    effect: "Sets EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED: LIVE stops at once, the executor keeps shadowing, legacy modules take exits back.",
  },
  shadow: { button: "Rollback B: to SHADOW", title: "Rollback B: back to SHADOW", effect: "Sets EXIT_EXECUTOR_MODE=SHADOW: Exit Brain only logs what it would do." },
  legacy: { button: "Rollback C: to LEGACY", title: "Rollback C: back to LEGACY", effect: "Sets EXIT_MODE=LEGACY: the executor stops; the legacy modules own every exit." },
};

/** One click opens the dialog; the reason is optional (rollbacks must never be slowed down). */
export function RollbackAction({ target, compact = false }: { target: RollbackTarget; compact?: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const [committedVersion, setCommittedVersion] = useState<number | null>(null);
  const onSuccess = (r: { changed: boolean; stateAfter: string; auditId: number | null; after: { version: number }; attempts: number; commitMs: number }) => {
    setOpen(false);
    setReason("");
    setDone(r.changed
      ? `Committed in ${r.commitMs} ms${r.attempts > 1 ? ` (${r.attempts} tries)` : ""}: state is now ${STATE_LABEL[r.stateAfter]}, version ${r.after.version} (audit #${r.auditId}). The worker follows within 1 s; orders it checked before may still land within 2 s and stay.`
      : `No change needed: state is ${STATE_LABEL[r.stateAfter]}.`);
    setCommittedVersion(r.changed ? r.after.version : null);
    setTimeout(() => {
      setDone(null);
      setCommittedVersion(null);
    }, 15000);
    // Everything on screen depends on the state: refetch it all now, not at the next tick.
    void qc.invalidateQueries();
  };
  const kill = useMutation(trpc.toggles.killSwitch.mutationOptions({ onSuccess }));
  const back = useMutation(trpc.toggles.rollback.mutationOptions({ onSuccess }));
  const m = target === "kill-switch" ? kill : back;
  const elapsed = useElapsed(m.isPending);
  // The outcome includes the worker: poll its heartbeat until it reports the committed version.
  const following = useQuery(trpc.toggles.workersFollowing.queryOptions(
    { version: committedVersion ?? 1 },
    { enabled: committedVersion !== null, refetchInterval: (q) => (q.state.data?.length && q.state.data.every((w) => w.following) ? false : 250) },
  ));
  const workers = committedVersion !== null ? following.data : undefined;
  const t = TEXT[target];
  const confirm = () => {
    const r = reason.trim() || null;
    if (target === "kill-switch") kill.mutate({ reason: r });
    else back.mutate({ target, reason: r });
  };
  // The top-bar kill switch is "kill-switch"; the one in the controls' rollback panel is "rollback-kill-switch".
  const testId = target === "kill-switch" && compact ? "kill-switch" : `rollback-${target}`;
  return (
    <span className={compact ? "" : "stack"} style={compact ? { display: "inline-flex", alignItems: "center", gap: 8 } : undefined}>
      <button type="button" className={`btn ${target === "kill-switch" ? "btn-danger kill" : ""}`} onClick={() => { m.reset(); setOpen(true); }} data-testid={testId}>
        {t.button}
      </button>
      {done ? (
        // From the top bar the result is a panel of its own under the bar (a pill inside the bar
        // wrapped it onto two lines); in the controls it sits under its button.
        <span className={compact ? "success toast" : "success"} role="status" data-testid={`${testId}-done`}>
          {compact ? (
            <button type="button" className="close" aria-label="Dismiss" onClick={() => setDone(null)}>
              ×
            </button>
          ) : null}
          {compact ? <strong>{t.title}: </strong> : null}
          {done}
          {workers ? ` ${describeWorkers(workers)}` : ""}
        </span>
      ) : null}
      {open ? (
        <ConfirmDialog
          title={t.title}
          confirmLabel={target === "kill-switch" ? "Kill switch now" : "Roll back now"}
          confirmClass="btn-danger"
          busy={m.isPending}
          onConfirm={confirm}
          onCancel={() => setOpen(false)}
          testId={`${testId}-dialog`}
        >
          <p style={{ margin: 0 }}>{t.effect}</p>
          <p className="muted small" style={{ margin: 0 }}>No approval needed. Recorded in the audit trail with your name.</p>
          <ReasonField label="Reason (optional)" value={reason} onChange={setReason} placeholder="e.g. unexpected exits on ETHUSDT" testId={`${testId}-reason`} />
          {m.isPending ? (
            <p className="muted small" role="status" style={{ margin: 0 }} data-testid={`${testId}-progress`}>
              Committing… {(elapsed / 1000).toFixed(1)} s (each try is bounded and retried until it commits)
            </p>
          ) : null}
          <ErrorBox error={m.error} />
        </ConfirmDialog>
      ) : null}
    </span>
  );
}

/** Milliseconds since `running` became true (0 when not running), ticking every 100 ms. */
function useElapsed(running: boolean): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!running) return;
    const start = Date.now();
    const timer = setInterval(() => setElapsed(Date.now() - start), 100);
    return () => {
      clearInterval(timer);
      setElapsed(0);
    };
  }, [running]);
  return running ? elapsed : 0;
}

function describeWorkers(ws: { workerId: string; following: boolean; state: string | null }[]): string {
  if (ws.length === 0) return "No worker is running (no heartbeat in the last 10 s).";
  const behind = ws.filter((w) => !w.following);
  if (behind.length === 0) return `Worker${ws.length > 1 ? "s" : ""} confirmed: ${STATE_LABEL[ws[0]!.state ?? ""] ?? ws[0]!.state}.`;
  return `Waiting for ${behind.length} worker(s) to confirm…`;
}
