// The simulator's virtual market time (epoch ms). It moves only when advanced: by the real-time
// driver in sim/main.ts (speed × wall time), or by the admin API / tests, so engine tests are exact.
import type { Clock } from "../../src/core/market/types";

export class SimClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`clock can only move forward, got ${ms} ms`);
    this.current += ms;
  }
  set(ms: number): void {
    if (ms < this.current) throw new RangeError(`clock can only move forward: ${ms} < ${this.current}`);
    this.current = ms;
  }
}
