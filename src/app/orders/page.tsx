import { OrdersView } from "./_components/orders-view";

export default function OrdersPage() {
  return (
    <section>
      <h1>Orders</h1>
      <p className="muted" style={{ marginTop: -8 }}>Every exit order the gateway saw: placed, blocked (legacy while LIVE), rejected or failed, with the state and toggle version it was decided under.</p>
      <OrdersView />
    </section>
  );
}
