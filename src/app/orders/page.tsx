import { HydrateClient, prefetch, serverTRPC } from "../../trpc/server";
import { OrdersView } from "./_components/orders-view";
import { RestingNow } from "./_components/resting-now";

/** The page size OrdersView asks for; the prefetch must use the same input to be reused. */
const ORDERS_PAGE = 50;

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const given = (await searchParams).symbol;
  const symbol = typeof given === "string" && /^[A-Za-z0-9]{2,40}$/.test(given) ? given.toUpperCase() : undefined;
  const trpc = serverTRPC();
  // The first (newest, unfiltered but for ?symbol) page of orders and what rests now, in the HTML.
  await Promise.all([
    prefetch(trpc.orders.resting.queryOptions({})),
    prefetch(trpc.orders.list.queryOptions({ ...(symbol ? { symbol } : {}), limit: ORDERS_PAGE })),
  ]);
  return (
    <section>
      <h1>Orders</h1>
      <p className="muted" style={{ marginTop: -8 }}>Every exit order the gateway saw: placed, blocked (legacy while LIVE), rejected or failed, with the state and toggle version it was decided under, and what then happened to it on the exchange (open, triggered, filled, cancelled by whom, expired, rejected).</p>
      <HydrateClient>
        <h2>Resting on the exchange now</h2>
        <RestingNow />
        <h2>All orders</h2>
        <OrdersView initialSymbol={symbol} />
      </HydrateClient>
    </section>
  );
}
