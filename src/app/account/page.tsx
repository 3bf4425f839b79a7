import type { Metadata } from "next";
import { currentSession } from "../../server/auth/current-session";
import { AccountView } from "./_components/account-view";

export const metadata: Metadata = { title: "Your account · Exit Brain" };
export const dynamic = "force-dynamic";

/** Your own password and sessions. A generated first-admin password lands here until it is changed. */
export default async function AccountPage() {
  const session = await currentSession();
  if (!session) return null; // the proxy sends signed-out visitors to /signin
  return (
    <section className="stack" style={{ maxWidth: 560 }}>
      <h1>Your account</h1>
      {session.user.mustChangePassword ? (
        <p className="notice" role="alert" data-testid="must-change-password">
          This password was generated when Exit Brain first started. Set your own before doing anything else; every
          other page and action stays closed until you do.
        </p>
      ) : null}
      <AccountView email={session.user.email} />
    </section>
  );
}
