import { spawn } from "node:child_process";
import { once } from "node:events";
import { Writable } from "node:stream";
import { prettyFactory } from "pino-pretty";
import { describe, expect, it } from "vitest";
import { BoundedConsole } from "./bounded-console";

// The logger's own console format, so the report line is checked as the operator sees it.
const format = prettyFactory({ colorize: false, translateTime: "UTC:HH:MM:ss.l", ignore: "pid,hostname,name", singleLine: true });
const line = (msg: string, time = Date.UTC(2026, 10, 27, 21, 0, 0)) => JSON.stringify({ level: 30, time, msg });

/** A console whose reader can stop reading: while stalled, written chunks wait in the stream's queue. */
class StallableReader extends Writable {
  text = "";
  stalled = false;
  private held: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 1024, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const take = () => {
      this.text += chunk.toString();
      done();
    };
    if (this.stalled) this.held.push(take);
    else take();
  }
  resume(): void {
    this.stalled = false;
    for (const take of this.held.splice(0)) take();
  }
}

describe("BoundedConsole", () => {
  it("drops and counts lines once the reader has fallen the bound behind, and keeps the ones it took in order", () => {
    const reader = new StallableReader();
    const c = new BoundedConsole({ out: reader, maxBufferedBytes: 4096, format });
    reader.stalled = true;
    for (let i = 0; i < 200; i++) expect(c.write(line(`[EXIT_TEST] line ${i}`))).toBe(true);
    const s = c.stats();
    expect(s.bufferedBytes).toBeLessThanOrEqual(4096);
    expect(s.droppedNow).toBeGreaterThan(0);
    expect(s.droppedTotal).toBe(s.droppedNow);
    reader.resume();
    const taken = reader.text.split("\n").filter((l) => l.includes("[EXIT_TEST]"));
    expect(taken.length + s.droppedNow).toBe(200);
    expect(taken).toEqual(Array.from({ length: taken.length }, (_, i) => `[21:00:00.000] INFO: [EXIT_TEST] line ${i}`));
  });

  it("once the reader has drained, says in one line how many console lines were dropped and since when, then writes again", async () => {
    const reader = new StallableReader();
    let now = Date.UTC(2026, 10, 27, 21, 0, 5);
    const c = new BoundedConsole({ out: reader, maxBufferedBytes: 2048, format, now: () => now });
    reader.stalled = true;
    for (let i = 0; i < 50; i++) c.write(line(`[EXIT_TEST] stalled ${i}`));
    const dropped = c.stats().droppedNow;
    expect(dropped).toBeGreaterThan(0);
    now += 30_000;
    reader.resume();
    await new Promise((r) => setImmediate(r)); // 'drain' is emitted on a later tick
    const reports = reader.text.split("\n").filter((l) => l.includes("[LOG] dropped"));
    expect(reports).toEqual([
      `[21:00:35.000] WARN: [LOG] dropped ${dropped} console lines since 2026-11-27T21:00:05.000Z: the console's reader was not reading (LOG_FILE has every line)`,
    ]);
    expect(c.stats()).toMatchObject({ droppedNow: 0, droppedTotal: dropped, closedBy: null });
    c.write(line("[EXIT_TEST] after"));
    expect(reader.text.endsWith("[21:00:00.000] INFO: [EXIT_TEST] after\n")).toBe(true);
  });

  it("does not report when nothing was dropped", async () => {
    const reader = new StallableReader();
    const c = new BoundedConsole({ out: reader, maxBufferedBytes: 1 << 20, format });
    reader.stalled = true;
    for (let i = 0; i < 50; i++) c.write(line(`[EXIT_TEST] ${i}`)); // above the high-water mark, under the bound
    reader.resume();
    await new Promise((r) => setImmediate(r));
    expect(reader.text).not.toContain("[LOG] dropped");
    expect(c.stats().droppedTotal).toBe(0);
  });

  it("a real pipe to a process that never reads: lines beyond the bound are dropped, the writes return at once", async () => {
    const child = spawn("sleep", ["30"], { stdio: ["pipe", "ignore", "ignore"] });
    try {
      const c = new BoundedConsole({ out: child.stdin, maxBufferedBytes: 64 * 1024, format });
      const text = "x".repeat(200);
      for (let i = 0; i < 20_000; i++) c.write(line(`[EXIT_TEST] ${i} ${text}`)); // ~5 MB, far beyond the kernel's buffer
      const s = c.stats();
      expect(s.droppedNow).toBeGreaterThan(0);
      expect(s.bufferedBytes).toBeLessThanOrEqual(64 * 1024);
      expect(s.closedBy).toBeNull();
    } finally {
      child.kill("SIGKILL");
      child.stdin.destroy();
    }
  });

  it("a reader that went away (EPIPE) does not crash the process; the console stops taking lines", async () => {
    // The reader closes its end of the pipe and stays alive (as `| head -1` does after one line).
    const child = spawn("sh", ["-c", "exec 0<&-; echo closed; sleep 30"], { stdio: ["pipe", "pipe", "ignore"] });
    try {
      await once(child.stdout, "data");
      const c = new BoundedConsole({ out: child.stdin, format });
      c.write(line("[EXIT_TEST] into a closed pipe"));
      await once(child.stdin, "error"); // the same event the console listens to
      expect(c.stats().closedBy).toBe("EPIPE");
      expect(c.write(line("[EXIT_TEST] after EPIPE"))).toBe(true); // no throw, nothing written
      expect(c.stats().bufferedBytes).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
