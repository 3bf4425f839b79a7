// The account view kept by the user-data stream (issue 14): positions and open orders change with
// each event, within milliseconds of the venue's change, at no request weight. A full REST read
// (positions + open orders + open algo orders, ~85 weight) sets the view at start, after every
// (re)connection (events may have been missed while the socket was down), after a malformed
// message, and once a minute as a safety net. A position opened by an event gets its leverage and
// liquidation price from one positionRisk read of its symbol (weight 5).
//
// Confirmation (src/core/account/stream-health.ts): while the stream is down, silent past the gap,
// or reconnected without its REST read yet, the view is unconfirmed and the executor acts as
// SHADOW (worker/main.ts feeds this into the same demotion as a database refusing writes).
import { EventEmitter } from "node:events";
import {
  applyUserDataEvent, EMPTY_ACCOUNT, rebaseOnRest, withPositionDetail, type AccountView, type ReceivedEvent,
} from "../../src/core/account/account-view";
import { accountConfirmation, type Confirmation } from "../../src/core/account/stream-health";
import type { UserDataEvent } from "../../src/core/account/user-data-events";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import type { UserDataStream } from "../exchange/user-data-stream";

export interface AccountStreamOptions {
  /** no event or answered ping for this long = unconfirmed (ACCOUNT_STREAM_GAP_MS) */
  gapMs: number;
  /** full REST refresh interval (ACCOUNT_FULL_REFRESH_S) */
  fullRefreshMs: number;
  /** how often confirmation is re-evaluated (a flip is reported at most this late) */
  checkMs?: number;
  now?: () => number;
}

/** how long an order's event is remembered for ordersSeen() */
const SEEN_KEEP_MS = 10 * 60_000;

type Stream = Pick<UserDataStream, "on" | "off" | "start" | "stop" | "connected" | "lastAliveAt">;

export class AccountStream extends EventEmitter<{ changed: [AccountView]; confirmation: [Confirmation] }> {
  private view: AccountView = EMPTY_ACCOUNT;
  private haveRest = false;
  /** increments on every (re)connection; a REST read counts for a connection only if it started after it opened */
  private connection = 0;
  private refreshedConnection = -1;
  private refreshing: Promise<boolean> | null = null;
  private buffered: ReceivedEvent[] | null = null;
  private readonly detailInFlight = new Set<string>();
  private confirmationNow: Confirmation = { confirmed: false, reason: "not started" };
  private lastRestAt: number | null = null;
  private failuresInRow = 0;
  private timers: NodeJS.Timeout[] = [];
  /** client order ids whose event (any status) arrived, with when: what a sender waits for (ordersSeen) */
  private readonly seenClientIds = new Map<string, number>();
  private readonly now: () => number;
  counts = { events: 0, restRefreshes: 0, restFailures: 0, malformed: 0, unconfirmedSpells: 0 };

  constructor(
    private readonly port: Pick<ExchangePort, "fetchPositions" | "fetchOpenOrders">,
    private readonly stream: Stream,
    private readonly log: Logger,
    private readonly o: AccountStreamOptions,
  ) {
    super();
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.stream.on("event", this.onEvent);
    this.stream.on("connected", this.onConnected);
    this.stream.on("disconnected", this.onDisconnected);
    this.stream.on("malformed", this.onMalformed);
    this.stream.start();
    this.timers.push(setInterval(() => void this.refreshFromRest("once a minute"), this.o.fullRefreshMs));
    this.timers.push(setInterval(() => this.check(), this.o.checkMs ?? 250));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.stream.off("event", this.onEvent);
    this.stream.off("connected", this.onConnected);
    this.stream.off("disconnected", this.onDisconnected);
    this.stream.off("malformed", this.onMalformed);
    await this.stream.stop();
    await this.refreshing;
  }

  /** The current view; null until the first REST read. */
  current(): AccountView | null {
    return this.haveRest ? this.view : null;
  }

  /** When the view was last known to match the venue: now while confirmed, else the last REST read. */
  asOf(): number {
    return this.confirmation().confirmed ? this.now() : (this.lastRestAt ?? 0);
  }

  confirmation(): Confirmation {
    return accountConfirmation(
      { connected: this.stream.connected(), lastAliveAt: this.stream.lastAliveAt(), refreshedSinceConnect: this.refreshedConnection === this.connection },
      this.now(),
      this.o.gapMs,
    );
  }

  info(): { confirmed: boolean; reason: string | null; last_rest_refresh_at: string | null } & AccountStream["counts"] {
    const c = this.confirmation();
    return { confirmed: c.confirmed, reason: c.reason, last_rest_refresh_at: this.lastRestAt === null ? null : new Date(this.lastRestAt).toISOString(), ...this.counts };
  }

  /** A full REST read of positions and open orders; concurrent callers share one. False when it failed. */
  refreshFromRest(why: string): Promise<boolean> {
    this.refreshing ??= (async () => {
      const connection = this.connection;
      const streaming = this.stream.connected();
      this.buffered = [];
      try {
        const [positions, orders] = await Promise.all([this.port.fetchPositions(), this.port.fetchOpenOrders()]);
        this.view = rebaseOnRest({ positions, orders }, this.view, this.buffered);
        this.haveRest = true;
        this.lastRestAt = this.now();
        this.counts.restRefreshes++;
        this.failuresInRow = 0;
        if (streaming && connection === this.connection) this.refreshedConnection = connection;
        this.emit("changed", this.view);
        this.check();
        return true;
      } catch (err) {
        this.counts.restFailures++;
        this.failuresInRow++;
        const line = `[ACCOUNT] account refresh failed; keeping the last good snapshot (REST read: ${why})`;
        if (this.failuresInRow === 1 || this.failuresInRow % 10 === 0) this.log.warn({ err: err instanceof Error ? err.message : String(err), failures_in_row: this.failuresInRow }, line);
        else this.log.debug({ err: err instanceof Error ? err.message : String(err) }, line);
        // After a reconnect the view stays unconfirmed until a read succeeds: try again, backing off.
        if (this.refreshedConnection !== this.connection) {
          setTimeout(() => void this.refreshFromRest(why), Math.min(30_000, 1000 * 2 ** (this.failuresInRow - 1))).unref();
        }
        return false;
      } finally {
        this.buffered = null;
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /**
   * Resolves true once an event of every one of these client order ids has arrived on this
   * connection's stream (or a REST read has shown the order open), false after `timeoutMs` or when
   * the view stops being confirmed first. What the account cycle waits for after a legacy module
   * sent orders, instead of a full REST read (~85 weight): the venue sends an order's event before
   * it answers the request, so it is normally here already.
   */
  ordersSeen(clientOrderIds: readonly string[], timeoutMs: number): Promise<boolean> {
    const seen = (): boolean => {
      const open = new Set([...this.view.orders.values()].map((o) => o.clientOrderId));
      return clientOrderIds.every((id) => this.seenClientIds.has(id) || open.has(id));
    };
    if (!this.confirmation().confirmed) return Promise.resolve(false);
    if (seen()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.off("changed", onChange);
        this.off("confirmation", onConfirmation);
        resolve(ok);
      };
      const onChange = (): void => void (seen() && done(true));
      const onConfirmation = (c: Confirmation): void => void (!c.confirmed && done(false));
      const timer = setTimeout(() => done(false), timeoutMs);
      this.on("changed", onChange);
      this.on("confirmation", onConfirmation);
    });
  }

  private noteClientId(event: UserDataEvent, at: number): void {
    const id = event.e === "ORDER_TRADE_UPDATE" ? event.o.c : event.e === "ALGO_UPDATE" ? event.o.caid : null;
    if (!id) return;
    this.seenClientIds.set(id, at);
    // Bounded: a sender waits seconds, so ids older than SEEN_KEEP_MS are of no use.
    if (this.seenClientIds.size > 1000) for (const [k, t] of this.seenClientIds) if (at - t > SEEN_KEEP_MS) this.seenClientIds.delete(k);
  }

  private readonly onEvent = (event: UserDataEvent): void => {
    const at = this.now();
    this.counts.events++;
    this.noteClientId(event, at);
    this.buffered?.push({ event, at });
    this.view = applyUserDataEvent(this.view, event, at);
    for (const symbol of this.view.needsDetail) void this.fetchDetail(symbol);
    this.emit("changed", this.view);
  };

  private readonly onConnected = (): void => {
    this.connection++;
    // Events of the previous connection may be followed by missed ones: seen again only on this one.
    this.seenClientIds.clear();
    this.check();
    void this.refreshFromRest("user-data stream connected");
  };

  private readonly onDisconnected = (reason: string, attempt: number): void => {
    const line = `[ACCOUNT] user-data stream down (${reason}); reconnecting (attempt ${attempt})`;
    if (attempt === 1 || attempt % 10 === 0) this.log.warn(line);
    else this.log.debug(line);
    this.check();
  };

  private readonly onMalformed = (err: Error): void => {
    this.counts.malformed++;
    this.log.warn(`[ACCOUNT] ${err.message}; the view may have missed a change, refreshing over REST`);
    void this.refreshFromRest("malformed event");
  };

  private async fetchDetail(symbol: string): Promise<void> {
    if (this.detailInFlight.has(symbol)) return;
    this.detailInFlight.add(symbol);
    try {
      const positions = await this.port.fetchPositions([symbol]);
      this.view = withPositionDetail(this.view, symbol, positions);
      this.emit("changed", this.view);
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[ACCOUNT] reading ${symbol}'s new position (leverage, liquidation price) failed; the next full refresh fills them in`);
    } finally {
      this.detailInFlight.delete(symbol);
    }
  }

  /** Reports a flip of confirmation (log line + event). */
  private check(): void {
    const c = this.confirmation();
    if (c.confirmed === this.confirmationNow.confirmed) {
      this.confirmationNow = c;
      return;
    }
    this.confirmationNow = c;
    if (c.confirmed) this.log.info("[ACCOUNT] account state confirmed by the user-data stream");
    else {
      this.counts.unconfirmedSpells++;
      this.log.warn(`[ACCOUNT] account state unconfirmed: ${c.reason}; the executor acts as SHADOW until it is confirmed`);
    }
    this.emit("confirmation", c);
  }
}
