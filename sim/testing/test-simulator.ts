// For integration tests: an in-process simulator on a free port with a manual clock (speed 0)
// and no demo trader, plus a tiny admin client. MAX_NUM_ALGO_ORDERS is 200 per symbol here
// (Binance: 10, as sim/main.ts and startSimulator keep it) so a test may place many stops on one
// symbol; a test of -4045 asks for Binance's value (`maxAlgoOrdersPerSymbol`).
import { startSimulator, type RunningSimulator } from "../server/start-simulator";

export const TEST_CREDENTIALS = { apiKey: "test-key", apiSecret: "test-secret" };

export async function startTestSimulator(opts: { maxAlgoOrdersPerSymbol?: number } = {}): Promise<RunningSimulator> {
  return startSimulator({
    port: 0, credentials: TEST_CREDENTIALS, speed: 0, demoTrader: false, seed: 1,
    engine: { maxAlgoOrdersPerSymbol: opts.maxAlgoOrdersPerSymbol ?? 200 },
  });
}

export async function admin<T = unknown>(sim: RunningSimulator, method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  const res = await fetch(sim.url + path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`admin ${method} ${path} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

export interface LoggedOrderView {
  kind: "order" | "algo";
  clientOrderId: string;
  status: string;
  type: string;
  source: string;
}

export async function orderLog(sim: RunningSimulator, clientOrderId?: string) {
  const q = clientOrderId ? `?clientOrderId=${encodeURIComponent(clientOrderId)}` : "";
  return admin<{ orders: LoggedOrderView[]; rejections: { clientOrderId: string | null; code: number }[] }>(sim, "GET", `/admin/orders${q}`);
}

/** Waits until `check` is true (polling); fails with `what` after `limitMs`. Not a timing assertion. */
export async function waitUntil(check: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export type TestPositionMode = "one-way" | "hedge";

/**
 * Empties the account (open orders, conditional orders, positions) and puts it in `mode`, for
 * tests that run in both position modes. Binance (and the simulator) only switch an empty account.
 */
export async function resetAccount(sim: RunningSimulator, mode: TestPositionMode): Promise<void> {
  const engine = sim.sim.engine;
  for (const o of engine.openOrders()) engine.cancelOrder(o.symbol, { orderId: o.orderId });
  for (const a of engine.openAlgos()) if (a.algoStatus === "NEW") engine.cancelAlgo(a.symbol, { algoId: a.algoId });
  for (const symbol of new Set(engine.book.all().map((p) => p.symbol))) await admin(sim, "POST", "/admin/position/close", { symbol });
  if (engine.isDualSide() !== (mode === "hedge")) engine.setDualSide(mode === "hedge");
}
