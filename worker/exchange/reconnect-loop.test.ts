import { describe, expect, it } from "vitest";
import { ReconnectLoop } from "./reconnect-loop";

describe("ReconnectLoop", () => {
  it("backs off exponentially up to the cap after sessions that end or fail, from the first step again after one that opened", async () => {
    // Each script entry is one session: "fail" throws before opening, "open" opens and then ends.
    const script = ["fail", "fail", "fail", "fail", "open", "fail", "fail"];
    const sleeps: number[] = [];
    const ended: [string, number][] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const loop = new ReconnectLoop(
      async (opened) => {
        const next = script.shift();
        if (next === undefined) {
          finished();
          return new Promise<string>(() => {}); // the last session stays up
        }
        if (next === "fail") throw new Error("refused");
        opened();
        return "socket closed (1006)";
      },
      { initialBackoffMs: 100, maxBackoffMs: 500, sleep: async (ms) => void sleeps.push(ms), onDisconnected: (reason, attempt) => ended.push([reason, attempt]) },
    );
    loop.start();
    await done;
    expect(sleeps).toEqual([100, 200, 400, 500, 100, 200, 400]);
    expect(ended.map((e) => e[1])).toEqual([1, 2, 3, 4, 1, 2, 3]);
    expect(ended[4]).toEqual(["socket closed (1006)", 1]);
    expect(loop.reconnects).toBe(7);
  });

  it("stop() cuts the back-off short and reports nothing more", async () => {
    let sessions = 0;
    const ended: number[] = [];
    const loop = new ReconnectLoop(
      async () => {
        sessions++;
        throw new Error("down");
      },
      { initialBackoffMs: 3_600_000, maxBackoffMs: 3_600_000, onDisconnected: (_r, attempt) => ended.push(attempt) },
    );
    loop.start();
    await new Promise((r) => setImmediate(r));
    await loop.stop(); // would hang for an hour if the back-off were not woken
    expect(loop.isRunning()).toBe(false);
    expect(sessions).toBe(1);
    expect(ended).toEqual([1]);
  });
});
