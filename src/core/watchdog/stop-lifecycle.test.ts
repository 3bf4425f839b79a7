import { describe, expect, it } from "vitest";
import type { PositionSnapshot } from "../market/types";
import { assessPositionSafety, type OpenExitOrder } from "../safety/position-safety";
import { ALGO_STATUSES, STOP_TRIGGERING_MAX_MS, stillProtects } from "./stop-lifecycle";

const NOW = 1_750_000_000_000;

describe("stillProtects: Binance's algo lifecycle and the unprotected-position rule", () => {
  it("NEW and plain orders protect; ended states never do", () => {
    expect(stillProtects({}, NOW)).toBe(true);
    expect(stillProtects({ algoStatus: null }, NOW)).toBe(true);
    expect(stillProtects({ algoStatus: "NEW" }, NOW)).toBe(true);
    for (const s of ["FINISHED", "CANCELED", "EXPIRED", "REJECTED"] as const) expect(stillProtects({ algoStatus: s, triggeringSince: NOW }, NOW)).toBe(false);
    expect(ALGO_STATUSES).toHaveLength(7);
  });

  it.each(["TRIGGERING", "TRIGGERED"] as const)("%s protects for a few seconds, then not; of unknown age not at all", (algoStatus) => {
    expect(stillProtects({ algoStatus, triggeringSince: NOW - STOP_TRIGGERING_MAX_MS }, NOW)).toBe(true);
    expect(stillProtects({ algoStatus, triggeringSince: NOW - STOP_TRIGGERING_MAX_MS - 1 }, NOW)).toBe(false);
    expect(stillProtects({ algoStatus, triggeringSince: null }, NOW)).toBe(false);
  });
});

describe("assessPositionSafety with firing stops", () => {
  const pos: PositionSnapshot = { symbol: "BTCUSDT", side: "long", size: 0.5, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: 80, unrealizedPnl: 0.5, openedAt: null };
  const stop = (over: Partial<OpenExitOrder>): OpenExitOrder => ({ symbol: "BTCUSDT", side: "sell", type: "STOP_MARKET", reduceOnly: true, closePosition: false, stopPrice: 95, ...over });

  it("a stop stuck in TRIGGERING for longer than the grace leaves its position unprotected; a fresh one does not", () => {
    expect(assessPositionSafety([pos], [stop({ algoStatus: "TRIGGERING", triggeringSince: NOW - 2_000 })], NOW)[0]?.protected).toBe(true);
    expect(assessPositionSafety([pos], [stop({ algoStatus: "TRIGGERING", triggeringSince: NOW - 12_000 })], NOW)[0]).toMatchObject({ protected: false, stopPrice: null });
  });

  it("another working stop still protects the position", () => {
    const r = assessPositionSafety([pos], [stop({ algoStatus: "TRIGGERING", triggeringSince: NOW - 60_000 }), stop({ algoStatus: "NEW", stopPrice: 90 })], NOW)[0];
    expect(r).toMatchObject({ protected: true, stopPrice: 90 });
  });

  it("a FINISHED stop (e.g. from the user stream, with no fill) is no protection", () => {
    expect(assessPositionSafety([pos], [stop({ algoStatus: "FINISHED" })], NOW)[0]?.protected).toBe(false);
  });
});
