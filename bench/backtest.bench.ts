// Backtest speed: a year of 1-minute candles (525,600, built by looping the shared 1m files,
// each copy rescaled to continue from the previous close) with 1,000 positions, both
// policies, against the 2 s target (issue 9 item 6). Baseline in the same run: one pass that
// only updates the market snapshot (ATR) per candle, the floor any policy pays. 3 runs.
import path from "node:path";
import { brainPolicy } from "../src/core/backtest/brain-policy";
import { randomEntries } from "../src/core/backtest/entries";
import { legacyPolicy } from "../src/core/backtest/legacy-policy";
import { runBacktest } from "../src/core/backtest/run-backtest";
import { defaultFillConfig } from "../src/core/backtest/types";
import { createMarketSnapshot, updateMarketSnapshot } from "../src/core/exit-brain/market-snapshot";
import { defaultExitBrainParams } from "../src/core/exit-brain/params";
import { defaultHybridTpslParams } from "../src/core/legacy/legacy-params";
import { parseCandleCsv } from "../src/core/market/parse-candle-csv";
import type { Candle } from "../src/core/market/types";
import { readCandleText } from "../src/server/market-data/read-candle-text";
import { nowMs } from "./lib/stats";

const TARGET = 525_600;
const MIN = 60_000;
const dir = process.env.CANDLES_DIR ?? path.resolve(import.meta.dirname, "../market-data");
const sources = ["BTCUSDT-1m-tooyipjee.csv.gz", "BTCUSDT-1m-alpergulsen.csv.gz"].map((f) => parseCandleCsv(readCandleText(path.join(dir, f)), f).candles);

const candles: Candle[] = [];
let lastClose = sources[0]![0]!.open;
for (let k = 0; candles.length < TARGET; k++) {
  const src = sources[k % sources.length]!;
  const scale = lastClose / src[0]!.open;
  for (let i = 0; i < src.length && candles.length < TARGET; i++) {
    const c = src[i]!;
    candles.push({ openTime: candles.length * MIN, open: c.open * scale, high: c.high * scale, low: c.low * scale, close: c.close * scale, volume: c.volume });
  }
  lastClose = candles[candles.length - 1]!.close;
}
const entries = randomEntries(1000, candles.length, 1, defaultExitBrainParams.atrPeriod + 1);
const input = { candles, entries, intervalMs: MIN, cfg: defaultFillConfig };
const brain = brainPolicy(defaultExitBrainParams);
const legacy = legacyPolicy({ module: "hybrid_tpsl", params: defaultHybridTpslParams });

const runs: { both: number; brain: number; legacy: number; floor: number; steps: number }[] = [];
for (let r = 0; r < 3; r++) {
  let t = nowMs();
  let m = createMarketSnapshot(defaultExitBrainParams.atrPeriod);
  for (const c of candles) m = updateMarketSnapshot(m, c);
  const floor = nowMs() - t;
  t = nowMs();
  const b = runBacktest(input, brain);
  const tb = nowMs() - t;
  t = nowMs();
  const l = runBacktest(input, legacy);
  const tl = nowMs() - t;
  const steps = [...b.trades, ...l.trades].reduce((s, x) => s + x.exitIndex - x.entryIndex, 0);
  runs.push({ both: tb + tl, brain: tb, legacy: tl, floor, steps });
  if (m.count !== candles.length) throw new Error("market snapshot skipped candles");
}
runs.sort((a, b) => a.both - b.both);
const med = runs[1]!;
console.log(`candles ${candles.length.toLocaleString("en-US")} (1m), positions 1,000 per policy, position-candle steps ${med.steps.toLocaleString("en-US")}`);
for (const [i, r] of runs.entries()) console.log(`run ${i + 1} (sorted): both ${r.both.toFixed(0)} ms = brain ${r.brain.toFixed(0)} + legacy ${r.legacy.toFixed(0)}; market-only floor ${r.floor.toFixed(0)} ms`);
console.log(`ratio both policies / market-only floor: ${(med.both / med.floor).toFixed(1)}x (median run)`);
console.log(`[BENCH] backtest: both policies ${med.both.toFixed(0)} ms median (target < 2000 ms): ${med.both < 2000 ? "MET" : "MISSED"}`);
