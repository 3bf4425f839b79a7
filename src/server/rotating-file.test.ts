import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, logFileOf } from "./logger";
import { writeFileSync } from "node:fs";
import { RotatingFile, repairTornTail, rotatedFileName, rotationFileNames } from "./rotating-file";

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

/** Each line parses as JSON on its own: what pandas read_json(lines=True) requires of a file. */
function jsonLines(text: string): unknown[] {
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as unknown);
}

describe("rotatedFileName", () => {
  it("puts the index before the extension, or appends it", () => {
    expect(rotatedFileName("data/exit_brain_shadow.jsonl", 1)).toBe("data/exit_brain_shadow.1.jsonl");
    expect(rotatedFileName("logs/exit_brain.log", 12)).toBe("logs/exit_brain.12.log");
    expect(rotatedFileName("logs/worker", 2)).toBe("logs/worker.2");
    expect(rotationFileNames("a/x.log", 2)).toEqual(["a/x.log", "a/x.1.log", "a/x.2.log"]);
  });
});

describe("repairTornTail", () => {
  it("cuts a torn last line back to the last newline, and leaves whole files alone", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rotating-"));
    const f = path.join(dir, "x.jsonl");
    writeFileSync(f, '{"a":1}\n{"a":2}\n{"a":');
    expect(repairTornTail(f)).toBe(5);
    expect(await readFile(f, "utf8")).toBe('{"a":1}\n{"a":2}\n');
    expect(repairTornTail(f)).toBe(0);
    writeFileSync(f, '{"torn');
    expect(repairTornTail(f)).toBe(6);
    expect(await readFile(f, "utf8")).toBe("");
    expect(repairTornTail(path.join(dir, "missing"))).toBe(0);
  });

  it("a file opened after a torn write continues with whole lines", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rotating-"));
    const file = path.join(dir, "exit_brain_shadow.jsonl");
    writeFileSync(file, '{"i":1}\n{"i":2');
    const f = new RotatingFile(file, { policy: { maxBytes: 1_000_000, interval: null, keep: 1 } });
    await f.append('{"i":3}\n');
    await f.close();
    expect(jsonLines(await readFile(file, "utf8"))).toEqual([{ i: 1 }, { i: 3 }]);
    expect(f.tornBytesCut).toBe(6);
  });
});

describe("RotatingFile", () => {
  it("rotates at the size limit, keeps at most `keep` rotated files, and the current file keeps its name and parses", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rotating-"));
    const file = path.join(dir, "exit_brain_shadow.jsonl");
    const f = new RotatingFile(file, { policy: { maxBytes: 1_000, interval: null, keep: 3 } });
    const line = (i: number) => JSON.stringify({ i, pad: "x".repeat(80) }) + "\n"; // ~100 bytes
    for (let i = 0; i < 200; i++) await f.append(line(i)); // ~20 kB = ~20 rotations' worth
    await f.close();
    const files = (await readdir(dir)).filter((n) => !n.endsWith(".txt")).sort();
    expect(files).toEqual(["exit_brain_shadow.1.jsonl", "exit_brain_shadow.2.jsonl", "exit_brain_shadow.3.jsonl", "exit_brain_shadow.jsonl"]);
    expect(f.rotations).toBeGreaterThanOrEqual(15);
    // Every file stays near the limit (a write is never split, so one line may go over it).
    for (const n of files) expect((await readFile(path.join(dir, n))).length).toBeLessThanOrEqual(1_000 + 100);
    // The newest lines are in the current file, in order, all whole JSON lines.
    const current = jsonLines(await readFile(file, "utf8")) as { i: number }[];
    expect(current.length).toBeGreaterThan(0);
    expect(current.at(-1)!.i).toBe(199);
    const previous = jsonLines(await readFile(path.join(dir, "exit_brain_shadow.1.jsonl"), "utf8")) as { i: number }[];
    expect(previous.at(-1)!.i).toBe(current[0]!.i - 1); // nothing lost between the current file and the newest rotated one
  });

  it("a write to an unwritable place fails, is counted, and never throws into the caller", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rotating-"));
    // a directory where the file should be: opening it fails
    const file = path.join(dir, "taken");
    await import("node:fs/promises").then((fs) => fs.mkdir(file));
    const errors: string[] = [];
    const f = new RotatingFile(file, { policy: { maxBytes: 1_000, interval: null, keep: 2 }, onError: (e) => errors.push(e.message), reopenAfterMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(f.write("{}\n")).toBe(false);
    await expect(f.append("{}\n")).rejects.toThrow(/not writable/);
    expect(f.healthy).toBe(false);
    expect(f.dropped).toBe(1);
    expect(errors).toHaveLength(1);
    await f.close();
  });
});

describe("createLogger with rotation", () => {
  it("rotates LOG_FILE by size, keeps the name for the current file, and drops debug lines while optional data is suppressed", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rotating-log-"));
    const file = path.join(dir, "exit_brain.log");
    let suppress = false;
    const log = createLogger({ name: "t", level: "debug", file, console: false, rotation: { maxBytes: 2_000, interval: "1d", keep: 2 }, suppressOptional: () => suppress });
    for (let i = 0; i < 100; i++) log.info({ i }, `[EXIT_BRAIN_EXECUTOR] line ${i} ${"y".repeat(40)}`);
    suppress = true;
    log.debug("[DEBUG] dropped while the disk is low");
    log.warn("[DISK] kept");
    const rf = logFileOf(log)!;
    await rf.close();
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(["exit_brain.1.log", "exit_brain.2.log", "exit_brain.log"]);
    const current = await readFile(file, "utf8");
    const records = jsonLines(current) as { msg: string; level: number }[];
    expect(records.at(-1)!.msg).toBe("[DISK] kept");
    expect(current).not.toContain("dropped while the disk is low");
    expect(records.every((r) => typeof r.level === "number")).toBe(true);
  });
});
