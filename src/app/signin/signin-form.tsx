"use client";
import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";
import { describeSignInError } from "./signin-errors";
import styles from "./signin.module.css";

export function SignInForm({ callbackUrl, initialErrorCode }: { callbackUrl: string; initialErrorCode: string | null }) {
  const [error, setError] = useState<string | null>(() => describeSignInError(initialErrorCode));
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (res?.ok && !res.error) {
        // A full load, so the server-rendered top bar picks up the new session.
        window.location.assign(callbackUrl);
        return;
      }
      setError(describeSignInError(res?.error ?? "unknown"));
    } catch {
      setError("Cannot reach the server. Check that Exit Brain is running and try again.");
    }
    setPending(false);
    passwordRef.current?.select();
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate={false}>
      <label className={styles.label} htmlFor="email">
        Email
      </label>
      <input className={styles.input} id="email" name="email" type="email" autoComplete="username" required autoFocus inputMode="email" />
      <label className={styles.label} htmlFor="password">
        Password
      </label>
      <input className={styles.input} id="password" name="password" type="password" autoComplete="current-password" required ref={passwordRef} />
      {error && (
        <p className={styles.error} role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
      <button className={styles.button} type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
