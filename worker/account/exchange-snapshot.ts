// One shared view of the account: open positions and open (plain and conditional) orders. The
// executor, the legacy modules and the safety recorder read it. Two sources:
//  - the user-data stream (an AccountStream, issue 14): the view follows the venue's events, a
//    refresh() costs nothing while the stream is confirmed, and REST is read only when it is not;
//  - polling (no stream): each refresh() reads positions and open orders over REST, shared by
//    concurrent callers.
// Either way, while the request-weight back-off holds reads, a read answers null at once.
import { EventEmitter } from "node:events";
import { accountSnapshotOf } from "../../src/core/account/account-view";
import type { AccountStream } from "./account-stream";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { Logger } from "../../src/server/logger";
import type { ExchangeOrder, ExchangePort } from "../exchange/exchange-port";
import type { PositionSource } from "./position-source";

export interface AccountSnapshot {
  at: number;
  positions: PositionSnapshot[];
  openOrders: ExchangeOrder[];
}

/** REST reads while the stream is unconfirmed: at most one per this many ms */
export const UNCONFIRMED_REST_MS = 10_000;

/** how long afterSend() waits for the events of orders just placed before reading REST */
export const AFTER_SEND_WAIT_MS = 3_000;

export class ExchangeSnapshot extends EventEmitter<{ refreshed: [AccountSnapshot]; failed: [unknown] }> {
  private last: AccountSnapshot | null = null;
  private inFlight: Promise<AccountSnapshot | null> | null = null;
  private unconfirmedReadAt = -Infinity;
  private lastPollOk = false;
  /** the held-reads line was logged for the current hold */
  private heldSaid = false;

  constructor(
    private readonly port: Pick<ExchangePort, "fetchOpenOrders">,
    private readonly positions: Pick<PositionSource, "current" | "withLivePrice">,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly stream: AccountStream | null = null,
    /** how long a REST read would be held now by the request-weight back-off (0 = it goes at once) */
    private readonly readsHeldMs: () => number = () => 0,
  ) {
    super();
    stream?.on("changed", () => {
      const snap = this.latest();
      if (snap) this.emit("refreshed", snap);
    });
  }

  /** Whether the view comes from the user-data stream. */
  streaming(): boolean {
    return this.stream !== null;
  }

  /** Whether the view follows the venue now: the stream confirmed; polling, the last read succeeded. */
  confirmed(): boolean {
    return this.stream ? this.stream.confirmation().confirmed : this.lastPollOk;
  }

  latest(): AccountSnapshot | null {
    if (!this.stream) return this.last;
    const view = this.stream.current();
    if (!view) return null;
    const { positions, openOrders } = accountSnapshotOf(view);
    return { at: this.stream.asOf(), positions: positions.map((p) => this.positions.withLivePrice(p)), openOrders };
  }

  /**
   * The current view. Polling: fetches positions and open orders (concurrent callers share one
   * refresh). Streaming: the stream's view while it is confirmed, else a REST read first.
   */
  async refresh(): Promise<AccountSnapshot | null> {
    if (this.stream) {
      // Unconfirmed (the stream is down or silent): read REST, but at most every
      // UNCONFIRMED_REST_MS however often callers ask (each read weighs ~85; the account cycle asks
      // every ACCOUNT_REFRESH_MS), so an outage of the stream cannot exhaust the request weight.
      const due = this.now() - this.unconfirmedReadAt >= UNCONFIRMED_REST_MS;
      if (!this.stream.current() || (!this.stream.confirmation().confirmed && due)) {
        this.unconfirmedReadAt = this.now();
        if (!(await this.stream.refreshFromRest("refresh while unconfirmed"))) return null;
      }
      return this.latest();
    }
    return this.poll();
  }

  /**
   * A REST read whatever the source (after sending orders, a caller must see them). With the stream,
   * null at once while reads are held by the request-weight back-off (after a 429 until the next
   * minute): waiting would park the account cycle for up to a minute, and positions the stream
   * shows opening meanwhile would get no stop. The caller treats null as "no fresh view".
   */
  async refreshFromRest(): Promise<AccountSnapshot | null> {
    if (!this.stream) return this.poll();
    if (this.readsHeld()) return null;
    return (await this.stream.refreshFromRest("explicit")) ? this.latest() : null;
  }

  /**
   * The view after a module sent orders: the next module must see them (or what may have been
   * placed) before it decides, or both would place a stop. Polling: a REST read. Streaming and
   * confirmed, every send answered "placed": the stream's events of those client order ids, waited
   * for up to `waitMs` (no request weight; the venue sends an order's event before answering).
   * Otherwise (a send that failed may still exist on the venue and has no event to wait for, the
   * events did not come, the stream is unconfirmed): the full REST read of refreshFromRest().
   * null = no fresh view: the caller waits for its next cycle, so nothing unseen is sent twice.
   */
  async afterSend(sent: { placedClientIds: readonly string[]; unsure: number }, waitMs = AFTER_SEND_WAIT_MS): Promise<AccountSnapshot | null> {
    if (this.stream && sent.unsure === 0 && (await this.stream.ordersSeen(sent.placedClientIds, waitMs))) return this.latest();
    return this.refreshFromRest();
  }

  /** Whether REST reads are held now by the request-weight back-off (a read would wait for it). */
  readsHeld(): boolean {
    return this.readsHeldMs() > 0;
  }

  private poll(): Promise<AccountSnapshot | null> {
    // Held by the request-weight back-off (after a 429 until the venue's Retry-After, up to a
    // minute): "no fresh view" at once, as the stream does, instead of parking every caller (the
    // account cycle, the executor) for the whole hold. The next cycle asks again.
    if (this.readsHeld()) {
      if (!this.heldSaid) this.log.warn(`[WORKER] account refresh skipped: REST reads are held ${Math.round(this.readsHeldMs() / 1000)} s by the request-weight back-off; the next cycle reads again`);
      this.heldSaid = true;
      return Promise.resolve(null);
    }
    this.heldSaid = false;
    this.inFlight ??= (async () => {
      try {
        const [positions, openOrders] = await Promise.all([this.positions.current(), this.port.fetchOpenOrders()]);
        this.last = { at: this.now(), positions: positions.filter((p) => p.size > 0), openOrders };
        this.lastPollOk = true;
        this.emit("refreshed", this.last);
        return this.last;
      } catch (err) {
        // A malformed payload or an outage: keep the last good view, say so, carry on.
        this.lastPollOk = false;
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
