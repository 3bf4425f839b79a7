import { describe, expect, it } from "vitest";
import { RequestWeight } from "./request-weight";

const MINUTE = 60_000;

describe("RequestWeight (X-MBX-USED-WEIGHT-1M per account)", () => {
  it("reads the venue's count from any header case and keeps the minute's highest", () => {
    let now = 10 * MINUTE + 1_000;
    const w = new RequestWeight(2400, 80, () => now);
    w.observe(200, { "X-Mbx-Used-Weight-1m": "120" });
    w.observe(200, { "x-mbx-used-weight-1m": "90" }); // an older answer arriving late
    expect(w.info()).toMatchObject({ used_weight_1m: 120, peak_weight_1m: 120, limit_1m: 2400, backoff_at_1m: 1920 });
    now += MINUTE; // a new minute: the venue's count starts again
    expect(w.info().used_weight_1m).toBe(0);
    expect(w.readWaitMs()).toBe(0);
  });

  it("holds reads until the next minute once the count reaches the back-off share, and says so once", () => {
    let now = 10 * MINUTE + 45_000;
    const w = new RequestWeight(2400, 80, () => now);
    const backoffs: number[] = [];
    w.on("backoff", (ms) => backoffs.push(ms));
    w.observe(200, { "X-Mbx-Used-Weight-1m": "1919" });
    expect(w.readWaitMs()).toBe(0);
    w.observe(200, { "X-Mbx-Used-Weight-1m": "1920" });
    expect(w.readWaitMs()).toBe(15_050);
    now += 5_000;
    expect(w.readWaitMs()).toBe(10_050);
    expect(backoffs).toEqual([15_050]);
    now += 10_050;
    expect(w.readWaitMs()).toBe(0);
    expect(w.info().backoffs).toBe(1);
  });

  it("after a 429 or 418 holds reads for the venue's Retry-After and counts the refusals", () => {
    const now = 10 * MINUTE;
    const w = new RequestWeight(2400, 80, () => now);
    const refused: [number, number | null][] = [];
    w.on("refused", (status, ms) => refused.push([status, ms]));
    w.observe(429, { "Retry-After": "30", "X-Mbx-Used-Weight-1m": "2401" });
    expect(w.readWaitMs()).toBe(30_000);
    w.observe(418, { "Retry-After": "120" });
    expect(w.readWaitMs()).toBe(120_000);
    expect(refused).toEqual([[429, 30_000], [418, 120_000]]);
    expect(w.info()).toMatchObject({ answered_429: 1, answered_418: 1 });
  });
});
