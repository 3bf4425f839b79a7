// The per-minute rollup gives the raw table's answers: every analysis that reads it
// (distribution, decisions over time) is compared with the same analysis over shadow_decision
// alone, for open ranges, ranges with edges inside a minute, ranges shorter than a minute, and
// after more rows arrive (triggers keep the rollup in step). The symbol list (loose index scan)
// equals SELECT DISTINCT.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { getDecisionDistribution, type DecisionDistribution } from "./get-decision-distribution";
import { getDecisionsOverTime } from "./get-decisions-over-time";
import { listShadowSymbols } from "./list-shadow-symbols";
import { DECISION_TYPES, type ShadowFilter } from "./shadow-filter";

const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);
const DAY = 86_400_000;

function rows(n: number, seed: number) {
  let x = seed;
  const next = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => {
    const type = DECISION_TYPES[Math.floor(next() ** 3 * DECISION_TYPES.length)]!;
    const symbol = `S${Math.floor(next() * 12)}USDT`;
    return {
      at: new Date(T0 + Math.floor(next() * 3 * DAY)), positionKey: `${symbol}:long:1`, symbol, side: "long", size: 1, entryPrice: 100, markPrice: 101,
      pnlPct: 1, decisionType: type, confidence: Math.round(next() * 1000) / 1000, reason: "r", mode: "SHADOW", toggleVersion: 1n,
    };
  });
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("shadow_rollup");
  await t.db.shadowDecision.createMany({ data: rows(4000, 7) });
});
afterAll(async () => t?.drop());

function sameDistribution(a: DecisionDistribution, b: DecisionDistribution) {
  expect(a.total).toBe(b.total);
  expect(a.byType.map((x) => [x.decisionType, x.count, x.share])).toEqual(b.byType.map((x) => [x.decisionType, x.count, x.share]));
  // float sums in another order: equal to the last few bits
  a.byType.forEach((x, i) => expect(x.avgConfidence).toBeCloseTo(b.byType[i]!.avgConfidence, 12));
}

const at = (ms: number) => new Date(T0 + ms);
const filters: [string, ShadowFilter][] = [
  ["all time", {}],
  ["edges inside minutes", { since: at(12_345), until: at(2 * DAY + 37_777) }],
  ["open end", { since: at(DAY + 59_999) }],
  ["open start", { until: at(DAY + 1) }],
  ["last 24 h", { since: at(2 * DAY + 3_000), until: at(3 * DAY + 3_000) }],
  ["shorter than a minute", { since: at(DAY + 10_000), until: at(DAY + 50_000) }],
  ["two partial minutes", { since: at(DAY + 30_000), until: at(DAY + 90_000) }],
];

describe("shadow analyses: the rollup answers equal the raw table's", () => {
  it("the rollup holds every decision", async () => {
    const [r] = await t.db.$queryRaw<{ n: bigint }[]>`SELECT sum(n)::bigint AS n FROM shadow_decision_minute`;
    expect(r!.n).toBe(BigInt(await t.db.shadowDecision.count()));
  });

  for (const [name, f] of filters) {
    it(`distribution and decisions over time, ${name}`, async () => {
      sameDistribution(await getDecisionDistribution(t.db, f), await getDecisionDistribution(t.db, f, { rollup: false }));
      const now = at(3 * DAY);
      const viaRollup = await getDecisionsOverTime(t.db, f, now);
      expect(viaRollup).toEqual(await getDecisionsOverTime(t.db, f, now, { rollup: false }));
      expect(viaRollup.points.reduce((s, p) => s + p.count, 0)).toBe((await getDecisionDistribution(t.db, f, { rollup: false })).total);
    });
  }

  it("stays equal after more rows arrive in minutes the rollup already holds", async () => {
    await t.db.shadowDecision.createMany({ data: rows(500, 99) });
    for (const [, f] of filters) {
      sameDistribution(await getDecisionDistribution(t.db, f), await getDecisionDistribution(t.db, f, { rollup: false }));
      expect(await getDecisionsOverTime(t.db, f, at(3 * DAY))).toEqual(await getDecisionsOverTime(t.db, f, at(3 * DAY), { rollup: false }));
    }
  });

  it("the symbol list (loose index scan) equals SELECT DISTINCT", async () => {
    const distinct = await t.db.$queryRaw<{ symbol: string }[]>`SELECT DISTINCT symbol FROM shadow_decision ORDER BY symbol LIMIT 500`;
    expect(await listShadowSymbols(t.db)).toEqual(distinct.map((r) => r.symbol));
    expect(distinct.length).toBe(12);
  });
});
