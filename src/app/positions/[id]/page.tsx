import { currentSession } from "../../../server/auth/current-session";
import { hasRole } from "../../../server/services/users/roles";
import { PositionView } from "./_components/position-view";

export const dynamic = "force-dynamic";

export default async function PositionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await currentSession();
  const canOperate = Boolean(session && hasRole(session.user.role, "operator"));
  return (
    <section>
      <PositionView id={decodeURIComponent(id)} canOperate={canOperate} />
    </section>
  );
}
