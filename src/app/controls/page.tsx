import { currentSession } from "../../server/auth/current-session";
import { hasRole } from "../../server/services/users/roles";
import { ControlsView } from "./_components/controls-view";

export const dynamic = "force-dynamic";

export default async function ControlsPage() {
  const session = await currentSession();
  const canOperate = Boolean(session && hasRole(session.user.role, "operator"));
  return (
    <section>
      <h1>Controls</h1>
      <ControlsView canOperate={canOperate} email={session?.user.email ?? ""} />
    </section>
  );
}
