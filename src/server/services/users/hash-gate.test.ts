import { describe, expect, it } from "vitest";
import { HashGate, HashGateBusyError } from "./hash-gate";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("HashGate", () => {
  it("[SECURITY] runs at most `concurrency` hashes at once and refuses beyond the queue at once", async () => {
    const gate = new HashGate(1, 3);
    const release = deferred();
    let running = 0;
    let peak = 0;
    const work = async () => {
      running++;
      peak = Math.max(peak, running);
      await release.promise;
      running--;
    };
    const accepted = Array.from({ length: 4 }, () => gate.run(work));
    const refused = await Promise.allSettled(Array.from({ length: 100 }, () => gate.run(work)));
    expect(refused.every((r) => r.status === "rejected" && r.reason instanceof HashGateBusyError)).toBe(true);
    expect(gate.queued).toBe(3);
    release.resolve();
    await Promise.all(accepted);
    expect(peak).toBe(1);
    expect(gate.queued).toBe(0);
  });

  it("an attempt from a known address queues ahead of the flood, even when the queue is full", async () => {
    const gate = new HashGate(1, 2);
    const first = deferred();
    const order: string[] = [];
    const p0 = gate.run(() => first.promise);
    const flood = [gate.run(async () => void order.push("flood-1")), gate.run(async () => void order.push("flood-2"))];
    const operator = gate.run(async () => void order.push("operator"), "known");
    first.resolve();
    await Promise.all([p0, ...flood, operator]);
    expect(order).toEqual(["operator", "flood-1", "flood-2"]);
  });

  it("a failing hash frees its slot", async () => {
    const gate = new HashGate(1, 1);
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => 42)).toBe(42);
  });
});
