// WebSocket side: market streams (subscribe with {"method":"SUBSCRIBE",...} on any /ws path, or
// name streams in the path, /ws/btcusdt@ticker) pushed on every price tick, and the user-data
// stream (/ws/<listenKey> or /private/ws?listenKey=...) carrying order and account events.
// A market stream is pushed on SUBSCRIBE and then whenever its payload changes: a tick that moves
// one symbol (POST /admin/price) sends that symbol's streams only, not every subscribed stream.
// A one-symbol stream's payload (24 h statistics over the candles: the costly part, ~0.4 ms) is
// recomputed only when the symbol's price or the clock moved, so a tick costs the same with 1,000
// subscribed symbols as with 4.
import type http from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { z } from "zod";
import type { ListenKeys } from "../api/listen-keys";
import { klineMessages, parseKlineStream, type KlineStream } from "../api/kline-stream";
import { marketStreamPayload, userStreamPayload } from "../api/stream-events";
import type { Simulator } from "../engine/simulator";

const requestSchema = z.object({
  method: z.enum(["SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS"]),
  params: z.array(z.string()).default([]),
  id: z.union([z.number(), z.string()]).nullable().default(null),
});

interface Sent {
  /** the stream's one symbol (BTCUSDT for btcusdt@miniTicker); null for "!" (all-market) streams */
  symbol: string | null;
  /** price and clock when last sent */
  key: string | null;
  /** payload last sent */
  text: string | null;
  /** kline streams: the stream, and the open time of the candle last sent */
  kline: KlineStream | null;
  klineOpen: number | null;
}

export interface WsHub {
  close(): void;
  /** connected clients: market-stream and user-data-stream sockets */
  clientCount(): { market: number; user: number };
  /** closes every user-data socket; new ones are refused (HTTP 503) for `refuseMs` */
  dropUserStreams(refuseMs: number): number;
  /** user-data sockets stay open but send nothing, events nor pongs, for `ms` (a stalled stream) */
  stallUserStreams(ms: number): void;
  /** Binance's expiry: listenKeyExpired on every user-data socket, then the key is gone */
  expireListenKey(): number;
}

/** Whether the simulator can serve this market stream name. */
function knownStream(sim: Simulator, stream: string): boolean {
  return parseKlineStream(sim, stream) !== null || marketStreamPayload(sim, stream) !== null;
}

export function attachWebSocket(server: http.Server, sim: Simulator, listenKeys: ListenKeys, wallNow: () => number = Date.now): WsHub {
  // Pongs by hand, so a stalled user-data stream (admin fault) can stop answering pings too.
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  let refuseUsersUntil = 0;
  let stalledUntil = 0;
  const sent = (stream: string): Sent => {
    const who = stream.split("@")[0] ?? "";
    const kline = parseKlineStream(sim, stream);
    return { symbol: who === "!" || who === "" ? null : who.toUpperCase(), key: null, text: null, kline, klineOpen: null };
  };
  /** per market socket: its streams and what was last sent on each */
  const market = new Map<WebSocket, Map<string, Sent>>();
  const users = new Set<WebSocket>();

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const last = url.pathname.split("/").filter(Boolean).at(-1) ?? "";
    const listenKey = url.searchParams.get("listenKey") ?? (/^[0-9a-f]{64}$/.test(last) ? last : null);
    if (listenKey !== null && !listenKeys.isValid(listenKey)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    if (listenKey !== null && wallNow() < refuseUsersUntil) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("ping", (data) => {
        if (!(listenKey !== null && wallNow() < stalledUntil)) ws.pong(data);
      });
      if (listenKey !== null) {
        users.add(ws);
        ws.on("close", () => users.delete(ws));
        return;
      }
      const subs = new Map<string, Sent>();
      for (const s of last.includes("@") ? [last] : (url.searchParams.get("streams")?.split("/") ?? [])) subs.set(s, sent(s));
      market.set(ws, subs);
      ws.on("close", () => market.delete(ws));
      ws.on("message", (data) => onMarketMessage(ws, subs, data.toString()));
      for (const s of subs.keys()) push(ws, s);
    });
  });

  function onMarketMessage(ws: WebSocket, subs: Map<string, Sent>, text: string): void {
    let parsed: z.infer<typeof requestSchema>;
    try {
      parsed = requestSchema.parse(JSON.parse(text));
    } catch {
      ws.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected {"method":"SUBSCRIBE","params":[...],"id":1}' }, id: null }));
      return;
    }
    if (parsed.method === "LIST_SUBSCRIPTIONS") {
      ws.send(JSON.stringify({ result: [...subs.keys()], id: parsed.id }));
      return;
    }
    const unknown = parsed.params.filter((s) => !knownStream(sim, s));
    if (parsed.method === "SUBSCRIBE" && unknown.length > 0) {
      ws.send(JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown stream(s) ${unknown.join(", ")}` }, id: parsed.id }));
      return;
    }
    for (const s of parsed.params) {
      if (parsed.method === "SUBSCRIBE") subs.set(s, sent(s));
      else subs.delete(s);
    }
    ws.send(JSON.stringify({ result: null, id: parsed.id }));
    // Push the current values at once (Binance waits for the next update; tests need no wait).
    if (parsed.method === "SUBSCRIBE") for (const s of parsed.params) push(ws, s);
  }

  /** What moves a stream's payload: for one symbol, its price and the clock; "!" streams: always. */
  function keyOf(x: Sent): string | null {
    return x.symbol === null || !sim.feed.has(x.symbol) ? null : `${sim.clock.now()}|${sim.feed.price(x.symbol)}`;
  }

  /**
   * Sends the stream's current payload (computed once per tick for all sockets). On a tick
   * (onlyIfChanged) nothing is sent when the payload did not change since the last send.
   */
  function push(ws: WebSocket, stream: string, texts?: Map<string, string | null>, onlyIfChanged = false): void {
    const x = market.get(ws)?.get(stream);
    if (!x || ws.readyState !== ws.OPEN) return;
    const key = keyOf(x);
    if (onlyIfChanged && key !== null && key === x.key) return;
    if (x.kline) {
      const { texts: out, openTime } = klineMessages(sim, x.kline, x.klineOpen);
      x.key = key;
      x.klineOpen = openTime;
      for (const t of out) ws.send(t);
      return;
    }
    let text = texts?.get(stream);
    if (text === undefined) {
      const payload = marketStreamPayload(sim, stream);
      text = payload === null ? null : JSON.stringify(payload);
      texts?.set(stream, text);
    }
    if (text === null || (onlyIfChanged && x.text === text)) return;
    x.key = key;
    x.text = text;
    ws.send(text);
  }

  const offTick = sim.onTick(() => {
    const texts = new Map<string, string | null>();
    for (const [ws, subs] of market) for (const s of subs.keys()) push(ws, s, texts, true);
  });
  const offEvents = sim.engine.onEvent((e) => {
    if (wallNow() < stalledUntil) return; // a stalled stream loses its events (the worker's REST refresh finds them)
    const text = JSON.stringify(userStreamPayload(sim, e));
    for (const ws of users) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  return {
    close() {
      offTick();
      offEvents();
      for (const ws of [...market.keys(), ...users]) ws.terminate();
      wss.close();
    },
    clientCount: () => ({ market: market.size, user: users.size }),
    dropUserStreams(refuseMs) {
      refuseUsersUntil = wallNow() + refuseMs;
      const n = users.size;
      for (const ws of users) ws.terminate();
      return n;
    },
    stallUserStreams(ms) {
      stalledUntil = wallNow() + ms;
    },
    expireListenKey() {
      const n = users.size;
      const text = JSON.stringify({ e: "listenKeyExpired", E: wallNow(), listenKey: listenKeys.current() ?? "" });
      for (const ws of users) if (ws.readyState === ws.OPEN) ws.send(text, () => ws.close());
      listenKeys.close();
      return n;
    },
  };
}
