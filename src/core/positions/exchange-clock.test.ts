import { describe, expect, it } from "vitest";
import { exchangeClock } from "./exchange-clock";

describe("exchangeClock", () => {
  it("a real exchange's clock is the wall clock", () => {
    const c = exchangeClock({ openedAtExchange: 1_000_000, latestExchange: 1_600_000, firstWall: 1_000_200, nowWall: 1_600_100 });
    expect(c.mapped).toBe(false);
    expect(c.toExchange(1_234)).toBe(1_234);
  });
  it("the simulator at 60x: wall times are mapped onto its clock", () => {
    const c = exchangeClock({ openedAtExchange: 0, latestExchange: 60 * 60_000, firstWall: 10_000_000, nowWall: 10_060_000 });
    expect(c.mapped).toBe(true);
    expect(c.toExchange(10_000_000)).toBe(0);
    expect(c.toExchange(10_030_000)).toBe(30 * 60_000);
  });
  it("without both pairs nothing is mapped", () => {
    expect(exchangeClock({ openedAtExchange: null, latestExchange: 5, firstWall: 1, nowWall: 10_000 }).mapped).toBe(false);
    expect(exchangeClock({ openedAtExchange: 5, latestExchange: 5, firstWall: 1, nowWall: 10_000 }).mapped).toBe(false);
  });
});
