import { describe, expect, it } from "vitest";
import { assessDisk, isDiskFullError, type DiskSample } from "./disk-pressure";

const MB = 1024 * 1024;
const t = { minFreeBytes: 100 * MB, minFreePct: 5 };
const sample = (freeMb: number, totalMb = 10_000): DiskSample => ({ label: "data", path: "/d", freeBytes: freeMb * MB, totalBytes: totalMb * MB });

describe("assessDisk", () => {
  it("is low below either limit and names the directory", () => {
    expect(assessDisk([sample(5_000)], t, false, false).low).toBe(false);
    const bytes = assessDisk([sample(99)], t, false, false);
    expect(bytes.low).toBe(true);
    expect(bytes.warnings[0]).toMatch(/data directory \/d: 99 MB free/);
    expect(assessDisk([sample(400)], t, false, false).low).toBe(true); // 4% < 5%
  });

  it("recovers only with 50% more than the limit (no flapping at the edge)", () => {
    expect(assessDisk([sample(600)], t, true, false).low).toBe(true); // 6% < 7.5%
    expect(assessDisk([sample(800)], t, true, false).low).toBe(false);
  });

  it("a database refusing writes is low and says the executor acts as SHADOW", () => {
    const a = assessDisk([sample(5_000)], t, false, true);
    expect(a).toMatchObject({ low: true, databaseFull: true });
    expect(a.warnings.join(" ")).toMatch(/53100.*SHADOW/);
  });

  it("a limit of 0 is off", () => {
    expect(assessDisk([sample(1)], { minFreeBytes: 0, minFreePct: 0 }, false, false).low).toBe(false);
  });
});

describe("isDiskFullError", () => {
  it("knows PostgreSQL's disk_full and the OS's ENOSPC message", () => {
    expect(isDiskFullError({ code: "53100", message: "could not extend file" })).toBe(true);
    expect(isDiskFullError(new Error("ENOSPC: No space left on device, write"))).toBe(true);
    expect(isDiskFullError({ code: "57P01" })).toBe(false);
    expect(isDiskFullError("53100")).toBe(false);
  });
});
