import { LogView } from "./_components/log-view";

export default function LogsPage() {
  return (
    <section>
      <h1>Log</h1>
      <p className="muted" style={{ marginTop: -8 }}>
        The runbook&apos;s tagged lines (<span className="mono">[EXIT_*]</span>) from the end of the worker&apos;s current log file, newest first, refreshed every 2 s — what <span className="mono">tail -f logs/exit_brain.log | grep EXIT_</span> shows.
      </p>
      <LogView />
    </section>
  );
}
