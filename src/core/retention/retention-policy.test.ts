import { describe, expect, it } from "vitest";
import { cutoffOf, DAY_MS, dayOfPartition, planDayPartitions, utcDay } from "./retention-policy";

const NOW = Date.parse("2026-11-27T15:00:00Z");

describe("cutoffOf", () => {
  it("is now minus the days; 0 days keeps forever", () => {
    expect(cutoffOf(NOW, 7)!.toISOString()).toBe("2026-11-20T15:00:00.000Z");
    expect(cutoffOf(NOW, 0)).toBeNull();
  });
});

describe("planDayPartitions", () => {
  it("creates today and the days ahead that are missing", () => {
    const p = planDayPartitions(NOW, ["2026-11-27", "2026-11-28"], 90, 3);
    expect(p.create).toEqual(["2026-11-29", "2026-11-30"]);
  });

  it("drops a day only when all of it is past retention", () => {
    // cutoff = 2026-08-29T15:00Z: the 28th ends at the 29th 00:00 (gone), the 29th is partly inside (kept)
    const p = planDayPartitions(NOW, ["2026-08-27", "2026-08-28", "2026-08-29", "2026-11-27"], 90, 0);
    expect(p.drop).toEqual(["2026-08-27", "2026-08-28"]);
    expect(p.defaultCutoff!.toISOString()).toBe("2026-08-29T15:00:00.000Z");
  });

  it("never drops today's or yesterday's partition, whatever the policy", () => {
    const p = planDayPartitions(NOW, ["2026-11-25", "2026-11-26", "2026-11-27"], 1, 0);
    expect(p.drop).toEqual(["2026-11-25"]);
  });

  it("keeps everything when the retention is 0 (forever)", () => {
    expect(planDayPartitions(NOW, ["2000-01-01"], 0, 0).drop).toEqual([]);
  });

  it("works on UTC days whatever the time of day", () => {
    expect(utcDay(Date.parse("2026-11-27T23:59:59.999Z"))).toBe("2026-11-27");
    expect(planDayPartitions(Date.parse("2026-11-27T23:59:59Z"), [], 90, 1).create).toEqual(["2026-11-27", "2026-11-28"]);
    expect(planDayPartitions(NOW + DAY_MS, [], 90, 0).create).toEqual(["2026-11-28"]);
  });
});

describe("dayOfPartition", () => {
  it("reads the day from a day partition's name; anything else is not one", () => {
    expect(dayOfPartition("shadow_decision", "shadow_decision_p20261127")).toBe("2026-11-27");
    expect(dayOfPartition("shadow_decision", "shadow_decision_default")).toBeNull();
    expect(dayOfPartition("shadow_decision", "other_p20261127")).toBeNull();
  });
});
