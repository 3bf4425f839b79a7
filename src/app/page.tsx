import { currentSession } from "../server/auth/current-session";
import { hasRole } from "../server/services/users/roles";
import { StatusView } from "./_components/status/status-view";

export const dynamic = "force-dynamic";

export default async function StatusPage() {
  const session = await currentSession();
  return (
    <section>
      <h1>Status</h1>
      <StatusView canOperate={Boolean(session && hasRole(session.user.role, "operator"))} />
    </section>
  );
}
