"use client";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";

/**
 * Change your own password (proving the current one) and sign out everywhere. Both end every
 * session of yours, this one included, so the page signs out and asks you to sign in again.
 */
export function AccountView({ email }: { email: string }) {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState(false);
  const leave = (why: string) => void signOut({ callbackUrl: `/signin?notice=${encodeURIComponent(why)}` });
  const change = useMutation(trpc.users.changePassword.mutationOptions({ onSuccess: () => leave("password-changed") }));
  const revoke = useMutation(trpc.users.revokeMySessions.mutationOptions({ onSuccess: () => leave("signed-out-everywhere") }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = String(form.get("new") ?? "");
    if (next !== String(form.get("repeat") ?? "")) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate({ currentPassword: String(form.get("current") ?? ""), newPassword: next });
  }

  return (
    <div className="stack">
      <form className="card stack" onSubmit={onSubmit} aria-label="Change your password">
        <h2 style={{ margin: 0 }}>Change your password</h2>
        <p className="muted small" style={{ margin: 0 }}>
          Signed in as <strong>{email}</strong>. At least 8 characters. Every session of yours ends, this one too: you sign in
          again with the new password.
        </p>
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <label className="field">
          <span>Current password</span>
          <input className="input" name="current" type="password" autoComplete="current-password" required />
        </label>
        <label className="field">
          <span>New password</span>
          <input className="input" name="new" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        <label className="field">
          <span>Repeat the new password</span>
          <input className="input" name="repeat" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        {mismatch ? (
          <p className="error" role="alert">
            The two new passwords differ; type the same one twice.
          </p>
        ) : null}
        <ErrorBox error={change.error} />
        <div className="btn-row">
          <button className="btn" type="submit" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
      <div className="card stack">
        <h2 style={{ margin: 0 }}>Sign out everywhere</h2>
        <p className="muted small" style={{ margin: 0 }}>
          Ends every session of yours on every device and browser at once (for a lost laptop or a shared screen).
        </p>
        <ErrorBox error={revoke.error} />
        <div className="btn-row">
          <button className="btn" type="button" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
            {revoke.isPending ? "Signing out…" : "Sign out everywhere"}
          </button>
        </div>
      </div>
    </div>
  );
}
