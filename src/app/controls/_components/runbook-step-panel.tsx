"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RunbookStep } from "../../../core/status/runbook-actions";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { STATE_LABEL } from "../../_components/format";
import { ReasonField, reasonTooLong } from "../../_components/reason-field";

/** Step 1 or Step 2 of the runbook: the explanation, the log lines to expect, a reason, one button. */
export function RunbookStepPanel({ step, canOperate }: { step: RunbookStep; canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const m = useMutation(
    trpc.toggles.set.mutationOptions({
      onSuccess: (r) => {
        setResult(r.changed ? `Done: state ${STATE_LABEL[r.stateBefore]} → ${STATE_LABEL[r.stateAfter]}, version ${r.after.version} (audit #${r.auditId}).` : "No change needed: the toggles already have these values.");
        setReason("");
        void qc.invalidateQueries();
      },
    }),
  );
  const ready = canOperate && reason.trim().length > 0 && !reasonTooLong(reason) && !m.isPending;
  return (
    <section className="card stack" aria-label={step.title} data-testid={`runbook-${step.id}`}>
      <h2 style={{ margin: 0 }}>{step.title}</h2>
      <p style={{ margin: 0 }}>{step.explanation}</p>
      <p className="small muted" style={{ margin: 0 }}>
        Writes{" "}
        <span className="mono">
          {Object.entries(step.changes)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")}
        </span>
        ; the state becomes <strong>{step.stateAfter}</strong>.
      </p>
      <div>
        <div className="small muted">Expect in the worker log within a second:</div>
        <pre className="log-lines mono">{step.expectLog.join("\n")}</pre>
      </div>
      <ReasonField label="Reason (required, goes to the audit trail)" value={reason} onChange={setReason} disabled={!canOperate} testId={`runbook-${step.id}-reason`} />
      <div className="btn-row">
        <button type="button" className="btn" disabled={!ready} onClick={() => m.mutate({ changes: step.changes, reason })} data-testid={`runbook-${step.id}-submit`}>
          {m.isPending ? "Working…" : step.title}
        </button>
      </div>
      <ErrorBox error={m.error} />
      {result ? (
        <p className="success" role="status" style={{ margin: 0 }} data-testid={`runbook-${step.id}-result`}>
          {result}
        </p>
      ) : null}
    </section>
  );
}
