import { HydrateClient, prefetch, serverTRPC } from "../../trpc/server";
import { PositionsList } from "./_components/positions-list";

export const dynamic = "force-dynamic";

export default async function PositionsPage() {
  // PositionsList's query, answered here so the list is in the HTML.
  await prefetch(serverTRPC().positions.list.queryOptions());
  return (
    <section>
      <h1>Positions</h1>
      <p className="muted" style={{ marginTop: -8 }}>Open positions as the worker last saw them; open one for its chart, decisions, orders and actions.</p>
      <HydrateClient>
        <PositionsList />
      </HydrateClient>
    </section>
  );
}
