import { describe, expect, it } from "vitest";
import { fmtTime, validTimeZone } from "./format";

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
