// Request-weight accounting per account (issue 14). Binance counts every request's weight against
// its IP's limit (USDⓈ-M: 2,400 a minute), answers the count so far in X-MBX-USED-WEIGHT-1M, refuses
// past it with 429 and bans the IP (418) when 429s continue. ccxt's throttle spaces requests by its
// own estimate; this reads the venue's count from every answer of every ccxt client of the account
// and, once the minute's count reaches the back-off share of the limit, holds READS until the next
// minute. Order traffic (place, cancel, look up an order: /fapi/v1/order, /fapi/v1/algoOrder) is
// never held: it weighs 0-1, and a protective order must not wait for a minute to roll over; nor
// are the listen-key calls (weight 1): the user-data stream must be able to reconnect.
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import type { BinanceUsdm } from "./ccxt-client";

const MINUTE = 60_000;
/** never held: order traffic, and the listen key (weight 1) the user-data stream needs to reconnect */
const NEVER_HELD = /\/fapi\/v1\/(order|algoOrder|listenKey)(\?|$)/;

export interface RequestWeightInfo {
  limit_1m: number;
  backoff_at_1m: number;
  /** the venue's count for the current minute, from its last answer; 0 after the minute rolled over */
  used_weight_1m: number;
  /** the highest count seen in any minute since start */
  peak_weight_1m: number;
  /** reads held back until the next minute */
  backoffs: number;
  answered_429: number;
  answered_418: number;
}

export class RequestWeight extends EventEmitter<{ backoff: [waitMs: number, used: number, limit: number]; refused: [status: number, retryAfterMs: number | null] }> {
  private used = 0;
  private minute = -1;
  private peak = 0;
  private holdUntil = 0;
  private counts = { backoffs: 0, answered_429: 0, answered_418: 0 };

  constructor(
    private limit = 2400,
    private backoffPct = 80,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  configure(limit: number, backoffPct: number): void {
    this.limit = limit;
    this.backoffPct = backoffPct;
  }

  /** One answer of the venue: its status and headers (any case). */
  observe(status: number, headers: Record<string, unknown>): void {
    const now = this.now();
    const used = Number(header(headers, "x-mbx-used-weight-1m"));
    if (Number.isFinite(used)) {
      const minute = Math.floor(now / MINUTE);
      // Answers of one minute may arrive out of order: keep the highest count of the minute.
      this.used = minute === this.minute ? Math.max(this.used, used) : used;
      this.minute = minute;
      this.peak = Math.max(this.peak, this.used);
    }
    if (status === 429 || status === 418) {
      const retryAfter = Number(header(headers, "retry-after"));
      const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : MINUTE - (now % MINUTE);
      this.holdUntil = Math.max(this.holdUntil, now + waitMs);
      if (status === 429) this.counts.answered_429++;
      else this.counts.answered_418++;
      this.emit("refused", status, Number.isFinite(retryAfter) ? retryAfter * 1000 : null);
    }
  }

  /** How long a read must wait now (0 = go). */
  readWaitMs(): number {
    const now = this.now();
    if (now < this.holdUntil) return this.holdUntil - now;
    const sameMinute = Math.floor(now / MINUTE) === this.minute;
    if (sameMinute && this.used >= (this.limit * this.backoffPct) / 100) {
      const wait = MINUTE - (now % MINUTE) + 50;
      this.holdUntil = now + wait;
      this.counts.backoffs++;
      this.emit("backoff", wait, this.used, this.limit);
      return wait;
    }
    return 0;
  }

  info(): RequestWeightInfo {
    const current = Math.floor(this.now() / MINUTE) === this.minute ? this.used : 0;
    return {
      limit_1m: this.limit, backoff_at_1m: Math.floor((this.limit * this.backoffPct) / 100), used_weight_1m: current, peak_weight_1m: this.peak, ...this.counts,
    };
  }
}

function header(headers: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

const accounts = new Map<string, RequestWeight>();

/** The account's accountant (one per venue and API key, shared by all its clients in this process). */
export function requestWeightOf(mode: string, apiKey: string): RequestWeight {
  const key = `${mode}:${createHash("sha256").update(apiKey).digest("hex").slice(0, 16)}`;
  let w = accounts.get(key);
  if (!w) accounts.set(key, (w = new RequestWeight()));
  return w;
}

/** ccxt's per-request hooks used here (not in its typings). */
interface Hooks {
  fetch(url: string, method?: string, headers?: unknown, body?: unknown): Promise<unknown>;
  onRestResponse(status: number, statusText: string, url: string, method: string, headers: Record<string, unknown>, body: string, ...rest: unknown[]): string;
}

const originals = new WeakMap<object, Pick<Hooks, "fetch" | "onRestResponse">>();

/** Counts every answer of this client into `weight`, and holds its reads while `weight` says so. */
export function trackRequestWeight(ex: BinanceUsdm, weight: RequestWeight): void {
  const hooks = ex as unknown as Hooks;
  if (!originals.has(ex)) originals.set(ex, { fetch: hooks.fetch, onRestResponse: hooks.onRestResponse });
  const onRestResponse = hooks.onRestResponse.bind(ex);
  hooks.onRestResponse = (status, statusText, url, method, headers, body, ...rest) => {
    weight.observe(status, headers);
    return onRestResponse(status, statusText, url, method, headers, body, ...rest);
  };
  const fetch = hooks.fetch.bind(ex);
  hooks.fetch = async (url, method, headers, body) => {
    if (!NEVER_HELD.test(url)) {
      const wait = weight.readWaitMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return fetch(url, method, headers, body);
  };
}

/** The client without the accounting (a test that drives the venue past its limit on purpose). */
export function untrackRequestWeight(ex: BinanceUsdm): void {
  const o = originals.get(ex);
  if (!o) return;
  const hooks = ex as unknown as Hooks;
  hooks.fetch = o.fetch;
  hooks.onRestResponse = o.onRestResponse;
  originals.delete(ex);
}
