import type { Metadata } from "next";
import { safeCallbackPath } from "../../server/auth/public-paths";
import { SignInForm } from "./signin-form";
import styles from "./signin.module.css";

export const metadata: Metadata = { title: "Sign in · Exit Brain" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return (
    <section className={styles.wrap}>
      <div className={styles.card}>
        <h1 className={styles.title}>Sign in</h1>
        <p className={styles.lead}>Exit Brain control plane. Every change you make here is audited under your name.</p>
        <SignInForm callbackUrl={safeCallbackPath(first(params.callbackUrl))} initialErrorCode={first(params.error) ?? null} />
        <p className={styles.hint}>
          First start? The admin is <code>ADMIN_EMAIL</code> (default <code>admin@localhost</code>) with{" "}
          <code>ADMIN_PASSWORD</code>, or the password printed once in the server log. Forgot yours? An admin can run{" "}
          <code>exit-brain user passwd --email you@example.com</code>.
        </p>
      </div>
    </section>
  );
}
