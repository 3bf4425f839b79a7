export function WarningsCard({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <section className="notice" aria-label="Warnings" data-testid="warnings">
      <strong>⚠️ Warnings</strong>
      <ul style={{ margin: "6px 0 0", paddingLeft: 20 }}>
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </section>
  );
}
