"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { TimeZonePicker } from "./time-zone-picker";
import styles from "./user-menu.module.css";

/** Who is signed in, with which role, and the way out. */
export function UserMenu({ email, role }: { email: string; role: string }) {
  const [leaving, setLeaving] = useState(false);
  return (
    <details className={styles.menu} data-testid="user-menu">
      <summary className={styles.summary} aria-label={`Signed in as ${email}, ${role}. Open the user menu.`}>
        <span className={styles.email}>{email}</span>
        <span className={`${styles.role} ${styles[role] ?? ""}`} data-testid="user-role">
          {role}
        </span>
      </summary>
      <div className={styles.panel}>
        <p className={styles.line}>
          Signed in as <strong>{email}</strong>
        </p>
        <p className={styles.line}>Role: {role}</p>
        <p className={styles.line}>
          <TimeZonePicker />
        </p>
        <p className={styles.line}>
          <a href="/account">Your account: password, sign out everywhere</a>
        </p>
        {role === "admin" ? (
          <p className={styles.line}>
            <a href="/settings" data-testid="settings-link">Settings: notifications (webhook)</a>
          </p>
        ) : null}
        <button
          type="button"
          className={styles.signout}
          disabled={leaving}
          onClick={() => {
            setLeaving(true);
            void signOut({ callbackUrl: "/signin" });
          }}
        >
          {leaving ? "Signing out…" : "Sign out"}
        </button>
      </div>
    </details>
  );
}
