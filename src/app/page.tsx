import { currentSession } from "../server/auth/current-session";
import { hasRole } from "../server/services/users/roles";
import { HydrateClient, prefetch, serverTRPC } from "../trpc/server";
import { StatusView } from "./_components/status/status-view";

export const dynamic = "force-dynamic";

export default async function StatusPage() {
  const session = await currentSession();
  const trpc = serverTRPC();
  // The queries StatusView, PositionsCard and OrdersCharts (its default range, 60 min) start with:
  // answered here, they are in the HTML instead of a round trip after hydration.
  await Promise.all([
    prefetch(trpc.health.exitBrainStatus.queryOptions()),
    prefetch(trpc.positions.list.queryOptions()),
    prefetch(trpc.orders.overTime.queryOptions({ sinceMinutes: 60 })),
  ]);
  return (
    <section>
      <h1>Status</h1>
      <HydrateClient>
        <StatusView canOperate={Boolean(session && hasRole(session.user.role, "operator"))} />
      </HydrateClient>
    </section>
  );
}
