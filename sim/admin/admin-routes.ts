// The admin API (/admin/*, JSON): drive the virtual clock and prices, open/close positions,
// inject and clear faults, read the order log. For tests, benchmarks and demos; not part of
// Binance's API, so it needs no signature. Bodies are validated with zod.
// It changes prices and positions, so a web page must not be able to drive it: a POST must be
// `Content-Type: application/json` (which a page on another site cannot send without a CORS
// preflight this server never approves), and any request a browser marks as coming from another
// site or origin is refused (issue 13: a cross-origin text/plain POST used to be accepted).
import { z } from "zod";
import { SimApiError } from "../engine/sim-error";
import type { Simulator } from "../engine/simulator";
import { triggerFaultSchema } from "../engine/trigger-faults";
import { faultRuleSchema, type FaultInjector } from "../server/faults";
import { WeightLimiter, weightLimitSchema } from "../server/weight-limiter";
import { orderLogJson, stateJson } from "./admin-json";
import {
  clockSetSchema, clockStepSchema, closePositionSchema, openPositionSchema, releaseTriggersSchema, setPriceSchema, speedSchema,
  userStreamDropSchema, userStreamStallSchema,
} from "./admin-schemas";

export interface AdminResult {
  status: number;
  body: unknown;
}

export interface SpeedControl {
  speed(): number;
  setSpeed(speed: number): void;
}

/** Request headers, lower-case names (node:http's IncomingHttpHeaders fits). */
export type AdminHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface AdminRouter {
  handle(method: string, url: URL, rawBody: string, headers?: AdminHeaders): Promise<AdminResult>;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Null when the request may proceed, else the refusal. */
export function refuseBrowserRequest(method: string, headers: AdminHeaders): AdminResult | null {
  if (method === "GET" || method === "HEAD") return null;
  const site = first(headers["sec-fetch-site"])?.toLowerCase();
  if (site && site !== "same-origin" && site !== "none") {
    return { status: 403, body: { error: `cross-site request refused (Sec-Fetch-Site: ${site}): the simulator's admin API is for tests and scripts, not web pages` } };
  }
  const origin = first(headers.origin);
  const host = first(headers.host);
  if (origin !== undefined && (!host || (origin !== `http://${host}` && origin !== `https://${host}`))) {
    return { status: 403, body: { error: `cross-origin request refused (Origin: ${origin.slice(0, 100)}): the simulator's admin API is for tests and scripts, not web pages` } };
  }
  const type = (first(headers["content-type"]) ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (method === "POST" && type !== "application/json") {
    return { status: 415, body: { error: `POST bodies must be sent with Content-Type: application/json (got ${type || "none"}), e.g. curl -H 'content-type: application/json' -d '{...}'` } };
  }
  return null;
}

/** The user-data stream's faults (sim/server/ws-server.ts). */
export interface UserStreamControl {
  dropUserStreams(refuseMs: number): number;
  stallUserStreams(ms: number): void;
  expireListenKey(): number;
}

const NO_USER_STREAMS: UserStreamControl = { dropUserStreams: () => 0, stallUserStreams: () => {}, expireListenKey: () => 0 };

export function createAdminRouter(
  sim: Simulator, faults: FaultInjector, speed: SpeedControl, weights: WeightLimiter = new WeightLimiter(), userStreams: UserStreamControl = NO_USER_STREAMS,
): AdminRouter {
  const routes: Record<string, (body: unknown, url: URL) => unknown> = {
    "GET /admin/state": () => stateJson(sim, speed.speed()),
    "POST /admin/clock/step": (b) => {
      sim.advance(parse(clockStepSchema, b).ms);
      return { time: sim.clock.now() };
    },
    "POST /admin/clock/set": (b) => {
      const { time } = parse(clockSetSchema, b);
      if (time < sim.clock.now()) throw new SimApiError(-1, `time ${time} is before the current virtual time ${sim.clock.now()}; the clock only moves forward`);
      sim.advance(time - sim.clock.now());
      return { time: sim.clock.now() };
    },
    "POST /admin/speed": (b) => {
      speed.setSpeed(parse(speedSchema, b).speed);
      return { speed: speed.speed() };
    },
    "POST /admin/price": (b) => {
      const { symbol, price } = parse(setPriceSchema, b);
      sim.engine.spec(symbol);
      sim.setPrice(symbol, price);
      return { symbol, price: sim.feed.price(symbol) };
    },
    "POST /admin/position/open": (b) => {
      const q = parse(openPositionSchema, b);
      if (q.leverage !== undefined) sim.engine.setLeverage(q.symbol, q.leverage);
      // In hedge mode the position side follows from the side (long → LONG) unless given.
      const order = sim.engine.submit({
        symbol: q.symbol, side: q.side === "long" ? "BUY" : "SELL", type: "MARKET", quantity: q.quantity, positionSide: q.positionSide, source: "admin",
      });
      return { order };
    },
    "POST /admin/position/close": (b) => {
      const { symbol, positionSide } = parse(closePositionSchema, b);
      const open = sim.engine.book.ofSymbol(symbol).filter((p) => positionSide === undefined || p.positionSide === positionSide);
      if (open.length === 0) throw new SimApiError(-2022, `no open position on ${symbol}${positionSide ? ` ${positionSide}` : ""}`);
      const orders = open.map((p) => sim.engine.internalMarket(symbol, p.amt > 0 ? "SELL" : "BUY", Math.abs(p.amt), true, "admin", "MARKET", undefined, undefined, p.positionSide));
      return { order: orders[0], orders };
    },
    "GET /admin/faults": () => ({ faults: faults.list() }),
    "POST /admin/faults": (b) => ({ fault: faults.add(parse(faultRuleSchema, b)) }),
    "DELETE /admin/faults": () => (faults.clear(), { faults: [] }),
    "GET /admin/orders": (_b, url) => orderLogJson(sim, url.searchParams.get("clientOrderId")),
    "GET /admin/trigger-faults": () => ({ faults: sim.engine.triggerFaults.list() }),
    "POST /admin/trigger-faults": (b) => ({ fault: sim.engine.triggerFaults.add(parse(triggerFaultSchema, b)) }),
    "DELETE /admin/trigger-faults": () => (sim.engine.triggerFaults.clear(), { faults: [] }),
    "POST /admin/trigger-faults/release": (b) => {
      const { symbol } = parse(releaseTriggersSchema, b);
      return { released: sim.engine.releaseHeldTriggers(symbol).map((a) => ({ algoId: a.algoId, clientAlgoId: a.clientAlgoId, algoStatus: a.algoStatus })) };
    },
    "GET /admin/weight-limit": () => ({ ...weights.settings(), usedWeight1m: weights.usage(), totals: weights.stats() }),
    "POST /admin/weight-limit": (b) => weights.configure(parse(weightLimitSchema, b)),
    "POST /admin/user-stream/drop": (b) => ({ dropped: userStreams.dropUserStreams(parse(userStreamDropSchema, b).refuseMs) }),
    "POST /admin/user-stream/stall": (b) => {
      const { ms } = parse(userStreamStallSchema, b);
      userStreams.stallUserStreams(ms);
      return { stalledMs: ms };
    },
    "POST /admin/listen-key/expire": () => ({ notified: userStreams.expireListenKey() }),
  };

  return {
    async handle(method, url, rawBody, headers = {}) {
      const refused = refuseBrowserRequest(method, headers);
      if (refused) return refused;
      const route = routes[`${method} ${url.pathname}`];
      if (!route) {
        return { status: 404, body: { error: `no admin route ${method} ${url.pathname}; routes: ${Object.keys(routes).join(", ")}` } };
      }
      try {
        let body: unknown = undefined;
        if (rawBody.trim() !== "") {
          try {
            body = JSON.parse(rawBody);
          } catch {
            return { status: 400, body: { error: "the body is not valid JSON" } };
          }
        }
        return { status: 200, body: route(body, url) };
      } catch (err) {
        if (err instanceof AdminInputError) return { status: 400, body: { error: err.message } };
        if (err instanceof SimApiError) return { status: 400, body: { error: err.message, code: err.code } };
        if (err instanceof RangeError) return { status: 400, body: { error: err.message } };
        throw err;
      }
    },
  };
}

class AdminInputError extends Error {}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  throw new AdminInputError(`invalid body: ${r.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`);
}
