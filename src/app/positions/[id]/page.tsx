import { env } from "../../../env.js";
import { currentSession } from "../../../server/auth/current-session";
import { hasRole } from "../../../server/services/users/roles";
import { PositionIdSchema } from "../../../core/positions/position-key";
import { HydrateClient, prefetch, serverTRPC } from "../../../trpc/server";
import { PositionView } from "./_components/position-view";

export const dynamic = "force-dynamic";

export default async function PositionPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const session = await currentSession();
  const canOperate = Boolean(session && hasRole(session.user.role, "operator"));
  const trpc = serverTRPC();
  // PositionView's detail and the resting orders it shows for that symbol and side, in the HTML
  // (both at once: the id names the symbol and side; an id that is not one fails in the detail).
  const ref = PositionIdSchema.safeParse(id);
  await Promise.all([
    prefetch(trpc.positions.detail.queryOptions({ id })),
    ref.success ? prefetch(trpc.orders.resting.queryOptions({ symbol: ref.data.symbol, positionSide: ref.data.positionSide })) : null,
  ]);
  return (
    <section>
      <HydrateClient>
        {/* With the simulator, a position closes on the replayed market's clock (as on the Shadow page). */}
        <PositionView id={id} canOperate={canOperate} simulatorClock={env().EXCHANGE === "sim"} />
      </HydrateClient>
    </section>
  );
}
