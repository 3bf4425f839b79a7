// The "all time" chart after retention dropped the oldest day partitions: the per-minute rollup
// still holds those days' counts (kept forever), so the chart starts where the rollup starts and
// says which part comes from the rollup alone; filtered by symbol (the rollup has none) it starts
// at the oldest kept decision and says the older days are not shown. Real PostgreSQL; the drop is
// the retention job's own function on old, fixed dates (the clock does not matter to it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { getDecisionsOverTime } from "./get-decisions-over-time";

const DAY = 86_400_000;
const D0 = Date.UTC(2025, 0, 6); // five days from here, the first two dropped
const days = [0, 1, 2, 3, 4].map((k) => new Date(D0 + k * DAY).toISOString().slice(0, 10));
const PER_DAY = 48; // one every 30 min, two symbols

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("shadow_retention_chart");
  for (const d of days) await t.db.$queryRawUnsafe(`SELECT shadow_decision_partition_create($1::date)`, d);
  await t.db.shadowDecision.createMany({
    data: days.flatMap((_, k) =>
      Array.from({ length: PER_DAY }, (_, i) => {
        const symbol = i % 2 ? "BTCUSDT" : "ETHUSDT";
        return {
          at: new Date(D0 + k * DAY + i * 1_800_000 + 7_000), positionKey: `${symbol}:long:1`, symbol, side: "long", size: 1, entryPrice: 100, markPrice: 101,
          pnlPct: 1, decisionType: i % 6 ? "hold" : "move_sl", confidence: 0.5, reason: "r", mode: "SHADOW", toggleVersion: 1n,
        };
      }),
    ),
  });
  for (const d of days.slice(0, 2)) await t.db.$queryRawUnsafe(`SELECT shadow_decision_partition_drop($1::date)`, d);
});
afterAll(async () => t?.drop());

const total = (r: { points: { count: number }[] }) => r.points.reduce((s, p) => s + p.count, 0);

describe("decisions over time after retention", () => {
  it("all time starts at the rollup's first minute and says the days before the kept decisions come from the rollup", async () => {
    expect(await t.db.shadowDecision.count()).toBe(3 * PER_DAY);
    const r = await getDecisionsOverTime(t.db, {});
    expect(total(r)).toBe(5 * PER_DAY); // the dropped days' counts too
    expect(Math.min(...r.points.map((p) => p.at.getTime()))).toBeLessThan(D0 + DAY);
    expect(r.retention).toEqual({ rawFrom: new Date(D0 + 2 * DAY + 7_000), rollupFrom: new Date(D0), shown: true });
  });

  it("filtered by symbol: starts at the oldest kept decision and says the older days are not shown", async () => {
    const r = await getDecisionsOverTime(t.db, { symbol: "BTCUSDT" });
    expect(total(r)).toBe((3 * PER_DAY) / 2);
    expect(Math.min(...r.points.map((p) => p.at.getTime()))).toBeGreaterThanOrEqual(D0 + 2 * DAY);
    expect(r.retention).toMatchObject({ rawFrom: new Date(D0 + 2 * DAY + 1_800_000 + 7_000), shown: false });
  });

  it("a range inside the kept days has no note", async () => {
    const r = await getDecisionsOverTime(t.db, { since: new Date(D0 + 3 * DAY), until: new Date(D0 + 4 * DAY) });
    expect(total(r)).toBe(PER_DAY);
    expect(r.retention).toBeNull();
  });
});
