// The runbook's "EXIT BRAIN V3 STATUS" report, as printed by `exit-brain status`.
import { stateEmoji } from "../toggles";
import type { ExitMetrics, StatusReport } from "./status-report";

const RULE = "=".repeat(60);
const py = (b: boolean) => (b ? "True" : "False");

function pushMetrics(out: string[], m: ExitMetrics): void {
  out.push(`  Total Exit Orders: ${m.total_exit_orders}`);
  out.push(`  Blocked Legacy Orders: ${m.blocked_legacy_orders}`);
  out.push(`  Ownership Conflicts: ${m.ownership_conflicts}`);
  const map = (r: Record<string, number>) => (Object.keys(r).length === 0 ? ["    none"] : Object.entries(r).map(([k, v]) => `    ${k}: ${v}`));
  out.push("  Orders by Module:", ...map(m.orders_by_module));
  out.push("  Orders by Kind:", ...map(m.orders_by_kind));
}

export function renderStatusText(s: StatusReport): string {
  const out: string[] = [RULE, "EXIT BRAIN V3 STATUS", RULE, ""];
  out.push(`${stateEmoji(s.operational_state)} Operational State: ${s.operational_state}`, "");
  out.push("📋 Configuration:");
  out.push(`  EXIT_MODE: ${s.config.exit_mode}`);
  out.push(`  EXIT_EXECUTOR_MODE: ${s.config.exit_executor_mode}`);
  out.push(`  EXIT_BRAIN_V3_LIVE_ROLLOUT: ${s.config.exit_brain_live_rollout}`);
  out.push(`  Live Mode Active: ${py(s.config.live_mode_active)}`);
  out.push(`  Toggle Version: ${s.toggles_version ?? "not stored yet"}`);
  if (s.armed_by) out.push(`  ⚠️  ARMED: one change of ${s.armed_by} alone would make it LIVE`);
  const capped = Object.entries(s.ceilings);
  if (capped.length > 0) out.push(`  Environment ceilings: ${capped.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  out.push("", "🤖 Executor:");
  out.push(`  Running: ${py(s.executor.running)}`);
  out.push(`  Effective Mode: ${s.executor.effective_mode}`);
  out.push(`  Last Decision: ${s.executor.last_decision_timestamp ?? "none"}`);
  out.push(`  Worker: ${s.worker.up ? "up" : "DOWN"}${s.worker.seconds_since_beat !== null ? `, last beat ${s.worker.seconds_since_beat} s ago` : ""}`);
  const m = s.metrics;
  const p = s.metrics_period;
  out.push("", `📊 Metrics since ${p.state} began${p.since ? ` (${p.since}, toggle version ${p.toggle_version}, audit #${p.audit_id})` : ""}:`);
  pushMetrics(out, m);
  const a = s.metrics_assessment;
  out.push("", a.healthy ? "🩺 Health: healthy (no red flag of the runbook's section 7)" : `🚩 RED FLAGS (${a.red_flags.length}): roll back first, investigate after`);
  for (const f of a.red_flags) out.push(`  🚩 ${f}`);
  for (const c of a.checks) out.push(`  ✓ ${c}`);
  if (s.metrics_lifetime.total_exit_orders > 0) {
    out.push("", "📈 Lifetime (every stored attempt, all states):");
    pushMetrics(out, s.metrics_lifetime);
  }
  if (s.readiness) {
    const r = s.readiness;
    out.push("", `✔️  Readiness (${r.phase.replace("_", " ")}): ${r.ready_for_live ? "ready for LIVE" : "NOT ready for LIVE"}`);
    for (const item of r.items) out.push(`  ${item.ok ? "✅" : "❌"} [${item.group}] ${item.label}: ${item.why}`);
  }
  out.push("", RULE);
  if (s.warnings.length > 0) {
    out.push("", "⚠️  Warnings:");
    for (const w of s.warnings) out.push(`  ${w}`);
  }
  if (s.operational_state === "EXIT_BRAIN_V3_LIVE") {
    out.push("", "⚠️  WARNING: EXIT BRAIN V3 LIVE MODE ACTIVE", "  AI executor is placing real orders.", "  Legacy exit modules are blocked.");
    if (m.blocked_legacy_orders > 0) out.push("", `✅ Blocked ${m.blocked_legacy_orders} legacy module orders since LIVE (expected in LIVE mode)`);
  }
  return out.join("\n");
}
