// Exit Brain throughput: evaluations per second for 10,000 open positions on one core
// (target >= 200,000/s, issue 9 item 3). Each batch evaluates every position once, with the
// mark moved between batches so decisions vary. Baselines in the same run: the legacy rule
// (hybrid_tpsl protective orders for each position) and a trivial pnl loop. Bounded: ~3 s per
// measured loop.
import { applyDecision, createBrainState, evaluatePosition, type BrainState } from "../src/core/exit-brain/index";
import { defaultExitBrainParams } from "../src/core/exit-brain/params";
import type { MarketSnapshot } from "../src/core/exit-brain/market-snapshot";
import { defaultHybridTpslParams, hybridTpslOrders } from "../src/core/legacy/index";
import { pnlPct, type PositionSnapshot } from "../src/core/market/types";
import { createPrng } from "../src/core/backtest/prng";
import { fmt, nowMs, summarize } from "./lib/stats";

const N = 10_000;
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 3000);
const T0 = 1_700_000_000_000;

const rng = createPrng(1);
const positions: PositionSnapshot[] = [];
const states: BrainState[] = [];
const markets: MarketSnapshot[] = [];
for (let s = 0; s < 20; s++) markets.push({ atr: 0.2 + rng.next() * 0.6, runningAtr: 0.5, lastClose: 100, prevClose: 100 - 1 + rng.next() * 2, count: 100, period: 28 });
for (let i = 0; i < N; i++) {
  const side = rng.next() < 0.5 ? "long" : "short";
  const entry = 95 + rng.next() * 10;
  const pos: PositionSnapshot = { symbol: `S${i % 20}`, side, size: 1, entryPrice: entry, markPrice: 100, leverage: 10, liquidationPrice: side === "long" ? entry * 0.905 : entry * 1.095, unrealizedPnl: 0, openedAt: T0 };
  positions.push(pos);
  const sign = side === "long" ? 1 : -1;
  // most positions already have a stop (as in steady state); some do not yet
  const stop = rng.next() < 0.9 ? entry * (1 - sign * 0.02) : null;
  states.push({ ...createBrainState(pos, T0, { stopPrice: stop }), bestPrice: sign === 1 ? Math.max(entry, 100) * 1.01 : Math.min(entry, 100) * 0.99 });
}
const now = T0 + 3_600_000;
// Settle into the steady state the executor sees: each position's pending actions applied.
for (let i = 0; i < N; i++) {
  for (let k = 0; k < 6; k++) {
    const d = evaluatePosition(positions[i]!, markets[i % 20]!, states[i]!, defaultExitBrainParams, now);
    if (d.type === "hold" || d.type === "full_exit_now") break;
    states[i] = applyDecision(states[i]!, d);
  }
}
const jitter = Array.from({ length: 64 }, () => 1 + (rng.next() - 0.5) * 0.01);

function measure(label: string, batch: (b: number) => number): { perSec: number; samples: number[]; sink: number } {
  for (let b = 0; b < 5; b++) batch(b); // warm-up (JIT)
  const samples: number[] = [];
  let sink = 0;
  const start = nowMs();
  let b = 0;
  while (nowMs() - start < BUDGET_MS) {
    const t = nowMs();
    sink += batch(b++);
    samples.push(nowMs() - t);
  }
  const total = samples.reduce((a, x) => a + x, 0);
  const perSec = (samples.length * N) / (total / 1000);
  console.log(`${label.padEnd(34)} ${Math.round(perSec).toLocaleString("en-US").padStart(12)} evals/s  per batch of ${N}: ${fmt(summarize(samples))}`);
  return { perSec, samples, sink };
}

const counts: Record<string, number> = {};
for (let i = 0; i < N; i++) {
  positions[i]!.markPrice = 100 * jitter[7]!;
  const t = evaluatePosition(positions[i]!, markets[i % 20]!, states[i]!, defaultExitBrainParams, now).type;
  counts[t] = (counts[t] ?? 0) + 1;
}
const brain = measure("exit brain evaluatePosition", (b) => {
  const j = jitter[b & 63]!;
  let acted = 0;
  for (let i = 0; i < N; i++) {
    const pos = positions[i]!;
    pos.markPrice = 100 * j;
    const d = evaluatePosition(pos, markets[i % 20]!, states[i]!, defaultExitBrainParams, now);
    if (d.type !== "hold") acted++;
  }
  return acted;
});
const legacy = measure("baseline: legacy hybridTpslOrders", (b) => {
  const j = jitter[b & 63]!;
  let n = 0;
  for (let i = 0; i < N; i++) {
    const pos = positions[i]!;
    pos.markPrice = 100 * j;
    n += hybridTpslOrders(pos, defaultHybridTpslParams, 0).length;
  }
  return n;
});
const trivial = measure("baseline: trivial pnl loop", (b) => {
  const j = jitter[b & 63]!;
  let s = 0;
  for (let i = 0; i < N; i++) {
    const pos = positions[i]!;
    s += pnlPct(pos.side, pos.entryPrice, 100 * j);
  }
  return s;
});

console.log(`decision mix in one batch: ${JSON.stringify(counts)}`);
console.log(`ratio exit brain / legacy rule: ${(brain.perSec / legacy.perSec).toFixed(2)}x; exit brain / trivial loop: ${(brain.perSec / trivial.perSec).toFixed(3)}x`);
const ok = brain.perSec >= 200_000;
console.log(`[BENCH] exit-brain-throughput: ${Math.round(brain.perSec).toLocaleString("en-US")} evals/s (target >= 200,000/s): ${ok ? "MET" : "MISSED"}`);
if (brain.sink + legacy.sink + trivial.sink === Number.MIN_VALUE) console.log("");
