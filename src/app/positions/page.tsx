import { PositionsList } from "./_components/positions-list";

export default function PositionsPage() {
  return (
    <section>
      <h1>Positions</h1>
      <p className="muted" style={{ marginTop: -8 }}>Open positions as the worker last saw them; open one for its chart, decisions, orders and actions.</p>
      <PositionsList />
    </section>
  );
}
