import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { EMPTY_ACCOUNT, type AccountView } from "../../src/core/account/account-view";
import type { Confirmation } from "../../src/core/account/stream-health";
import { createLogger } from "../../src/server/logger";
import type { AccountStream } from "./account-stream";
import { ExchangeSnapshot, UNCONFIRMED_REST_MS } from "./exchange-snapshot";

/** The parts of AccountStream the snapshot uses, with a switchable confirmation and counted REST reads. */
class FakeStream extends EventEmitter {
  confirmed = true;
  restReads = 0;
  view: AccountView | null = EMPTY_ACCOUNT;
  current(): AccountView | null {
    return this.view;
  }
  asOf(): number {
    return 1;
  }
  confirmation(): Confirmation {
    return this.confirmed ? { confirmed: true, reason: null } : { confirmed: false, reason: "user-data stream disconnected" };
  }
  async refreshFromRest(): Promise<boolean> {
    this.restReads++;
    return true;
  }
  /** client order ids whose events "arrived" */
  seen = new Set<string>();
  async ordersSeen(ids: readonly string[]): Promise<boolean> {
    return this.confirmed && ids.every((id) => this.seen.has(id));
  }
}

describe("ExchangeSnapshot over the user-data stream", () => {
  const log = createLogger({ name: "snapshot-test", level: "fatal", file: null });
  const positions = { current: async () => [], withLivePrice: <T>(p: T) => p };
  const port = { fetchOpenOrders: async () => [] };

  it("costs no REST read while confirmed; while unconfirmed reads REST at most every UNCONFIRMED_REST_MS however often it is asked", async () => {
    let now = 1_000_000;
    const stream = new FakeStream();
    const snapshot = new ExchangeSnapshot(port, positions, log, () => now, stream as unknown as AccountStream);
    for (let i = 0; i < 50; i++) await snapshot.refresh();
    expect(stream.restReads).toBe(0);

    stream.confirmed = false;
    for (let i = 0; i < 50; i++) {
      await snapshot.refresh(); // the account cycle asks every ACCOUNT_REFRESH_MS
      now += 300;
    }
    // 15 s of asking every 300 ms: one read at once, one 10 s later
    expect(stream.restReads).toBe(Math.floor((50 * 300) / UNCONFIRMED_REST_MS) + 1);
    // An explicit read (after sending orders) is never held back.
    await snapshot.refreshFromRest();
    expect(stream.restReads).toBe(3);
  });

  it("an explicit read while the request-weight back-off holds reads answers null at once (the account cycle is not parked), and reads again once released", async () => {
    const stream = new FakeStream();
    let heldMs = 45_000; // a 429 answered: reads wait for the next minute
    const snapshot = new ExchangeSnapshot(port, positions, log, Date.now, stream as unknown as AccountStream, () => heldMs);
    expect(await snapshot.refreshFromRest()).toBeNull();
    expect(stream.restReads).toBe(0);
    // The stream's view is still there for the next cycle.
    expect((await snapshot.refresh())?.positions).toEqual([]);
    heldMs = 0;
    expect(await snapshot.refreshFromRest()).not.toBeNull();
    expect(stream.restReads).toBe(1);
  });

  it("announces every change of the stream's view as a refreshed snapshot", () => {
    const stream = new FakeStream();
    const snapshot = new ExchangeSnapshot(port, positions, log, Date.now, stream as unknown as AccountStream);
    const seen: number[] = [];
    snapshot.on("refreshed", (s) => seen.push(s.positions.length));
    stream.emit("changed", EMPTY_ACCOUNT);
    stream.emit("changed", EMPTY_ACCOUNT);
    expect(seen).toEqual([0, 0]);
  });

  it("after a send: the stream's events of the placed orders, no REST read; a REST read when a send's result is unknown or its event did not come", async () => {
    const stream = new FakeStream();
    stream.seen.add("eb-a");
    const snapshot = new ExchangeSnapshot(port, positions, log, Date.now, stream as unknown as AccountStream);
    expect(await snapshot.afterSend({ placedClientIds: ["eb-a"], unsure: 0 })).not.toBeNull();
    expect(stream.restReads).toBe(0);
    // A failed send may have landed and has no event to wait for: read everything.
    expect(await snapshot.afterSend({ placedClientIds: ["eb-a"], unsure: 1 })).not.toBeNull();
    expect(stream.restReads).toBe(1);
    // Placed, but its event never came (or the stream went unconfirmed while waiting).
    expect(await snapshot.afterSend({ placedClientIds: ["eb-a", "eb-b"], unsure: 0 })).not.toBeNull();
    expect(stream.restReads).toBe(2);
  });

  it("polling: a refresh while the request-weight back-off holds reads answers null at once without reading, and reads again once released", async () => {
    let reads = 0;
    let heldMs = 30_000;
    const counting = { fetchOpenOrders: async () => (reads++, []) };
    const snapshot = new ExchangeSnapshot(counting, positions, log, Date.now, null, () => heldMs);
    expect(await snapshot.refresh()).toBeNull();
    expect(await snapshot.refreshFromRest()).toBeNull();
    expect(reads).toBe(0);
    heldMs = 0;
    expect(await snapshot.refresh()).not.toBeNull();
    expect(reads).toBe(1);
  });
});
