// Current positions (entry, mark, size, side, leverage, liquidation price, unrealised PnL) as
// PositionSnapshot, read from the exchange; the mark price is refreshed from the live price
// stream when it is newer, so the Exit Brain sees prices between position polls.
import type { PositionSnapshot } from "../../src/core/market/types";
import type { ExchangePort } from "../exchange/exchange-port";
import type { PriceStream } from "../market/price-stream";

export class PositionSource {
  constructor(
    private readonly port: Pick<ExchangePort, "fetchPositions">,
    private readonly prices?: Pick<PriceStream, "latest">,
  ) {}

  async current(): Promise<PositionSnapshot[]> {
    const positions = await this.port.fetchPositions();
    return positions.map((p) => this.withLivePrice(p));
  }

  /** The position at the stream's newer price, when there is one. */
  withLivePrice(p: PositionSnapshot): PositionSnapshot {
    const tick = this.prices?.latest(p.symbol);
    return tick ? withMarkPrice(p, tick.price) : p;
  }
}

/** The position at a newer mark price (from the price stream), unrealised PnL to match. */
export function withMarkPrice(p: PositionSnapshot, price: number): PositionSnapshot {
  const direction = p.side === "long" ? 1 : -1;
  return { ...p, markPrice: price, unrealizedPnl: (price - p.entryPrice) * p.size * direction };
}
