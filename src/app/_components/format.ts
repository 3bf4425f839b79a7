// Small display helpers shared by the pages.
//
// One clock (issue 16): every time on the dashboard is formatted by fmtTime, always with its zone.
// The zone is UTC unless the user chose another (cookie TIME_ZONE_COOKIE, read by the layout and
// handed down by TimeZoneProvider; useFmtTime() in client components). Times that come from the
// exchange simulator's replayed clock are labelled as simulator time, never passed off as wall time.

export const DEFAULT_TIME_ZONE = "UTC";
export const TIME_ZONE_COOKIE = "eb_tz";

/** An IANA zone name this runtime knows (e.g. "Europe/Berlin"), or null. */
export function validTimeZone(zone: string | null | undefined): string | null {
  if (!zone || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return null;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short",
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * "2026-11-27 18:03:17 UTC" (or "… CET", "… GMT+1"): date, time and zone, in the given zone.
 * `simulator: true` marks a time from the simulator's replayed clock: "sim 2024-03-01 10:00:00 UTC".
 */
export function fmtTime(d: Date | string | number | null | undefined, zone: string = DEFAULT_TIME_ZONE, opts: { simulator?: boolean } = {}): string {
  if (d === null || d === undefined || d === "") return "—";
  const x = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(x.getTime())) return "—";
  const parts = Object.fromEntries(formatter(validTimeZone(zone) ?? DEFAULT_TIME_ZONE).formatToParts(x).map((p) => [p.type, p.value]));
  const text = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
  return opts.simulator ? `sim ${text}` : text;
}

/**
 * The zone's short name at that instant, as fmtTime writes it ("UTC", "CET" or "CEST", "GMT+9"):
 * for labels that show a time without its date (a chart's axis), so they still carry the zone.
 */
export function zoneName(d: Date | number, zone: string = DEFAULT_TIME_ZONE): string {
  return formatter(validTimeZone(zone) ?? DEFAULT_TIME_ZONE).formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? zone;
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

/** The unit of every amount of money shown: the positions are USDT-margined futures. */
export const QUOTE_ASSET = "USDT";

/** Money with its sign and unit: "+12.35 USDT", "-0.50 USDT". */
export function fmtMoney(v: number | null | undefined, quote: string = QUOTE_ASSET): string {
  if (v === null || v === undefined) return "—";
  return `${v >= 0 ? "+" : ""}${v.toFixed(2)} ${quote}`;
}

/**
 * Unrealized P&L in money and as % of entry: "-3.20 USDT (-0.64% of entry)". The one format of
 * uPnL wherever it is shown (the position page, the Status page's open positions).
 */
export function fmtUpnl(money: number | null | undefined, pct: number | null | undefined, quote: string = QUOTE_ASSET): string {
  if (money === null || money === undefined) return "—";
  return pct === null || pct === undefined ? fmtMoney(money, quote) : `${fmtMoney(money, quote)} (${fmtPct(pct)} of entry)`;
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
