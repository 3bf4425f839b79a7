// The heartbeat while the database refuses its writes (disk full): the worker neither crashes nor
// retries faster than its interval, says why once, tells the disk monitor, and resumes. The
// database is a stand-in here (the fault suite runs the real one: test/faults/database-full).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";
import { startHeartbeat } from "./heartbeat";

const diskFull = () => Object.assign(new Error('could not extend file "base/1/2": No space left on device'), { code: "53100" });

function world() {
  let refuse = false;
  const tries: number[] = [];
  const written: unknown[] = [];
  const lines: { level: string; msg: string }[] = [];
  const db = {
    workerHeartbeat: {
      upsert: async (args: { update: { info: unknown } }) => {
        tries.push(Date.now());
        if (refuse) throw diskFull();
        written.push(args.update.info);
        return {};
      },
    },
  } as unknown as Db;
  const at = (level: string) => (a: unknown, b?: unknown) => void lines.push({ level, msg: typeof a === "string" ? a : String(b) });
  const log = { info: at("info"), warn: at("warn"), error: at("error") } as unknown as Logger;
  return { db, log, tries, written, lines, setRefuse: (v: boolean) => void (refuse = v) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("heartbeat while the database refuses writes", () => {
  it("keeps one try per interval, says why once, tells the disk monitor, and resumes", async () => {
    vi.useFakeTimers();
    const w = world();
    const reported: unknown[] = [];
    const hb = startHeartbeat({ db: w.db, workerId: "w1", intervalMs: 1_000, log: w.log, onWriteError: (e) => reported.push(e), info: () => ({ ok: true }) });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(w.written).toHaveLength(3);

    w.setRefuse(true);
    const triesBefore = w.tries.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.tries.length - triesBefore).toBe(10); // one per interval, no faster
    expect(reported).toHaveLength(10);
    expect(reported.every((e) => (e as { code?: string }).code === "53100")).toBe(true);
    const said = w.lines.filter((l) => l.level === "error");
    expect(said).toHaveLength(1);
    expect(said[0]!.msg).toMatch(/\[WORKER\] heartbeat not written: the database refuses writes \(disk full\).*keeps running/);

    w.setRefuse(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.lines.at(-1)!.msg).toMatch(/\[WORKER\] heartbeat restored after 10 missed beat\(s\) over 10 s/);
    const writtenBefore = w.written.length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(w.written.length - writtenBefore).toBe(3);
    await hb.stop();
  });

  it("an info() that throws costs that beat only, not the ones after it", async () => {
    vi.useFakeTimers();
    const w = world();
    let broken = true;
    const hb = startHeartbeat({ db: w.db, workerId: "w1", intervalMs: 1_000, log: w.log, info: () => {
      if (broken) throw new Error("info broke");
      return { ok: true };
    } });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(w.written).toHaveLength(0);
    expect(w.lines.filter((l) => l.level === "error")).toHaveLength(1);
    broken = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(w.written).toHaveLength(2);
    await hb.stop();
  });
});
