import { AuditView } from "./_components/audit-view";

export default function AuditPage() {
  return (
    <section>
      <h1>Audit trail</h1>
      <AuditView />
    </section>
  );
}
