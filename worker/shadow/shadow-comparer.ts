// Part 3 of the Exit Brain issue: when a position that Exit Brain only shadowed closes, compare
// what following its logged decisions would have returned (replay on the exchange's candles
// between open and close) with what the legacy exits returned (legacy-return.ts explains the
// approximation), and store one shadow_comparison row for the analysis page.
import { legacyExitOf, replayShadowDecisions, type LoggedDecision, type ObservedReduction, type RestingExit } from "../../src/core/decisions";
import type { Side } from "../../src/core/market/types";
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";

export interface ClosedShadowPosition {
  key: string;
  symbol: string;
  side: Side;
  /** largest size seen */
  size: number;
  entryPrice: number;
  leverage: number;
  openedAt: number;
  /** when the close was noticed (the snapshot without it) */
  closedAt: number;
  lastSeenAt: number;
  lastMark: number;
  reductions: readonly ObservedReduction[];
  resting: readonly RestingExit[];
  decisions: readonly LoggedDecision[];
}

export interface ShadowComparerDeps {
  db: Pick<Db, "shadowComparison">;
  port: Pick<ExchangePort, "fetchCandles">;
  timeframe: string;
  timeframeMs: number;
  log: Logger;
}

/** The exchange serves at most this many candles per request. */
const MAX_CANDLES = 1500;

export interface ComparisonResult {
  legacyReturnPct: number;
  brainReturnPct: number;
  legacyExit: string;
  brainExit: string;
}

export async function compareClosedPosition(d: ShadowComparerDeps, c: ClosedShadowPosition): Promise<ComparisonResult> {
  const needed = Math.ceil((c.closedAt - c.openedAt) / d.timeframeMs) + 3;
  const candles = await d.port.fetchCandles(c.symbol, d.timeframe, Math.min(MAX_CANDLES, Math.max(needed, 3)));
  const legacy = legacyExitOf({ side: c.side, entryPrice: c.entryPrice, reductions: c.reductions, lastMark: c.lastMark, lastSeenAt: c.lastSeenAt, resting: c.resting, candles }, d.timeframeMs);
  const brain = replayShadowDecisions({
    side: c.side, entryPrice: c.entryPrice, leverage: c.leverage, openedAt: c.openedAt, closedAt: c.closedAt, closePrice: legacy.exitPrice,
    timeframeMs: d.timeframeMs, candles, decisions: c.decisions,
  });
  const row = {
    symbol: c.symbol, side: c.side, size: c.size, entryPrice: c.entryPrice, openedAt: new Date(c.openedAt), closedAt: new Date(c.closedAt),
    legacyReturnPct: legacy.returnPct, brainReturnPct: brain.returnPct, legacyExit: legacy.exit, brainExit: brain.exit, decisions: c.decisions.length,
    heldToClose: brain.heldToClose,
    computedAt: new Date(),
  };
  await d.db.shadowComparison.upsert({ where: { positionKey: c.key }, create: { positionKey: c.key, ...row }, update: row });
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(2)}%`;
  d.log.info(
    `[EXIT_BRAIN_SHADOW] ${c.symbol} ${c.side} closed: legacy ${pct(legacy.returnPct)} (${legacy.exit}) vs Exit Brain ${pct(brain.returnPct)} (${brain.exit}), ${c.decisions.length} decision(s)`,
  );
  return { legacyReturnPct: legacy.returnPct, brainReturnPct: brain.returnPct, legacyExit: legacy.exit, brainExit: brain.exit };
}
