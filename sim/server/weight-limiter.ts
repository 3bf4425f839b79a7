// Binance's IP request-weight limit: every /fapi request adds its weight (request-weights.ts) to
// the caller's count for the current wall-clock minute, reported on every answer as
// X-MBX-USED-WEIGHT-1M. With a limit set, a request that would go past it is answered 429
// (code -1003, Retry-After = seconds to the next minute) and not processed; a client that keeps
// sending after `banAfter429s` 429s in a row is banned: 418 on everything for `banMs`.
//
// The simulator starts with Binance's own limit, 2,400 a minute (exchangeInfo's REQUEST_WEIGHT
// rate limit); `--weight-limit off`, StartOptions.weightLimit `{ limit: null }` or
// POST /admin/weight-limit `{}` leave only the accounting and the header, which are always on.
import { z } from "zod";

export const BINANCE_WEIGHT_LIMIT_1M = 2400;

export const weightLimitSchema = z
  .object({
    /** weight a minute per IP; null = accounting only, never refuse */
    limit: z.number().int().positive().nullable().default(null),
    /** 429 answers in a row after which the IP is banned (418) */
    banAfter429s: z.number().int().min(1).max(1000).default(3),
    /** how long a ban lasts, ms (Binance: 2 minutes for a first ban, growing to 3 days) */
    banMs: z.number().int().min(1).max(3 * 86_400_000).default(120_000),
  })
  .strict();

export type WeightLimitInput = z.input<typeof weightLimitSchema>;
export type WeightLimitConfig = z.output<typeof weightLimitSchema>;

export type WeightDecision =
  | { kind: "ok"; used: number }
  | { kind: "rate-limited"; used: number; retryAfterS: number; message: string }
  | { kind: "banned"; used: number; retryAfterS: number; message: string };

interface IpState {
  windowStart: number;
  used: number;
  /** 429s answered since the last accepted request */
  strikes: number;
  bannedUntil: number;
}

const MINUTE = 60_000;

/** Totals since start (or the last reset): weight per endpoint, and the refusals. */
export interface WeightStats {
  since: number;
  weightByEndpoint: Record<string, number>;
  requests: number;
  answered429: number;
  answered418: number;
}

export class WeightLimiter {
  private config: WeightLimitConfig;
  private readonly byIp = new Map<string, IpState>();
  private totals: WeightStats;

  constructor(config: WeightLimitInput = {}, private readonly now: () => number = Date.now) {
    this.config = weightLimitSchema.parse(config);
    this.totals = this.emptyStats();
  }

  /** Cumulative figures (benchmarks, GET /admin/weight-limit). */
  stats(): WeightStats {
    return { ...this.totals, weightByEndpoint: { ...this.totals.weightByEndpoint } };
  }

  resetStats(): void {
    this.totals = this.emptyStats();
  }

  private emptyStats(): WeightStats {
    return { since: this.now(), weightByEndpoint: {}, requests: 0, answered429: 0, answered418: 0 };
  }

  configure(input: WeightLimitInput): WeightLimitConfig {
    this.config = weightLimitSchema.parse(input);
    for (const s of this.byIp.values()) {
      s.strikes = 0;
      s.bannedUntil = 0;
    }
    return this.config;
  }

  settings(): WeightLimitConfig {
    return { ...this.config };
  }

  /** Weight used by each caller in the current minute. */
  usage(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [ip, s] of this.byIp) out[ip] = this.state(ip, s).used;
    return out;
  }

  /** Counts one request of `weight` from `ip` (to `endpoint`, for the stats) and says whether it may be processed. */
  admit(ip: string, weight: number, endpoint = "other"): WeightDecision {
    const d = this.decide(ip, weight);
    this.totals.requests += 1;
    if (d.kind === "ok") this.totals.weightByEndpoint[endpoint] = (this.totals.weightByEndpoint[endpoint] ?? 0) + weight;
    else if (d.kind === "rate-limited") this.totals.answered429 += 1;
    else this.totals.answered418 += 1;
    return d;
  }

  private decide(ip: string, weight: number): WeightDecision {
    const now = this.now();
    const s = this.state(ip);
    if (s.bannedUntil > now) {
      return {
        kind: "banned", used: s.used, retryAfterS: Math.ceil((s.bannedUntil - now) / 1000),
        message: `Way too many requests; IP(${ip}) banned until ${s.bannedUntil}. Please use the websocket for live updates to avoid bans.`,
      };
    }
    const limit = this.config.limit;
    if (limit !== null && s.used + weight > limit) {
      s.strikes += 1;
      if (s.strikes > this.config.banAfter429s) {
        s.bannedUntil = now + this.config.banMs;
        return {
          kind: "banned", used: s.used, retryAfterS: Math.ceil(this.config.banMs / 1000),
          message: `Way too many requests; IP(${ip}) banned until ${s.bannedUntil} after ${s.strikes - 1} answers 429 in a row. Please use the websocket for live updates to avoid bans.`,
        };
      }
      return {
        kind: "rate-limited", used: s.used, retryAfterS: Math.max(1, Math.ceil((s.windowStart + MINUTE - now) / 1000)),
        message: `Too many requests; current limit of IP(${ip}) is ${limit} requests per minute. Please use the websocket for live updates to avoid polling the API.`,
      };
    }
    s.used += weight;
    s.strikes = 0;
    return { kind: "ok", used: s.used };
  }

  private state(ip: string, existing?: IpState): IpState {
    const now = this.now();
    const windowStart = Math.floor(now / MINUTE) * MINUTE;
    let s = existing ?? this.byIp.get(ip);
    if (!s) {
      s = { windowStart, used: 0, strikes: 0, bannedUntil: 0 };
      this.byIp.set(ip, s);
    }
    if (s.windowStart !== windowStart) {
      s.windowStart = windowStart;
      s.used = 0;
    }
    return s;
  }
}
