// A shadow log write the disk takes only part of (it filled mid-write): the recorder retries the
// batch, and each decision must end up in the file exactly once, every line whole JSON, in order.
// The partial write is injected on the real file: the first bytes of the batch are appended, then
// the write fails (ENOSPC for the plain file; the rotating file's short-write rejection).
import { appendFileSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Decision } from "../../src/core/exit-brain";
import type { DecisionContext } from "../../src/core/decisions";
import { RotatingFile } from "../../src/server/rotating-file";
import { DecisionRecorder } from "./decision-recorder";
import { wholeLinesIn } from "./decision-recorder-file";

// The plain file's append, with a switch to make the next one partial.
const partial = vi.hoisted(() => ({ next: null as null | { bytes: number } }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    appendFile: async (file: string, data: string, enc: BufferEncoding) => {
      const cut = partial.next;
      if (!cut) return real.appendFile(file, data, enc);
      partial.next = null;
      await real.appendFile(file, Buffer.from(data).subarray(0, cut.bytes));
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: "ENOSPC" });
    },
  };
});

const log = pino({ level: "silent" });
const move: Decision = { type: "move_sl", newSl: 98, slReason: "trailing", confidence: 0.8, reason: "SL adjustment (trailing): pnl=1.20%" };
const ctx = (i: number): DecisionContext => ({
  positionKey: `SYM${i % 3}USDT:long:1`, decision: move, mode: "SHADOW", toggleVersion: 1, at: 1_700_000_000_000 + i * 1_000,
  position: { symbol: `SYM${i % 3}USDT`, side: "long", size: 1, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: null, unrealizedPnl: 1, openedAt: 1 },
});
const nullDb = { shadowDecision: { createMany: async () => ({}) } };

let dir: string | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  partial.next = null;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

/** The file's decisions by timestamp; throws on a line that is not whole JSON. */
function decisionsIn(file: string): string[] {
  const text = readFileSync(file, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { timestamp: string }).timestamp);
}
const expected = (n: number) => Array.from({ length: n }, (_, i) => new Date(1_700_000_000_000 + i * 1_000).toISOString());

describe("the shadow log after a partial write", () => {
  it("plain file: the lines the disk took are not written again, the torn one is cut, every decision once", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shadow-partial-"));
    const file = path.join(dir, "exit_brain_shadow.jsonl");
    const r = new DecisionRecorder({ db: nullDb, log, file, holdSample: 1, flushMs: 60_000, flushRows: 1_000 });
    for (let i = 0; i < 5; i++) r.record(ctx(i));
    await r.flush();
    for (let i = 5; i < 15; i++) r.record(ctx(i));
    const lineBytes = readFileSync(file).length / 5;
    partial.next = { bytes: Math.floor(lineBytes * 3.5) }; // three whole lines and half of the fourth
    await r.flush();
    expect(r.stats.writeFailures).toBe(1);
    for (let i = 15; i < 20; i++) r.record(ctx(i));
    await r.stop();
    expect(decisionsIn(file)).toEqual(expected(20));
    expect(r.stats.linesWritten).toBe(20);
  });

  it("rotating file: a short write is retried from the first line not whole in the file", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shadow-partial-rot-"));
    const file = path.join(dir, "exit_brain_shadow.jsonl");
    const r = new DecisionRecorder({ db: nullDb, log, file, holdSample: 1, flushMs: 60_000, flushRows: 1_000, rotation: { maxBytes: 10_000_000, interval: null, keep: 2 } });
    for (let i = 0; i < 4; i++) r.record(ctx(i));
    await r.flush();
    vi.spyOn(RotatingFile.prototype, "append").mockImplementationOnce(async function (this: RotatingFile, data: string) {
      const bytes = Buffer.from(data);
      appendFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      throw new Error(`${file}: only part of ${bytes.length} bytes written (disk full?)`);
    });
    for (let i = 4; i < 14; i++) r.record(ctx(i));
    await r.flush();
    expect(r.stats.writeFailures).toBe(1);
    for (let i = 14; i < 16; i++) r.record(ctx(i));
    await r.stop();
    expect(decisionsIn(file)).toEqual(expected(16));
  });

  it("counts whole lines by bytes, newline included", () => {
    expect(wholeLinesIn(["ab", "cde", "f"], 0)).toBe(0);
    expect(wholeLinesIn(["ab", "cde", "f"], 2)).toBe(0);
    expect(wholeLinesIn(["ab", "cde", "f"], 3)).toBe(1);
    expect(wholeLinesIn(["ab", "cde", "f"], 6)).toBe(1);
    expect(wholeLinesIn(["ab", "cde", "f"], 7)).toBe(2);
    expect(wholeLinesIn(["ab", "cde", "f"], 9)).toBe(3);
    expect(wholeLinesIn(["é"], 2)).toBe(0); // bytes, not characters
    expect(wholeLinesIn(["é"], 3)).toBe(1);
  });
});
