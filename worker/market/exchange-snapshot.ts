// One shared, periodically refreshed view of the account: open positions and open (plain and
// conditional) orders. The executor, the legacy modules and the safety recorder read it, so a
// cycle costs two exchange calls however many consumers there are.
import { EventEmitter } from "node:events";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { Logger } from "../../src/server/logger";
import type { ExchangeOrder, ExchangePort } from "../exchange/exchange-port";
import type { PositionSource } from "./position-source";

export interface AccountSnapshot {
  at: number;
  positions: PositionSnapshot[];
  openOrders: ExchangeOrder[];
}

export class ExchangeSnapshot extends EventEmitter<{ refreshed: [AccountSnapshot]; failed: [unknown] }> {
  private last: AccountSnapshot | null = null;
  private inFlight: Promise<AccountSnapshot | null> | null = null;

  constructor(
    private readonly port: Pick<ExchangePort, "fetchOpenOrders">,
    private readonly positions: Pick<PositionSource, "current">,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  latest(): AccountSnapshot | null {
    return this.last;
  }

  /** Fetches positions and open orders; concurrent callers share one refresh. */
  refresh(): Promise<AccountSnapshot | null> {
    this.inFlight ??= (async () => {
      try {
        const [positions, openOrders] = await Promise.all([this.positions.current(), this.port.fetchOpenOrders()]);
        this.last = { at: this.now(), positions: positions.filter((p) => p.size > 0), openOrders };
        this.emit("refreshed", this.last);
        return this.last;
      } catch (err) {
        // A malformed payload or an outage: keep the last good view, say so, carry on.
        this.log.warn({ err: err instanceof Error ? err.message : String(err) }, "[WORKER] account refresh failed; keeping the last good snapshot");
        this.emit("failed", err);
        return null;
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }
}
