import { describe, expect, it } from "vitest";
import { fmtMoney, fmtTime, fmtUpnl, validTimeZone, zoneName } from "./format";

describe("fmtTime: one clock, always with its zone", () => {
  const at = "2026-11-27T18:03:17.250Z";
  it("UTC by default, labelled", () => {
    expect(fmtTime(at)).toBe("2026-11-27 18:03:17 UTC");
    expect(fmtTime(new Date(at))).toBe("2026-11-27 18:03:17 UTC");
  });
  it("in the user's zone, with that zone's name", () => {
    expect(fmtTime(at, "Europe/Berlin")).toBe("2026-11-27 19:03:17 CET");
    expect(fmtTime(at, "Asia/Tokyo")).toMatch(/^2026-11-28 03:03:17 (GMT\+9|JST)$/);
  });
  it("zoneName: the same short name fmtTime writes, at that instant (summer and winter differ)", () => {
    expect(zoneName(new Date(at))).toBe("UTC");
    expect(zoneName(new Date(at), "Europe/Berlin")).toBe("CET");
    expect(zoneName(new Date("2026-07-01T12:00:00Z"), "Europe/Berlin")).toBe("CEST");
    expect(fmtTime(at, "Asia/Tokyo").endsWith(` ${zoneName(new Date(at), "Asia/Tokyo")}`)).toBe(true);
    expect(zoneName(new Date(at), "Mars/Olympus")).toBe("UTC");
  });
  it("simulator time is labelled as such", () => {
    expect(fmtTime(at, "UTC", { simulator: true })).toBe("sim 2026-11-27 18:03:17 UTC");
  });
  it("an unknown or forged zone falls back to UTC; missing times are a dash", () => {
    expect(validTimeZone("Mars/Olympus")).toBeNull();
    expect(validTimeZone("UTC; path=/")).toBeNull();
    expect(fmtTime(at, "Mars/Olympus")).toBe("2026-11-27 18:03:17 UTC");
    expect(fmtTime(null)).toBe("—");
    expect(fmtTime("not a date")).toBe("—");
  });
});

describe("fmtUpnl: unrealized P&L in money and % of entry (position page and Status page alike)", () => {
  it("money with its sign and unit, then the percentage of entry", () => {
    expect(fmtUpnl(12.345, 0.5, "USDT")).toBe("+12.35 USDT (+0.50% of entry)");
    expect(fmtUpnl(-3.2, -0.6449, "USDT")).toBe("-3.20 USDT (-0.64% of entry)");
    expect(fmtUpnl(0, 0)).toBe("+0.00 USDT (+0.00% of entry)");
  });
  it("a missing amount is a dash; a missing percentage is left out rather than shown as a dash in brackets", () => {
    expect(fmtUpnl(null, null)).toBe("—");
    expect(fmtUpnl(1.5, null)).toBe("+1.50 USDT");
    expect(fmtMoney(null)).toBe("—");
    expect(fmtMoney(-0.5, "USDC")).toBe("-0.50 USDC");
  });
});
