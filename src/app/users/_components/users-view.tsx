"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { TimeText } from "../../_components/time-zone";

const ACTION_TEXT: Record<string, string> = {
  add: "added",
  set_role: "role changed",
  reset_password: "password reset",
  change_password: "changed own password",
  disable: "disabled",
  enable: "enabled",
  revoke_sessions: "signed out everywhere",
  first_admin: "first admin created",
};

function detailText(detail: Record<string, string | number | boolean | null>): string {
  if (typeof detail.from === "string" && typeof detail.to === "string") return `${detail.from} → ${detail.to}`;
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(", ");
}

/** Users with their state, actions that end sessions at once, and the user audit (newest first). */
export function UsersView({ me }: { me: string }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions(undefined, { refetchInterval: 5000 }));
  const audit = useQuery(trpc.users.audit.queryOptions({ limit: 100 }, { refetchInterval: 5000 }));
  const refresh = () => void client.invalidateQueries();
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.users.revokeSessions.mutationOptions({ onSuccess: refresh }));
  const busy = setDisabled.isPending || revoke.isPending;

  return (
    <div className="stack">
      <ErrorBox error={users.error ?? setDisabled.error ?? revoke.error} />
      <div className="card table-wrap">
        <table className="table cards-sm" data-testid="users-table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>State</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.id}>
                <td data-label="Email">{u.email}</td>
                <td data-label="Role">{u.role}</td>
                <td data-label="State">
                  <span className={`pill ${u.disabled ? "tone-bad" : "tone-ok"}`}>{u.disabled ? "disabled" : "active"}</span>
                </td>
                <td data-label="Actions">
                  <div className="btn-row">
                    <button className="btn" type="button" disabled={busy} onClick={() => revoke.mutate({ email: u.email })}>
                      Sign out everywhere
                    </button>
                    {u.email === me ? null : (
                      <button className="btn" type="button" disabled={busy} onClick={() => setDisabled.mutate({ email: u.email, disabled: !u.disabled })}>
                        {u.disabled ? "Enable" : "Disable"}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Add users, change roles and reset passwords with the CLI: <code>exit-brain user add | set-role | passwd</code>. Every
        change here and there is recorded below and cannot be edited or deleted.
      </p>
      <h2>User audit</h2>
      <ErrorBox error={audit.error} />
      <div className="card table-wrap">
        <table className="table cards-sm" data-testid="user-audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>User</th>
              <th>By</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {(audit.data ?? []).map((r) => (
              <tr key={r.id}>
                <td data-label="When" className="nowrap small">
                  <TimeText at={r.at} />
                </td>
                <td data-label="What">{ACTION_TEXT[r.action] ?? r.action}</td>
                <td data-label="User">{r.targetEmail}</td>
                <td data-label="By">
                  {r.actor} <span className="muted small">({r.source})</span>
                </td>
                <td data-label="Detail" className="small">
                  {detailText(r.detail) || "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {audit.data && audit.data.length === 0 ? <p className="muted">No user changes recorded yet.</p> : null}
      </div>
    </div>
  );
}
