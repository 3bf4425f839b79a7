// [SECURITY] issue 13: the simulator's admin API accepted cross-origin text/plain POSTs, so any web
// page open in a browser on the same machine could move prices or open positions. Real HTTP
// against a running simulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../server/start-simulator";
import { startTestSimulator } from "../testing/test-simulator";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => sim?.close());

const price = () => sim.sim.feed.price("BTCUSDT");
const body = () => JSON.stringify({ symbol: "BTCUSDT", price: Math.round(price() * 1.5) });

describe("[SECURITY] simulator admin API", () => {
  it.each([
    ["a cross-origin text/plain POST (what a page's fetch or form can send without preflight)", { "content-type": "text/plain", origin: "http://evil.example", "sec-fetch-site": "cross-site" }, 403],
    ["a text/plain POST without browser headers", { "content-type": "text/plain" }, 415],
    ["a form POST", { "content-type": "application/x-www-form-urlencoded" }, 415],
    ["a JSON POST from another origin", { "content-type": "application/json", origin: "http://evil.example" }, 403],
    ["a JSON POST a browser marks cross-site", { "content-type": "application/json", "sec-fetch-site": "cross-site" }, 403],
  ])("refuses %s and changes nothing", async (_what, headers, status) => {
    const before = price();
    const res = await fetch(`${sim.url}/admin/price`, { method: "POST", headers, body: body() });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(/refused|application\/json/);
    expect(price()).toBe(before);
  });

  it("a JSON POST from a script or test still works", async () => {
    const res = await fetch(`${sim.url}/admin/price`, { method: "POST", headers: { "content-type": "application/json" }, body: body() });
    expect(res.status).toBe(200);
    const res2 = await fetch(`${sim.url}/admin/state`, { headers: { origin: "http://evil.example" } });
    expect(res2.status).toBe(200); // reads stay open (CORS keeps a page from reading the answer)
  });
});
