// Binance's USDⓈ-M user-data stream: a listen key (POST /fapi/v1/listenKey, kept alive with PUT
// every 30 minutes, valid 60), a WebSocket that carries the account's events, reconnection with
// back-off. Every message is validated (src/core/account/user-data-events.ts) before anyone sees it.
//
// Why not ccxt pro's watchOrders/watchPositions/watchBalance (they manage the listen key too): they
// hand back ccxt's unified structures, not Binance's events, so an event could not be validated as
// sent; they do not say when the socket reconnected (after which events may have been missed and a
// REST refresh is due); and nothing tells whether a silent socket is alive. Binance sends nothing
// while nothing happens, so this client pings the socket every `pingMs`: an answered ping or an
// event counts as "alive" (a successful keep-alive does not: it proves the listen key, not this
// socket); `gapMs` without either closes the socket and reconnects (the loop, ping and gap are
// worker/exchange/reconnect-loop.ts, shared with the market streams). The listen-key calls and the
// URLs still come from ccxt (its signing, its request weight accounting, and Binance's current
// /private/ws?listenKey= route, or the simulator's).
import { EventEmitter } from "node:events";
import WebSocket from "ws";
import { parseUserDataEvent, UserDataEventError, type UserDataEvent } from "../../src/core/account/user-data-events";
import { endOnSocketFailure, pingUntilSilent, ReconnectLoop, tearDown } from "./reconnect-loop";

/** The listen-key endpoints (ccxt's implicit API methods; a fake in unit tests). */
export interface ListenKeyApi {
  create(): Promise<string>;
  keepAlive(listenKey: string): Promise<void>;
  close(listenKey: string): Promise<void>;
  /** the WebSocket URL of this listen key's stream */
  url(listenKey: string): string;
}

export interface UserDataStreamOptions {
  /** ping the socket this often (default 1 s) */
  pingMs?: number;
  /** no event or pong for this long: close and reconnect (default 5 s) */
  gapMs?: number;
  /** PUT /fapi/v1/listenKey this often (Binance: a key lives 60 minutes; default 30) */
  keepAliveMs?: number;
  /**
   * reconnect back-off: first wait and cap (default 250 ms, 2 s: the executor is SHADOW while the
   * stream is down, so a reconnect must not wait long; Binance allows 300 connections per 5 minutes)
   */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** connecting (listen key + socket open) may take this long (default 10 s) */
  connectTimeoutMs?: number;
  now?: () => number;
}

export interface UserDataStreamEvents {
  /** a validated event (listenKeyExpired included; the stream reconnects by itself after it) */
  event: [UserDataEvent];
  /** the socket is open and listening: events from before may have been missed */
  connected: [];
  /** the socket closed or could not open; `attempt` counts failures since the last connection */
  disconnected: [reason: string, attempt: number];
  /** a message that is not a valid event: the view may have missed a change */
  malformed: [UserDataEventError];
  /** an event or a pong just proved the stream alive */
  alive: [at: number];
}

export class UserDataStream extends EventEmitter<UserDataStreamEvents> {
  private socket: WebSocket | null = null;
  private listenKey: string | null = null;
  private lastAlive: number | null = null;
  private connectedFlag = false;
  private readonly o: Required<UserDataStreamOptions>;
  private readonly loop: ReconnectLoop;

  constructor(private readonly api: ListenKeyApi, opts: UserDataStreamOptions = {}) {
    super();
    this.o = {
      pingMs: 1000, gapMs: 5000, keepAliveMs: 30 * 60_000, initialBackoffMs: 250, maxBackoffMs: 2000, connectTimeoutMs: 10_000, now: Date.now, ...opts,
    };
    this.loop = new ReconnectLoop(
      async (opened) => {
        try {
          return await this.connectOnce(opened);
        } finally {
          this.connectedFlag = false;
          this.socket = null;
        }
      },
      { initialBackoffMs: this.o.initialBackoffMs, maxBackoffMs: this.o.maxBackoffMs, onDisconnected: (reason, attempt) => this.emit("disconnected", reason, attempt) },
    );
  }

  /** connections opened again after one ended */
  get reconnects(): number {
    return this.loop.reconnects;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    const stopping = this.loop.stop();
    this.socket?.terminate();
    await stopping;
    const key = this.listenKey;
    this.listenKey = null;
    if (key) await this.api.close(key).catch(() => {}); // Binance closes an unused key by itself after 60 min
  }

  connected(): boolean {
    return this.connectedFlag;
  }

  lastAliveAt(): number | null {
    return this.lastAlive;
  }

  private markAlive(): void {
    this.lastAlive = this.o.now();
    this.emit("alive", this.lastAlive);
  }

  /** One connection, from listen key to close; resolves with why it ended. */
  private async connectOnce(onOpen: () => void): Promise<string> {
    // POST returns the account's current key if one is active (Binance and the simulator), and
    // extends it: so a reconnect keeps the key unless it expired.
    const key = await withTimeout(this.api.create(), this.o.connectTimeoutMs, "POST /fapi/v1/listenKey");
    this.listenKey = key;
    const ws = new WebSocket(this.api.url(key), { handshakeTimeout: this.o.connectTimeoutMs });
    this.socket = ws;
    return new Promise<string>((resolve) => {
      let ended = false;
      const timers: NodeJS.Timeout[] = [];
      const end = (why: string) => {
        if (ended) return;
        ended = true;
        for (const t of timers) clearInterval(t);
        tearDown(ws);
        resolve(why);
      };
      ws.on("open", () => {
        if (!this.loop.isRunning()) return end("stopped");
        this.connectedFlag = true;
        onOpen();
        this.markAlive();
        this.emit("connected");
        timers.push(pingUntilSilent(ws, {
          pingMs: this.o.pingMs, gapMs: this.o.gapMs, now: this.o.now, lastHeardAt: () => this.lastAlive ?? 0,
          onSilent: (silent) => end(`no event or pong for ${silent} ms`),
        }));
        timers.push(setInterval(() => {
          // A successful keep-alive proves the key, not the socket: it does not count as "alive".
          this.api.keepAlive(key).then(
            () => {},
            // -1125: the key is gone (expired or closed); a new connection creates a new one.
            (err: unknown) => end(`listen key keep-alive failed: ${err instanceof Error ? err.message : String(err)}`),
          );
        }, this.o.keepAliveMs));
      });
      ws.on("pong", () => this.markAlive());
      ws.on("message", (data) => {
        let event: UserDataEvent;
        try {
          event = parseUserDataEvent(JSON.parse(data.toString()));
        } catch (err) {
          this.emit("malformed", err instanceof UserDataEventError ? err : new UserDataEventError(`user-data message is not JSON: ${data.toString().slice(0, 120)}`));
          return;
        }
        this.markAlive();
        this.emit("event", event);
        if (event.e === "listenKeyExpired") end("listen key expired (listenKeyExpired)");
      });
      endOnSocketFailure(ws, "stream", end);
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms))),
  ]);
}
