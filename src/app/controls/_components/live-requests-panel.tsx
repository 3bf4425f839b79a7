"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { ErrorBox } from "../../_components/error-box";
import { useFmtTime } from "../../_components/time-zone";

const TONE: Record<string, string> = { pending: "tone-warn", approved: "tone-ok", expired: "tone-muted", cancelled: "tone-muted" };

/** LIVE requests: a different operator approves; the requester (or anyone) can cancel. */
export function LiveRequestsPanel({ canOperate, email, requireApproval }: { canOperate: boolean; email: string; requireApproval: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const fmtTime = useFmtTime();
  const q = useQuery(trpc.toggles.liveRequests.queryOptions(undefined, { refetchInterval: 1000 }));
  const [approving, setApproving] = useState<{ id: number; by: string; reason: string } | null>(null);
  const refresh = () => void qc.invalidateQueries();
  const approve = useMutation(trpc.toggles.approveLive.mutationOptions({ onSuccess: () => { setApproving(null); refresh(); } }));
  const cancel = useMutation(trpc.toggles.cancelLive.mutationOptions({ onSuccess: refresh }));
  const rows = q.data ?? [];
  if (!requireApproval && rows.length === 0) return null;
  return (
    <section className="card" aria-label="LIVE requests" data-testid="live-requests" id="live-requests">
      <h2>LIVE requests</h2>
      <ErrorBox error={q.error ?? cancel.error} />
      {rows.length === 0 ? <p className="muted">No requests yet.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table cards-sm">
            <thead>
              <tr>
                <th>#</th>
                <th>Requested</th>
                <th>By</th>
                <th>Reason</th>
                <th>Status</th>
                <th>Action</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const mine = r.requestedBy.toLowerCase() === email.toLowerCase();
                return (
                  <tr key={r.id} data-testid={`live-request-${r.id}`}>
                    <td data-label="#">{r.id}</td>
                    <td data-label="Requested" className="nowrap small">{fmtTime(r.requestedAt)}</td>
                    <td data-label="By">{r.requestedBy}</td>
                    <td data-label="Reason" className="wrap">{r.reason}</td>
                    <td data-label="Status">
                      <span className={`pill ${TONE[r.status]}`}>{r.status}</span>
                      <div className="muted small">
                        {r.status === "pending" ? `until ${fmtTime(r.expiresAt)}` : r.decidedBy ? `by ${r.decidedBy}` : ""}
                      </div>
                    </td>
                    <td data-label="Action">
                      {r.status === "pending" && canOperate ? (
                        <div className="btn-row">
                          {mine ? (
                            <span className="muted small">waiting for another operator</span>
                          ) : (
                            <button type="button" className="btn btn-live" onClick={() => { approve.reset(); setApproving({ id: r.id, by: r.requestedBy, reason: r.reason }); }}>
                              Approve
                            </button>
                          )}
                          <button type="button" className="btn" disabled={cancel.isPending} onClick={() => cancel.mutate({ id: r.id })}>
                            Cancel
                          </button>
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {approving ? (
        <ConfirmDialog
          title={`Approve LIVE request #${approving.id}?`}
          confirmLabel="Approve: go LIVE now"
          confirmClass="btn-live"
          busy={approve.isPending}
          onConfirm={() => approve.mutate({ id: approving.id })}
          onCancel={() => setApproving(null)}
        >
          <p style={{ margin: 0 }}>
            Requested by <strong>{approving.by}</strong>: “{approving.reason}”. Approving switches Exit Brain to LIVE at once; you are recorded as the approver.
          </p>
          <ErrorBox error={approve.error} />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
