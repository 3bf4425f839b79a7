// The evaluator's control, as tests that can fail: on a martingale no exit rule changes the
// expected gross return, so a significant difference between two exit policies is the fill
// model's doing. The path evaluator must find none; the old candle-fill engine (run-backtest.ts:
// stops at their trigger inside the candle, Exit Brain acting only at closes) does find one on a
// market whose path jumps inside the candle, which is why it was replaced.
import { describe, expect, it } from "vitest";
import { defaultExitBrainParams, parseExitBrainParams } from "../exit-brain/params";
import { defaultHybridTpslParams } from "../legacy/legacy-params";
import { brainPolicy } from "./brain-policy";
import { comparePolicies } from "./compare";
import { zeroCostModel } from "./cost-model";
import { randomEntries } from "./entries";
import { isSignificant } from "./eval-report";
import { anyPolicy, runPart, type EvalConfig, type EvalPart } from "./evaluation";
import { legacyPolicy } from "./legacy-policy";
import { pairedTest } from "./paired-test";
import { brainPathPolicy, bracketFromHybrid, bracketPolicy } from "./path-policies";
import { randomWalk, type WalkKind } from "./random-walk";
import { runBacktest } from "./run-backtest";
import { FillConfigSchema } from "./types";

const IV = 300_000;
/** The defaults issue 15's audit ran (before the refit): the jumpy-path case is about them. */
const AUDITED = parseExitBrainParams({ slAtrMult: 3.11, minStopPct: 1.91, breakevenTriggerR: 0.5, breakevenOffsetPct: 0.27, trailTriggerR: 1.58, trailAtrMult: 8.9, takeProfitR: 3, shockAtrMult: 6, maxHoldMs: 86_400_000 });
const DAY = 86_400_000;
const policies = { brain: anyPolicy(brainPathPolicy(defaultExitBrainParams)), legacy: anyPolicy(bracketPolicy(bracketFromHybrid("legacy", defaultHybridTpslParams))) };
const cfg: EvalConfig = { seeds: [1, 2, 3, 4, 5, 6], entriesPerSeed: 250, cost: zeroCostModel, maxStepPct: 0.025, warmup: 60, atr: "closed" };

function walks(kind: WalkKind, n: number, ticksPerCandle: number, candleVol: number, seedBase: number) {
  return Array.from({ length: n }, (_, w) =>
    randomWalk({ kind, candles: 8_000, intervalMs: IV, candleVol, ticksPerCandle, seed: seedBase + w, startTime: Date.UTC(2100 + 2 * w, 0, 1) }),
  );
}

describe("random-walk control (zero cost)", () => {
  for (const kind of ["gaussian", "fat-tailed"] as const) {
    it(`${kind} walk, 30 ticks per candle, OHLC path model: no significant difference between brain and legacy`, { timeout: 120_000 }, () => {
      const runs = walks(kind, 2, 30, 0.002, 4_000).map((w, i) => runPart({ name: `${kind} ${i}`, candles: w.candles, intervalMs: IV }, policies, cfg));
      const c = comparePolicies(runs, "brain", "legacy");
      expect(c.gross.n).toBe(2 * 6 * 250);
      expect(isSignificant(c.gross), `gross diff ${c.gross.mean} p=${c.gross.p}`).toBe(false);
      expect(isSignificant(c.grossRiskMatched), `risk-matched diff ${c.grossRiskMatched.mean} p=${c.grossRiskMatched.p}`).toBe(false);
    });
  }

  it("a path that jumps inside the candle (2 ticks per candle), the audited defaults: with the ticks as finer data the path evaluator finds nothing, the old candle-fill engine finds an edge", { timeout: 120_000 }, () => {
    const ws = walks("fat-tailed", 3, 2, 0.005, 6_000);
    const parts: EvalPart[] = ws.map((w, i) => ({ name: `jumpy ${i}`, candles: w.candles, intervalMs: IV, finer: { candles: w.ticks, intervalMs: w.tickIntervalMs } }));
    const audited = { brain: anyPolicy(brainPathPolicy(AUDITED)), legacy: policies.legacy };
    const runs = parts.map((p) => runPart(p, audited, cfg));
    expect(runs.every((r) => r.finerBars === r.candles)).toBe(true);
    const fresh = comparePolicies(runs, "brain", "legacy").gross;
    expect(isSignificant(fresh), `path evaluator: gross diff ${fresh.mean} p=${fresh.p}`).toBe(false);

    // The old engine on the same candles and entries.
    const fill = FillConfigSchema.parse({ takerFeePct: 0, makerFeePct: 0, slippagePct: 0 });
    const a: number[] = [];
    const b: number[] = [];
    const blocks: number[] = [];
    ws.forEach((w, i) => {
      for (const seed of cfg.seeds) {
        const entries = randomEntries(cfg.entriesPerSeed, w.candles.length, seed, cfg.warmup);
        const input = { candles: w.candles, entries, intervalMs: IV, cfg: fill };
        const key = (t: { entryIndex: number; side: string }) => t.entryIndex * 2 + (t.side === "long" ? 0 : 1);
        const ta = [...runBacktest(input, brainPolicy(AUDITED)).trades].sort((x, y) => key(x) - key(y) || x.ret - y.ret);
        const tb = [...runBacktest(input, legacyPolicy({ module: "hybrid_tpsl", params: defaultHybridTpslParams })).trades].sort((x, y) => key(x) - key(y) || x.ret - y.ret);
        ta.forEach((t, k) => {
          a.push(t.ret);
          b.push(tb[k]!.ret);
          blocks.push(i * 1_000_000 + Math.floor(w.candles[t.entryIndex]!.openTime / DAY));
        });
      }
    });
    const old = pairedTest(a, b, blocks);
    expect(isSignificant(old), `old engine: gross diff ${old.mean} p=${old.p}`).toBe(true);
    expect(old.mean).toBeGreaterThan(0); // it flatters the brain
  });
});
