// Small display helpers shared by the pages.
export function fmtTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const x = typeof d === "string" ? new Date(d) : d;
  return x.toLocaleString("en-GB", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

export function fmtAgo(d: Date | string | null | undefined, now = Date.now()): string {
  if (!d) return "never";
  const s = Math.max(0, Math.round((now - new Date(d).getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function fmtPct(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined) return "—";
  return `${v >= 0 ? "+" : ""}${v.toFixed(digits)}%`;
}

export function fmtNum(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return "—";
  return Number(v.toFixed(digits)).toString();
}

export const STATE_LABEL: Record<string, string> = {
  LEGACY: "LEGACY",
  EXIT_BRAIN_V3_SHADOW: "SHADOW",
  EXIT_BRAIN_V3_LIVE: "LIVE",
};

export const DECISION_COLORS: Record<string, string> = {
  hold: "#8b949e",
  move_sl: "#58a6ff",
  partial_close: "#3fb950",
  full_exit_now: "#f85149",
  set_tp: "#d2a8ff",
};

const PALETTE = ["#58a6ff", "#d29922", "#3fb950", "#d2a8ff", "#f78166", "#79c0ff", "#e3b341"];
export function colorFor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}
