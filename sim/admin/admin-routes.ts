// The admin API (/admin/*, JSON): drive the virtual clock and prices, open/close positions,
// inject and clear faults, read the order log. For tests, benchmarks and demos; not part of
// Binance's API, so it needs no signature. Bodies are validated with zod.
import { z } from "zod";
import { SimApiError } from "../engine/sim-error";
import type { Simulator } from "../engine/simulator";
import { faultRuleSchema, type FaultInjector } from "../server/faults";
import { orderLogJson, stateJson } from "./admin-json";
import { clockSetSchema, clockStepSchema, closePositionSchema, openPositionSchema, setPriceSchema, speedSchema } from "./admin-schemas";

export interface AdminResult {
  status: number;
  body: unknown;
}

export interface SpeedControl {
  speed(): number;
  setSpeed(speed: number): void;
}

export interface AdminRouter {
  handle(method: string, url: URL, rawBody: string): Promise<AdminResult>;
}

export function createAdminRouter(sim: Simulator, faults: FaultInjector, speed: SpeedControl): AdminRouter {
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
      const order = sim.engine.submit({ symbol: q.symbol, side: q.side === "long" ? "BUY" : "SELL", type: "MARKET", quantity: q.quantity, source: "admin" });
      return { order };
    },
    "POST /admin/position/close": (b) => {
      const { symbol } = parse(closePositionSchema, b);
      const amt = sim.engine.book.amt(symbol);
      if (amt === 0) throw new SimApiError(-2022, `no open position on ${symbol}`);
      const order = sim.engine.internalMarket(symbol, amt > 0 ? "SELL" : "BUY", Math.abs(amt), true, "admin");
      return { order };
    },
    "GET /admin/faults": () => ({ faults: faults.list() }),
    "POST /admin/faults": (b) => ({ fault: faults.add(parse(faultRuleSchema, b)) }),
    "DELETE /admin/faults": () => (faults.clear(), { faults: [] }),
    "GET /admin/orders": (_b, url) => orderLogJson(sim, url.searchParams.get("clientOrderId")),
  };

  return {
    async handle(method, url, rawBody) {
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
