// Parity between the backtester and the shadow replay (src/core/decisions/replay-shadow-decisions.ts,
// what the shadow comparison and so the readiness check measure): the decisions Exit Brain made
// in the path evaluator, replayed on the same candles the way a shadowed position is replayed,
// must give about the same return. The replay is coarser (decisions apply from the next candle,
// resting orders fill by candle rules), so per position they may differ a little; on average
// they must agree, or the readiness check would be judging a different policy than this report.
import { describe, expect, it } from "vitest";
import type { Decision } from "../exit-brain/decision";
import { defaultExitBrainParams } from "../exit-brain/params";
import { replayShadowDecisions, type LoggedDecision } from "../decisions/replay-shadow-decisions";
import { zeroCostModel } from "./cost-model";
import { randomEntries } from "./entries";
import { runPathBacktest } from "./path-engine";
import { brainPathPolicy } from "./path-policies";
import { buildPricePath } from "./price-path";
import { randomWalkCandles } from "./random-walk";

const IV = 300_000;

describe("backtester vs shadow replay, same positions", () => {
  it("the replayed decisions return what the backtester booked, on average within 2 bp", () => {
    const candles = randomWalkCandles({ kind: "gaussian", candles: 6_000, intervalMs: IV, candleVol: 0.002, ticksPerCandle: 30, seed: 9 });
    const logged = new Map<string, LoggedDecision[]>();
    const hook = (bar: number, side: string, at: number, markPrice: number, decision: Decision) => {
      const k = `${bar}:${side}`;
      const xs = logged.get(k) ?? [];
      xs.push({ at, markPrice, decision });
      logged.set(k, xs);
    };
    const entries = randomEntries(150, candles.length, 4, 60).filter((e, i, xs) => i === 0 || e.index !== xs[i - 1]!.index || e.side !== xs[i - 1]!.side);
    const trades = runPathBacktest({ candles, path: buildPricePath(candles, IV, 0.025), entries, intervalMs: IV, cost: zeroCostModel }, brainPathPolicy(defaultExitBrainParams, { onDecision: hook }));
    const diffs: number[] = [];
    for (const t of trades) {
      const closeBar = candles.findIndex((c) => c.openTime + IV >= t.exitTime);
      const replay = replayShadowDecisions({
        side: t.side,
        entryPrice: candles[t.entryBar]!.close,
        leverage: 10,
        openedAt: t.entryTime,
        closedAt: t.exitTime,
        closePrice: candles[closeBar]!.close,
        timeframeMs: IV,
        candles,
        decisions: logged.get(`${t.entryBar}:${t.side}`) ?? [],
      });
      diffs.push(replay.returnPct / 100 - t.gross);
    }
    expect(diffs.length).toBeGreaterThan(100);
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const close = diffs.filter((d) => Math.abs(d) < 0.001).length / diffs.length;
    expect(Math.abs(mean), `mean replay - backtest ${mean}`).toBeLessThan(0.0002);
    expect(close, `share within 10 bp: ${close}`).toBeGreaterThan(0.8);
  });
});
