"use client";
// The two per-position actions. Nothing here talks to the exchange: the request is recorded (and
// audited) and the worker carries it out; its steps and outcome appear below as they happen.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../../trpc/react";
import { ErrorBox } from "../../../_components/error-box";
import { ReasonField, reasonTooLong } from "../../../_components/reason-field";
import { TimeText } from "../../../_components/time-zone";

type Kind = "hand_back" | "close_now";

export interface ActionView {
  id: number;
  kind: Kind;
  status: string;
  requestedBy: string;
  reason: string;
  createdAt: Date;
  error: string | null;
  steps: { at: string; step: string; ok: boolean; detail: string }[];
}

const STATUS_TONE: Record<string, string> = { requested: "tone-muted", running: "tone-warn", done: "tone-ok", failed: "tone-bad" };

export function PositionActions({ symbol, positionSide, canOperate, open, handedBack, actions }: {
  symbol: string; positionSide: "long" | "short"; canOperate: boolean; open: boolean; handedBack: boolean; actions: ActionView[];
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [kind, setKind] = useState<Kind | null>(null);
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const m = useMutation(trpc.positions.requestAction.mutationOptions({
    onSuccess: () => {
      setKind(null);
      setReason("");
      setTyped("");
      void qc.invalidateQueries({ queryKey: trpc.positions.detail.queryKey() });
    },
  }));
  const busy = actions.some((a) => a.status === "requested" || a.status === "running");
  const can = canOperate && open && !busy;
  const ready = reason.trim().length >= 3 && !reasonTooLong(reason) && (kind !== "close_now" || typed.trim().toUpperCase() === symbol);
  return (
    <div className="stack" data-testid="position-actions">
      {!canOperate ? <p className="muted small">Actions need the operator role.</p> : null}
      <div className="btn-row">
        <button type="button" className="btn" disabled={!can || handedBack} onClick={() => setKind("hand_back")} data-testid="hand-back">
          Hand back to legacy
        </button>
        <button type="button" className="btn btn-danger" disabled={!can} onClick={() => setKind("close_now")} data-testid="close-now">
          Close now
        </button>
      </div>
      {kind ? (
        <form
          className="card stack"
          data-testid={`${kind}-form`}
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) m.mutate({ kind, symbol, positionSide, reason: reason.trim(), ...(kind === "close_now" ? { confirmSymbol: typed.trim().toUpperCase() } : {}) });
          }}
        >
          <p className="small" style={{ margin: 0 }}>
            {kind === "hand_back"
              ? "Exit Brain stops managing this position. The worker places legacy's stop, confirms it rests on the exchange, and only then cancels Exit Brain's orders."
              : "A reduce-only market order closes the whole position now; its remaining stops and take-profits are then cancelled. This cannot be undone."}
          </p>
          <ReasonField label="Reason (kept in the audit trail)" value={reason} onChange={setReason} testId="action-reason" />
          {kind === "close_now" ? (
            <label className="field">
              <span>Type {symbol} to confirm</span>
              <input className="input mono" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" data-testid="confirm-symbol" />
            </label>
          ) : null}
          <div className="btn-row">
            <button type="submit" className={`btn ${kind === "close_now" ? "btn-danger" : "btn"}`} disabled={!ready || m.isPending} data-testid="action-submit">
              {kind === "close_now" ? `Close ${symbol} ${positionSide} now` : "Hand back to legacy"}
            </button>
            <button type="button" className="btn" onClick={() => setKind(null)}>
              Cancel
            </button>
          </div>
          <ErrorBox error={m.error} />
        </form>
      ) : null}
      {actions.length > 0 ? (
        <ul className="plain" data-testid="action-list">
          {actions.map((a) => (
            <li key={a.id} className="card small" data-testid="action-item" data-status={a.status}>
              <div>
                <span className={`pill ${STATUS_TONE[a.status] ?? ""}`}>{a.status}</span> <strong>{a.kind === "hand_back" ? "Hand back to legacy" : "Close now"}</strong> #{a.id} by {a.requestedBy},{" "}
                <TimeText at={a.createdAt} />: <span style={{ overflowWrap: "anywhere" }}>{a.reason}</span>
              </div>
              {a.steps.length > 0 ? (
                <ol className="small" style={{ margin: "4px 0 0", paddingLeft: 20 }}>
                  {a.steps.map((s, i) => (
                    <li key={i} className={s.ok ? "" : "tone-bad"}>
                      {s.step}: <span style={{ overflowWrap: "anywhere" }}>{s.detail}</span>
                    </li>
                  ))}
                </ol>
              ) : null}
              {a.error ? <p className="error" style={{ margin: "4px 0 0" }}>{a.error}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
