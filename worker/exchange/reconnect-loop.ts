// The reconnect loop every stream of the worker runs (the user-data stream, the kline stream, the
// price stream): one session at a time until stopped; after a session ends (or fails to open), an
// exponential back-off capped at `maxBackoffMs`, counted from the last session that opened; a stop
// wakes the back-off at once. Plus the WebSocket parts two of them share: ping the socket and end
// the session when nothing (message, pong) was heard for `gapMs`, and tear a socket down without
// leaving a late error unhandled.
import type WebSocket from "ws";

export interface ReconnectLoopOptions {
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** a session ended (`attempt` counts failures since the last session that opened); err when it threw */
  onDisconnected?: (reason: string, attempt: number, err?: unknown) => void;
  /** the back-off's sleep (tests); default a timer that stop() cuts short */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `session(opened)` runs one connection to its end and resolves with why it ended (or throws);
 * it calls `opened()` once it is up (and may again on each sign of health), which resets the back-off.
 */
export type Session = (opened: () => void) => Promise<string>;

export class ReconnectLoop {
  /** consecutive failures since the last session that opened */
  failures = 0;
  /** sessions started again after one ended */
  reconnects = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly session: Session, private readonly o: ReconnectLoopOptions) {}

  isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the current session (the caller ends it: closes its socket); resolves when the loop has. */
  stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    return this.loop ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let reason: string;
      let error: unknown;
      try {
        reason = await this.session(() => (this.failures = 0));
      } catch (err) {
        error = err;
        reason = err instanceof Error ? err.message : String(err);
      }
      if (!this.running) break;
      this.failures += 1;
      this.o.onDisconnected?.(reason, this.failures, error);
      await this.backoff(Math.min(this.o.maxBackoffMs, this.o.initialBackoffMs * 2 ** (this.failures - 1)));
      this.reconnects += 1;
    }
  }

  private backoff(ms: number): Promise<void> {
    if (this.o.sleep) return this.o.sleep(ms);
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

/**
 * Pings `ws` every `pingMs`; when nothing was heard for longer than `gapMs` (lastHeardAt: a message
 * or a pong, as the caller counts it) calls `onSilent` with how long. Venues send nothing while
 * nothing happens, so the ping is what tells a quiet socket from a dead one. Returns the timer
 * (clear it when the session ends).
 */
export function pingUntilSilent(
  ws: Pick<WebSocket, "ping">,
  o: { pingMs: number; gapMs: number; lastHeardAt: () => number; onSilent: (silentMs: number) => void; now?: () => number },
): NodeJS.Timeout {
  const now = o.now ?? Date.now;
  return setInterval(() => {
    const silent = now() - o.lastHeardAt();
    if (silent > o.gapMs) return o.onSilent(silent);
    ws.ping();
  }, o.pingMs);
}

/** Ends a session's socket: no listener of ours left, a late error of the dying socket swallowed. */
export function tearDown(ws: WebSocket): void {
  ws.removeAllListeners();
  ws.on("error", () => {});
  ws.terminate();
}

/** The ways a socket ends that every session reports the same way: closed, failed, refused at the handshake. */
export function endOnSocketFailure(ws: WebSocket, what: string, end: (why: string) => void): void {
  ws.on("close", (code, why) => end(`socket closed (${code}${why.length ? ` ${why.toString()}` : ""})`));
  ws.on("error", (err) => end(`socket error: ${err.message}`));
  ws.on("unexpected-response", (_req, res) => end(`the venue refused the ${what}: HTTP ${res.statusCode}`));
}
