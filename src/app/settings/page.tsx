import type { Metadata } from "next";
import { currentSession } from "../../server/auth/current-session";
import { hasRole } from "../../server/services/users/roles";
import { NotificationSettingsView } from "./_components/notification-settings-view";

export const metadata: Metadata = { title: "Settings · Exit Brain" };
export const dynamic = "force-dynamic";

/** Admins: where notifications go (the webhook sink) and whether they arrived. */
export default async function SettingsPage() {
  const session = await currentSession();
  if (!session) return null; // the proxy sends signed-out visitors to /signin
  if (!hasRole(session.user.role, "admin")) {
    return (
      <section className="stack">
        <h1>Settings</h1>
        <p className="notice">Settings need the admin role; you are {session.user.email} ({session.user.role}).</p>
      </section>
    );
  }
  return (
    <section className="stack">
      <h1>Settings</h1>
      <NotificationSettingsView />
    </section>
  );
}
