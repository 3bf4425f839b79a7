// Binance's kline market stream (<symbol>@kline_<interval> on the /market/ws route): one socket,
// symbols subscribed as the executor first asks for their candles. Only closed candles (k.x true)
// are passed on: the ATR is computed on finished candles. Every message is validated with zod.
// The socket is pinged; no pong or message for `gapMs` closes it, and it reconnects with back-off
// and subscribes everything again (worker/exchange/reconnect-loop.ts, shared with the user-data stream). A (re)connection is announced ("connected") so the candle
// source backfills over REST the candles that closed while it was down.
import { EventEmitter } from "node:events";
import WebSocket from "ws";
import { z } from "zod";
import type { Candle } from "../../src/core/market/types";
import { endOnSocketFailure, pingUntilSilent, ReconnectLoop, tearDown } from "../exchange/reconnect-loop";

const decimal = z.string().transform((v, ctx) => {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: `expected a decimal, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

const klineEvent = z.object({
  e: z.literal("kline"),
  s: z.string(),
  k: z.object({ t: z.number(), i: z.string(), o: decimal, h: decimal, l: decimal, c: decimal, v: decimal, x: z.boolean() }),
});
/** Answers to SUBSCRIBE ({"result":null,"id":1}) and errors ({"error":{...},"id":1}). */
const control = z.object({ id: z.union([z.number(), z.string(), z.null()]) }).loose();

export interface KlineStreamOptions {
  pingMs?: number;
  gapMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (message: string) => void;
}

export class KlineStream extends EventEmitter<{ closed: [symbol: string, interval: string, candle: Candle]; connected: []; disconnected: [reason: string, attempt: number] }> {
  private readonly streams = new Set<string>();
  private socket: WebSocket | null = null;
  private nextId = 1;
  private isOpen = false;
  private readonly o: Required<Omit<KlineStreamOptions, "onError">> & Pick<KlineStreamOptions, "onError">;
  private readonly loop: ReconnectLoop;

  constructor(private readonly url: string, opts: KlineStreamOptions = {}) {
    super();
    this.o = { pingMs: 5000, gapMs: 15_000, initialBackoffMs: 250, maxBackoffMs: 15_000, ...opts };
    this.loop = new ReconnectLoop(
      async (opened) => {
        try {
          return await this.connectOnce(opened);
        } finally {
          this.isOpen = false;
          this.socket = null;
        }
      },
      { initialBackoffMs: this.o.initialBackoffMs, maxBackoffMs: this.o.maxBackoffMs, onDisconnected: (reason, attempt) => this.emit("disconnected", reason, attempt) },
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    const stopping = this.loop.stop();
    this.socket?.terminate();
    await stopping;
  }

  connected(): boolean {
    return this.isOpen;
  }

  /** Subscribes the symbol's closed candles of `interval` (idempotent). */
  subscribe(symbol: string, interval: string): void {
    const name = `${symbol.toLowerCase()}@kline_${interval}`;
    if (this.streams.has(name)) return;
    this.streams.add(name);
    if (this.isOpen) this.send([name]);
  }

  private send(names: string[]): void {
    // Binance takes at most 10 messages a second per connection: one SUBSCRIBE for many streams.
    for (let i = 0; i < names.length; i += 200) {
      this.socket?.send(JSON.stringify({ method: "SUBSCRIBE", params: names.slice(i, i + 200), id: this.nextId++ }));
    }
  }

  private connectOnce(onOpen: () => void): Promise<string> {
    const ws = new WebSocket(this.url, { handshakeTimeout: 10_000 });
    this.socket = ws;
    return new Promise<string>((resolve) => {
      let lastHeard = Date.now();
      let timer: NodeJS.Timeout | null = null;
      let ended = false;
      const end = (why: string) => {
        if (ended) return;
        ended = true;
        if (timer) clearInterval(timer);
        tearDown(ws);
        resolve(why);
      };
      ws.on("open", () => {
        if (!this.loop.isRunning()) return end("stopped");
        this.isOpen = true;
        onOpen();
        lastHeard = Date.now();
        if (this.streams.size > 0) this.send([...this.streams]);
        this.emit("connected");
        timer = pingUntilSilent(ws, { pingMs: this.o.pingMs, gapMs: this.o.gapMs, lastHeardAt: () => lastHeard, onSilent: (silent) => end(`no message or pong for ${silent} ms`) });
      });
      ws.on("pong", () => (lastHeard = Date.now()));
      ws.on("message", (data) => {
        lastHeard = Date.now();
        this.onMessage(data.toString());
      });
      endOnSocketFailure(ws, "market stream", end);
    });
  }

  private onMessage(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.o.onError?.(`kline stream message is not JSON: ${text.slice(0, 120)}`);
      return;
    }
    const k = klineEvent.safeParse(raw);
    if (k.success) {
      if (!k.data.k.x) return; // the open candle's updates: the ATR uses closed candles only
      const { t, o, h, l, c, v } = k.data.k;
      this.emit("closed", k.data.s, k.data.k.i, { openTime: t, open: o, high: h, low: l, close: c, volume: v });
      return;
    }
    if (control.safeParse(raw).success && !(raw as { error?: unknown }).error) return;
    const issue = k.error.issues[0];
    this.o.onError?.(`kline stream message refused: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"} (${text.slice(0, 120)})`);
  }
}
