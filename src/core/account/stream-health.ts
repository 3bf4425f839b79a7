// When the account view built from the user-data stream can be trusted. Binance sends nothing on
// the stream while nothing happens, so silence alone proves nothing: the worker pings the socket
// and counts an answered ping as "alive" too (a keep-alive of the listen key proves the key, not
// the socket). A gap longer than `gapMs` without either, a socket down, or a reconnect whose REST
// refresh has not landed yet (events may have been missed meanwhile) = unconfirmed; the executor
// then acts as SHADOW, as it does when the toggle state or the database cannot be confirmed.

export interface StreamHealth {
  connected: boolean;
  /** last event or answered ping (ms, the worker's clock); null = never */
  lastAliveAt: number | null;
  /** a full REST refresh completed after the current connection opened */
  refreshedSinceConnect: boolean;
}

export interface Confirmation {
  confirmed: boolean;
  /** why not, for the log and the heartbeat; null when confirmed */
  reason: string | null;
}

export function accountConfirmation(h: StreamHealth, now: number, gapMs: number): Confirmation {
  if (!h.connected) return { confirmed: false, reason: "user-data stream disconnected" };
  if (!h.refreshedSinceConnect) return { confirmed: false, reason: "user-data stream (re)connected; waiting for the REST refresh" };
  if (h.lastAliveAt === null || now - h.lastAliveAt > gapMs) {
    const silent = h.lastAliveAt === null ? "never heard from" : `silent for ${now - h.lastAliveAt} ms`;
    return { confirmed: false, reason: `user-data stream ${silent} (limit ${gapMs} ms)` };
  }
  return { confirmed: true, reason: null };
}
