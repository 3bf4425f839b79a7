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
// socket); `gapMs` without either closes the socket and reconnects. The listen-key calls and the URLs still come from ccxt (its signing, its request
// weight accounting, and Binance's current /private/ws?listenKey= route, or the simulator's).
import { EventEmitter } from "node:events";
import WebSocket from "ws";
import { parseUserDataEvent, UserDataEventError, type UserDataEvent } from "../../src/core/account/user-data-events";

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
  private running = false;
  private loop: Promise<void> | null = null;
  private socket: WebSocket | null = null;
  private listenKey: string | null = null;
  private lastAlive: number | null = null;
  private connectedFlag = false;
  private wake: (() => void) | null = null;
  reconnects = 0;
  private readonly o: Required<UserDataStreamOptions>;

  constructor(private readonly api: ListenKeyApi, opts: UserDataStreamOptions = {}) {
    super();
    this.o = {
      pingMs: 1000, gapMs: 5000, keepAliveMs: 30 * 60_000, initialBackoffMs: 250, maxBackoffMs: 2000, connectTimeoutMs: 10_000, now: Date.now, ...opts,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.socket?.terminate();
    await this.loop;
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

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let reason: string;
      try {
        reason = await this.connectOnce(() => (failures = 0));
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
      }
      this.connectedFlag = false;
      this.socket = null;
      if (!this.running) break;
      failures += 1;
      this.emit("disconnected", reason, failures);
      await this.sleep(Math.min(this.o.maxBackoffMs, this.o.initialBackoffMs * 2 ** (failures - 1)));
      this.reconnects += 1;
    }
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
        ws.removeAllListeners();
        ws.on("error", () => {}); // a late error of the dying socket must not be unhandled
        ws.terminate();
        resolve(why);
      };
      ws.on("open", () => {
        if (!this.running) return end("stopped");
        this.connectedFlag = true;
        onOpen();
        this.markAlive();
        this.emit("connected");
        timers.push(setInterval(() => {
          const silent = this.o.now() - (this.lastAlive ?? 0);
          if (silent > this.o.gapMs) return end(`no event, pong or keep-alive for ${silent} ms`);
          ws.ping();
        }, this.o.pingMs));
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
      ws.on("close", (code, why) => end(`socket closed (${code}${why.length ? ` ${why.toString()}` : ""})`));
      ws.on("error", (err) => end(`socket error: ${err.message}`));
      ws.on("unexpected-response", (_req, res) => end(`the venue refused the stream: HTTP ${res.statusCode}`));
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
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
