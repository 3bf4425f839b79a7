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
