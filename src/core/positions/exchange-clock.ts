// Candles carry the exchange's clock; decisions and orders the wall clock. On a real exchange the
// two agree. The simulator replays history faster than real time (SIM_SPEED), so its candles are
// minutes of market per second of wall time: wall times are mapped linearly onto the exchange's
// clock between two known pairs — the position's opening (its key holds the exchange time, the
// first decision the wall time) and now (the newest candle, the wall clock). Pure.

export interface ClockPoints {
  openedAtExchange: number | null;
  latestExchange: number | null;
  firstWall: number | null;
  nowWall: number;
}

export interface ExchangeClock {
  /** true when the clocks differ in rate or offset (the simulator) and times are mapped */
  mapped: boolean;
  toExchange(wall: number): number;
}

const SAME: ExchangeClock = { mapped: false, toExchange: (w) => w };

/** Rates this close to 1 with offsets under a minute are one clock (network and polling jitter). */
export function exchangeClock(p: ClockPoints): ExchangeClock {
  const { openedAtExchange: e0, latestExchange: e1, firstWall: w0, nowWall: w1 } = p;
  if (e0 === null || e1 === null || w0 === null || !Number.isFinite(e0) || e1 <= e0 || w1 - w0 < 1_000) return SAME;
  const rate = (e1 - e0) / (w1 - w0);
  if (Math.abs(rate - 1) < 0.5 && Math.abs(e0 - w0) < 3_600_000) return SAME;
  return { mapped: true, toExchange: (w) => e0 + (w - w0) * rate };
}
