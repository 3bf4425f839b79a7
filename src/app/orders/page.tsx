import { OrdersView } from "./_components/orders-view";
import { RestingNow } from "./_components/resting-now";

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const given = (await searchParams).symbol;
  const symbol = typeof given === "string" && /^[A-Za-z0-9]{2,40}$/.test(given) ? given.toUpperCase() : undefined;
  return (
    <section>
      <h1>Orders</h1>
      <p className="muted" style={{ marginTop: -8 }}>Every exit order the gateway saw: placed, blocked (legacy while LIVE), rejected or failed, with the state and toggle version it was decided under, and what then happened to it on the exchange (open, triggered, filled, cancelled by whom, expired, rejected).</p>
      <h2>Resting on the exchange now</h2>
      <RestingNow />
      <h2>All orders</h2>
      <OrdersView initialSymbol={symbol} />
    </section>
  );
}
