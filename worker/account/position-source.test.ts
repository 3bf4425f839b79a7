import { describe, expect, it } from "vitest";
import type { PositionSnapshot } from "../../src/core/market/types";
import { PositionSource } from "./position-source";

const short: PositionSnapshot = {
  symbol: "ETHUSDT", side: "short", size: 2, entryPrice: 100, markPrice: 100, leverage: 10, liquidationPrice: 109, unrealizedPnl: 0, openedAt: 1,
};

describe("PositionSource", () => {
  it("updates mark and PnL from the live price, with the right sign for shorts", async () => {
    const source = new PositionSource({ fetchPositions: async () => [short] }, { latest: () => ({ symbol: "ETHUSDT", price: 95, timestamp: 2 }) });
    expect(await source.current()).toEqual([{ ...short, markPrice: 95, unrealizedPnl: 10 }]);
  });
  it("keeps the exchange's values when there is no live price", async () => {
    const source = new PositionSource({ fetchPositions: async () => [short] }, { latest: () => undefined });
    expect(await source.current()).toEqual([short]);
  });
});
