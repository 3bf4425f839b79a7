// The account cycle with the account view polled over REST (ACCOUNT_STREAM=false) against the
// simulator (real ccxt, real PostgreSQL): after a 429 the request-weight back-off holds every read
// until the venue's Retry-After. The cycle used to wait in that read (up to a minute) and nothing
// ran meanwhile; now a held read answers "no fresh view" at once, the cycle keeps running and
// reads again at a later cycle, and a position opened during the hold gets its stop once reads
// are released. Counted in cycles (account refreshes), never in time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, waitUntil } from "../../sim/testing/test-simulator";
import { startAccountCycleWorld, type AccountCycleWorld } from "./testing/account-cycle-world";

let w: AccountCycleWorld;

beforeAll(async () => {
  w = await startAccountCycleWorld({ name: "acyclepoll", stream: false });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe("account cycle, polling (ACCOUNT_STREAM=false)", () => {
  it("while a 429 holds REST reads the cycle keeps running (each held read answers at once), and reads again once they are released", async () => {
    await admin(w.sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
    await waitUntil(() => w.hasClosingStop("BTCUSDT"), "BTCUSDT's stop before the hold", 20_000);
    // One read answered 429 (Retry-After 8 s): the back-off holds every read until then.
    await admin(w.sim, "POST", "/admin/faults", { kind: "rate-limit", rate: 1, count: 1, path: "/fapi", method: "GET", retryAfterS: 8 });
    expect(await w.source.snapshot.refreshFromRest().catch(() => null)).toBeNull(); // the read that met the 429
    expect(w.source.snapshot.readsHeld()).toBe(true);
    await admin(w.sim, "POST", "/admin/position/open", { symbol: "ETHUSDT", side: "short", quantity: 0.5, leverage: 5 });
    // Cycles go on during the hold, every refresh answered (before: the first one waited out the hold).
    const from = w.counts.answered;
    await waitUntil(() => w.counts.answered - from >= 5 || !w.source.snapshot.readsHeld(), "5 cycles or the end of the hold", 20_000);
    expect(w.counts.answered - from).toBeGreaterThanOrEqual(5);
    expect(w.source.snapshot.readsHeld()).toBe(true);
    expect(w.counts.asked - w.counts.answered).toBeLessThanOrEqual(1);
    // Released: a later cycle reads, sees the new position and protects it.
    await waitUntil(() => w.hasClosingStop("ETHUSDT"), "ETHUSDT's stop after the hold", 30_000);
    await admin(w.sim, "DELETE", "/admin/faults");
  });
});
