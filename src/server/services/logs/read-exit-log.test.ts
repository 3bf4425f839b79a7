import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readExitLog } from "./read-exit-log";

const line = (msg: string, time: number) => JSON.stringify({ level: 30, time, name: "worker", msg });

describe("readExitLog", () => {
  it("reads only the file's tail: lines before the window are not seen, the cut line is dropped", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "eb-log-"));
    const file = path.join(dir, "exit_brain.log");
    const old = Array.from({ length: 1000 }, (_, i) => line(`[EXIT_GUARD] old ${i} BTCUSDT`, i)).join("\n");
    writeFileSync(file, `${old}\n${line("[EXIT_MODE] newest ETHUSDT", 5000)}\n`);
    const all = await readExitLog(file, {});
    expect(all.lines[0]!.msg).toBe("[EXIT_MODE] newest ETHUSDT");
    const tail = await readExitLog(file, {}, 300);
    expect(tail.readBytes).toBe(300);
    expect(tail.fileBytes).toBeGreaterThan(10_000);
    expect(tail.lines.every((l) => l.time >= 990)).toBe(true);
    expect((await readExitLog(file, { symbol: "ETHUSDT" })).lines).toHaveLength(1);
    expect((await readExitLog(file, { tag: "EXIT_GUARD", limit: 5 })).lines.map((l) => l.time)).toEqual([999, 998, 997, 996, 995]);
  });

  it("a missing file is reported as such", async () => {
    expect(await readExitLog("/nonexistent/dir/x.log", {})).toMatchObject({ found: false, lines: [] });
  });
});
