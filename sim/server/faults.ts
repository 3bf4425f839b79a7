// Injected faults for REST requests (admin API): latency, a request that never gets an answer,
// one that is processed but whose answer never comes ("accept then time out"), HTTP 5xx, 429 with
// Retry-After, order rejects, and malformed answers (a truncated JSON body, or every value of the
// real answer turned into the wrong type). Each rule fires at a rate (seeded) and optionally N
// times only.
import { z } from "zod";
import { createRng, type Rng } from "../engine/rng";

export const faultRuleSchema = z
  .object({
    kind: z.enum(["latency", "timeout", "accept-then-timeout", "http-5xx", "rate-limit", "reject", "malformed"]),
    /** probability per matching request, 0..1 */
    rate: z.number().min(0).max(1).default(1),
    /** fire at most this many times, then the rule is spent */
    count: z.number().int().positive().optional(),
    /** only requests whose path starts with this, e.g. /fapi/v1/order */
    path: z.string().startsWith("/").optional(),
    method: z.enum(["GET", "POST", "PUT", "DELETE"]).optional(),
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    /** for http-5xx */
    status: z.number().int().min(500).max(599).default(503),
    /** for rate-limit */
    retryAfterS: z.number().int().min(0).max(3600).default(1),
    /** for reject: the Binance error code and message */
    code: z.number().int().max(-1).default(-2019),
    msg: z.string().min(1).default("Margin is insufficient."),
    /** for timeouts: how long the connection is held before it is dropped */
    holdMs: z.number().int().min(0).max(600_000).default(60_000),
    /** for malformed: cut the real JSON answer in half, or keep its shape with every value of the wrong type */
    malform: z.enum(["truncate", "wrong-types"]).default("truncate"),
  })
  .strict();

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.output<typeof faultRuleSchema> & { id: number; fired: number };

export interface FaultDecision {
  latencyMs: number;
  /** at most one of these, checked in this order */
  terminal: FaultRule | null;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = createRng(seed ^ 0x5eed);
  }

  add(input: FaultRuleInput): FaultRule {
    const rule = { ...faultRuleSchema.parse(input), id: this.nextId++, fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Decides what happens to one request. `placesOrder`: only such requests can be rejected. */
  decide(method: string, path: string, placesOrder: boolean): FaultDecision {
    let latencyMs = 0;
    let terminal: FaultRule | null = null;
    for (const rule of this.rules) {
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (rule.path && !path.startsWith(rule.path)) continue;
      if (rule.method && rule.method !== method) continue;
      if (rule.kind === "reject" && !placesOrder) continue;
      if (rule.kind !== "latency" && terminal) continue;
      if (this.rng.next() >= rule.rate) continue;
      rule.fired += 1;
      if (rule.kind === "latency") latencyMs += rule.latencyMs;
      else terminal = rule;
    }
    return { latencyMs, terminal };
  }
}

/**
 * The body a `malformed` rule sends instead of the real answer (status unchanged): the first half
 * of the JSON text, or the same structure with every leaf value of the wrong type.
 */
export function malformBody(body: unknown, how: "truncate" | "wrong-types"): string {
  const text = JSON.stringify(body ?? {});
  if (how === "truncate") return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  return JSON.stringify(wrongTypes(body));
}

function wrongTypes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(wrongTypes);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrongTypes(x)]));
  if (typeof v === "number") return { not: "a number" };
  if (typeof v === "string") return /^-?\d+(\.\d+)?$/.test(v) ? "not-a-number" : 12345;
  if (typeof v === "boolean") return "maybe";
  return [];
}
