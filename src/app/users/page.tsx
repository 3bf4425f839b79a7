import type { Metadata } from "next";
import { currentSession } from "../../server/auth/current-session";
import { hasRole } from "../../server/services/users/roles";
import { UsersView } from "./_components/users-view";

export const metadata: Metadata = { title: "Users · Exit Brain" };
export const dynamic = "force-dynamic";

/** Admins: who can sign in, and the append-only record of every change to users. */
export default async function UsersPage() {
  const session = await currentSession();
  if (!session) return null; // the proxy sends signed-out visitors to /signin
  if (!hasRole(session.user.role, "admin")) {
    return (
      <section className="stack">
        <h1>Users</h1>
        <p className="notice">Managing users needs the admin role; you are {session.user.email} ({session.user.role}).</p>
      </section>
    );
  }
  return (
    <section className="stack">
      <h1>Users</h1>
      <UsersView me={session.user.email} />
    </section>
  );
}
