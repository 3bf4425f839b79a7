// Deterministic synthetic shadow decisions with the product's shape and a plausible mix
// (mostly holds, rare emergency exits), spread over 30 days and 200 symbols.
import { createPrng } from "../../src/core/backtest/prng";

export const SHADOW_COLUMNS = [
  "at", "position_key", "symbol", "side", "size", "entry_price", "mark_price", "pnl_pct", "decision_type", "confidence", "reason",
  "new_sl", "sl_reason", "fraction", "new_tp", "exit_reason", "mode", "toggle_version",
] as const;

export type ShadowValue = string | number | null;
export const SYMBOLS = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, "0")}USDT`);
export const SPAN_MS = 30 * 86_400_000;
export const T_END = Date.UTC(2026, 10, 1);

const TYPES: [string, number][] = [["hold", 0.8], ["move_sl", 0.92], ["set_tp", 0.96], ["partial_close", 0.99], ["full_exit_now", 1]];

export function shadowRow(i: number, total: number): ShadowValue[] {
  const r = createPrng(i + 1);
  const u = r.next();
  const type = TYPES.find(([, c]) => u < c)![0];
  const symbol = SYMBOLS[i % SYMBOLS.length]!;
  const entry = 100 + (i % 97);
  const mark = entry * (1 + (r.next() - 0.5) * 0.04);
  const side = i % 2 ? "long" : "short";
  return [
    new Date(T_END - SPAN_MS + Math.floor((i / total) * SPAN_MS)).toISOString(), `${symbol}:${side}:${Math.floor(i / 500)}`, symbol, side, 1, entry, mark,
    ((mark - entry) / entry) * 100 * (side === "long" ? 1 : -1), type, Math.round(r.next() * 1000) / 1000,
    type === "hold" ? "Holding: no rule fired" : `${type} rule fired at mark ${mark.toFixed(2)}`,
    type === "move_sl" ? entry : null, type === "move_sl" ? "breakeven" : null, type === "partial_close" ? 0.5 : null,
    type === "set_tp" ? entry * 1.05 : null, type === "full_exit_now" ? "shock" : null, "SHADOW", 3,
  ];
}

export function copyLine(v: ShadowValue[]): string {
  return v.map((x) => (x === null ? "\\N" : String(x))).join("\t");
}
