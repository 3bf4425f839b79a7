"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";
import { STEP_TEXT } from "../../../core/status/runbook-actions";
import { ErrorBox } from "../../_components/error-box";
import { useFmtTime } from "../../_components/time-zone";
import { ReasonField, reasonTooLong } from "../../_components/reason-field";

const PHRASE = "GO LIVE";

interface Props {
  toggles: { operationalState: string; requireLiveApproval: boolean; requireReadiness: boolean; limitedBy: Record<string, string>; ceilings: Record<string, string | undefined> };
  readiness: { ready_for_live: boolean; items: { group: string; ok: boolean; label: string }[] } | null;
  canOperate: boolean;
}

/**
 * Step 3 of the runbook, offered from the dry run (runbookView). Deliberate by design: a reason,
 * the typed phrase, and every unmet readiness item in plain sight. The services enforce the gates.
 */
export function GoLivePanel({ toggles, readiness, canOperate }: Props) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const fmtTime = useFmtTime();
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [result, setResult] = useState<{ text: string; warnings: string[] } | null>(null);
  const onDone = (text: string, warnings: string[]) => {
    setResult({ text, warnings });
    setReason("");
    setTyped("");
    void qc.invalidateQueries();
  };
  const direct = useMutation(trpc.toggles.set.mutationOptions({ onSuccess: (r) => onDone(`State is now ${r.stateAfter} (audit #${r.auditId}).`, r.readinessWarnings) }));
  const request = useMutation(trpc.toggles.requestLive.mutationOptions({ onSuccess: (r) => onDone(`LIVE request #${r.id} created: a different operator must approve it before ${fmtTime(r.expiresAt)}.`, r.readinessWarnings) }));
  const m = toggles.requireLiveApproval ? request : direct;

  const live = toggles.operationalState === "EXIT_BRAIN_V3_LIVE";
  const unmet = readiness?.items.filter((i) => i.group === "before_live" && !i.ok) ?? [];
  const blockedByReadiness = toggles.requireReadiness && unmet.length > 0;
  const capped = Object.entries(toggles.ceilings).filter(([, v]) => v === "SHADOW" || v === "DISABLED" || v === "LEGACY");
  const ready = typed.trim() === PHRASE && reason.trim().length > 0 && !reasonTooLong(reason) && !blockedByReadiness && capped.length === 0 && !m.isPending;
  const submit = () => {
    if (toggles.requireLiveApproval) request.mutate({ confirmation: typed, reason });
    else direct.mutate({ changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, reason, confirmation: typed });
  };

  return (
    <section className="card stack" aria-label="Go LIVE" data-testid="go-live">
      <h2 style={{ margin: 0 }}>{STEP_TEXT.step3_live.title}</h2>
      {live ? (
        <p className="notice" style={{ margin: 0 }} data-testid="go-live-done">Exit Brain is LIVE (Step 3). Use the kill switch or a rollback above to leave it.</p>
      ) : (
        <>
          <p style={{ margin: 0 }}>
            {STEP_TEXT.step3_live.explanation}
            {toggles.requireLiveApproval ? " This deployment requires a second operator to approve within 15 minutes." : ""}
          </p>
          <p className="small muted" style={{ margin: 0 }}>
            Writes <span className="mono">EXIT_BRAIN_V3_LIVE_ROLLOUT=ENABLED</span> (with the other two at their LIVE values); the state becomes <strong>EXIT_BRAIN_V3_LIVE</strong>.
          </p>
          <div>
            <div className="small muted">Expect in the worker log within a second:</div>
            <pre className="log-lines mono">{STEP_TEXT.step3_live.expectLog.join("\n")}</pre>
          </div>
          {capped.length > 0 ? (
            <p className="error" style={{ margin: 0 }}>LIVE is impossible here: the environment caps {capped.map(([k, v]) => `${k}=${v}`).join(", ")}.</p>
          ) : null}
          {unmet.length > 0 ? (
            <div className={blockedByReadiness ? "error" : "notice"} data-testid="go-live-unmet">
              <strong>{unmet.length} readiness item{unmet.length === 1 ? "" : "s"} not met{blockedByReadiness ? " — REQUIRE_READINESS is on, so going LIVE is refused:" : ":"}</strong>
              <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
                {unmet.map((i) => (
                  <li key={i.label}>{i.label}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <ReasonField label="Reason (required, goes to the audit trail)" value={reason} onChange={setReason} disabled={!canOperate} testId="go-live-reason" />
          <label className="field">
            <span>
              Type <strong className="mono">{PHRASE}</strong> to confirm
            </span>
            <input className="input mono" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} disabled={!canOperate} aria-label="Confirmation phrase" />
          </label>
          <div className="btn-row">
            <button type="button" className="btn btn-live" disabled={!canOperate || !ready} onClick={submit} data-testid="go-live-submit">
              {m.isPending ? "Working…" : toggles.requireLiveApproval ? "Request LIVE (needs approval)" : "Go LIVE (Step 3)"}
            </button>
          </div>
        </>
      )}
      <ErrorBox error={m.error} />
      {result ? (
        <div className="success" role="status" data-testid="go-live-result">
          {result.text}
          {result.warnings.length > 0 ? (
            <ul style={{ margin: "4px 0 0", paddingLeft: 20 }} className="small">
              {result.warnings.map((w) => (
                <li key={w}>⚠ {w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
