import type { Metadata } from "next";
import { safeCallbackPath } from "../../server/auth/public-paths";
import { SignInForm } from "./signin-form";
import styles from "./signin.module.css";

export const metadata: Metadata = { title: "Sign in · Exit Brain" };

/** Fixed texts for ?notice= (never the query's own words). */
const NOTICES: Record<string, string> = {
  "password-changed": "Your password was changed and every session of yours has ended. Sign in with the new password.",
  "signed-out-everywhere": "You were signed out on every device. Sign in again here.",
};
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return (
    <section className={styles.wrap}>
      <div className={styles.card}>
        <h1 className={styles.title}>Sign in</h1>
        <p className={styles.lead}>Exit Brain control plane. Every change you make here is audited under your name.</p>
        {NOTICES[first(params.notice) ?? ""] ? (
          <p className="success" role="status" data-testid="signin-notice">
            {NOTICES[first(params.notice) ?? ""]}
          </p>
        ) : null}
        <SignInForm callbackUrl={safeCallbackPath(first(params.callbackUrl))} initialErrorCode={first(params.error) ?? null} />
        <p className={styles.hint}>
          First start? Sign in with the admin account and the password printed once in the <code>npm start</code> log (or
          the one you set); you will then choose your own. Forgot yours? An admin can set a new one with{" "}
          <code>exit-brain user passwd</code>.
        </p>
      </div>
    </section>
  );
}
