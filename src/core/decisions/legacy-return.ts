// What the legacy exits actually returned on a position that closed while Exit Brain shadowed
// it. The exchange port exposes no fill history, so this is an approximation from what the
// executor saw:
//   - partial closes: each drop in size, priced at the mark when it was seen;
//   - the final close: a legacy stop / take-profit that was resting at the last sighting and
//     whose trigger the candles crossed afterwards fills at its trigger (stop first when both);
//     otherwise the last mark seen while the position was open.
import type { OrderKind } from "../gateway/modules";
import type { Candle, Side } from "../market/types";
import { pnlPct } from "../market/types";

export interface RestingExit {
  /** the gateway's order kinds: a stop-loss or a take-profit */
  kind: Extract<OrderKind, "sl" | "tp">;
  triggerPrice: number;
}

export interface ObservedReduction {
  /** part of the original size closed, 0..1 */
  fraction: number;
  price: number;
}

export interface LegacyExitInput {
  side: Side;
  entryPrice: number;
  /** partial closes seen while open (size drops), in order */
  reductions: readonly ObservedReduction[];
  /** last mark while the position was still open */
  lastMark: number;
  /** when it was last seen open, epoch ms */
  lastSeenAt: number;
  /** the position's resting exit orders at the last sighting */
  resting: readonly RestingExit[];
  /** candles covering lastSeenAt .. the close, oldest first */
  candles: readonly Candle[];
}

export interface LegacyExit {
  returnPct: number;
  exitPrice: number;
  /** how the final close is explained, e.g. "legacy stop @ 96500" or "last mark 97000.5" */
  exit: string;
}

function crossed(side: Side, r: RestingExit, c: Candle): boolean {
  const sign = side === "long" ? 1 : -1;
  if (r.kind === "sl") return sign * ((sign === 1 ? c.low : c.high) - r.triggerPrice) <= 0;
  return sign * ((sign === 1 ? c.high : c.low) - r.triggerPrice) >= 0;
}

/** The final close price and its explanation (see the file comment for the rules). */
export function inferLegacyClose(i: Pick<LegacyExitInput, "side" | "lastMark" | "lastSeenAt" | "resting" | "candles">, timeframeMs: number): { price: number; exit: string } {
  const after = i.candles.filter((c) => c.openTime + timeframeMs > i.lastSeenAt);
  const order = [...i.resting].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "sl" ? -1 : 1));
  for (const c of after) {
    const hit = order.find((r) => crossed(i.side, r, c));
    if (hit) return { price: hit.triggerPrice, exit: `legacy ${hit.kind === "sl" ? "stop" : "take-profit"} @ ${hit.triggerPrice}` };
  }
  return { price: i.lastMark, exit: `closed near last mark ${i.lastMark}` };
}

export function legacyExitOf(i: LegacyExitInput, timeframeMs: number): LegacyExit {
  const close = inferLegacyClose(i, timeframeMs);
  let ret = 0;
  let remaining = 1;
  for (const r of i.reductions) {
    const f = Math.min(r.fraction, remaining);
    ret += f * pnlPct(i.side, i.entryPrice, r.price);
    remaining -= f;
  }
  ret += remaining * pnlPct(i.side, i.entryPrice, close.price);
  const exit = i.reductions.length > 0 ? `${close.exit} after ${i.reductions.length} partial close(s)` : close.exit;
  return { returnPct: ret, exitPrice: close.price, exit };
}
