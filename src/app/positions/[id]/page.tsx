import { currentSession } from "../../../server/auth/current-session";
import { hasRole } from "../../../server/services/users/roles";
import { HydrateClient, prefetch, prefetchValue, serverTRPC } from "../../../trpc/server";
import { PositionView } from "./_components/position-view";

export const dynamic = "force-dynamic";

export default async function PositionPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const session = await currentSession();
  const canOperate = Boolean(session && hasRole(session.user.role, "operator"));
  const trpc = serverTRPC();
  // PositionView's detail, then the resting orders it shows for that symbol and side, in the HTML.
  const detail = await prefetchValue(trpc.positions.detail.queryOptions({ id }));
  if (detail) await prefetch(trpc.orders.resting.queryOptions({ symbol: detail.symbol, positionSide: detail.positionSide }));
  return (
    <section>
      <HydrateClient>
        <PositionView id={id} canOperate={canOperate} />
      </HydrateClient>
    </section>
  );
}
