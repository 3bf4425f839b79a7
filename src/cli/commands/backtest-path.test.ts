import path from "node:path";
import { describe, expect, it } from "vitest";
import { randomEntries } from "../../core/backtest/entries";
import { zeroCostModel } from "../../core/backtest/cost-model";
import { defaultExitBrainParams } from "../../core/exit-brain/params";
import { loadCandleFile } from "../candles/load-candle-file";
import { bracketOf, runPathComparison } from "./backtest-path";

describe("exit-brain backtest on the path engine", () => {
  it("maps both legacy modules to their brackets", () => {
    expect(bracketOf({ module: "position_monitor", params: { stopLossPct: 2, takeProfitPct: 4 } })).toMatchObject({ unit: "pct", stop: 2, levels: [{ dist: 4, fraction: 1 }] });
    expect(bracketOf({ module: "hybrid_tpsl", params: { stopLossPct: 1.5, levels: [{ pct: 1.5, fraction: 0.5 }, { pct: 3, fraction: 1 }] } }).levels).toHaveLength(2);
  });

  it("pairs the two policies on the same entries; at zero cost net equals gross", () => {
    const data = loadCandleFile(path.resolve(import.meta.dirname, "../../../market-data/XRPUSDT-5m-freqtrade.csv.gz"));
    const entries = randomEntries(120, data.candles.length, 5, 60);
    const r = runPathComparison(data, entries, 5, defaultExitBrainParams, { module: "position_monitor", params: { stopLossPct: 1.5, takeProfitPct: 3 } }, zeroCostModel);
    expect(r.entries).toBe(120);
    expect(r.comparison.raw.n).toBe(120);
    expect(r.comparison.raw.mean).toBeCloseTo(r.comparison.gross.mean, 12);
    expect(r.brain.trades + r.legacy.trades).toBe(240);
    expect(r.markdown).toMatch(/brain − legacy/);
  });
});
