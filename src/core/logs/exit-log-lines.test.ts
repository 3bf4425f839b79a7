import { describe, expect, it } from "vitest";
import { filterExitLines, parseExitLogLine } from "./exit-log-lines";

const line = (msg: string, time = 1, level = 30) => JSON.stringify({ level, time, name: "worker", msg });

describe("exit log lines", () => {
  it("keeps only [EXIT_*] lines, with tag and level; torn or foreign lines are skipped", () => {
    expect(parseExitLogLine(line("[EXIT_GUARD] ✅ placing sl for BTCUSDT", 5, 40))).toEqual({ time: 5, level: "warn", name: "worker", tag: "EXIT_GUARD", msg: "[EXIT_GUARD] ✅ placing sl for BTCUSDT" });
    expect(parseExitLogLine(line("[WORKER] starting"))).toBeNull();
    expect(parseExitLogLine('"level":30,"msg":"[EXIT_MODE] half')).toBeNull();
    expect(parseExitLogLine('{"level":30,"msg":"[EXIT_MODE] cut')).toBeNull();
    expect(parseExitLogLine("[EXIT_MODE] plain text")).toBeNull();
  });

  it("filters by tag and by symbol as a whole word, newest first, bounded", () => {
    const lines = [
      line("[EXIT_GUARD] BTCUSDT one", 1), line("[EXIT_GATEWAY] ETHUSDT two", 2), line("[EXIT_GUARD] ETHUSDT three", 3),
      line("[EXIT_GUARD] BTCUSDTX not a match", 4), line("[WORKER] BTCUSDT skipped", 5),
    ];
    expect(filterExitLines(lines, { limit: 10 }).lines.map((l) => l.time)).toEqual([4, 3, 2, 1]);
    expect(filterExitLines(lines, { tag: "EXIT_GUARD", limit: 10 }).lines.map((l) => l.time)).toEqual([4, 3, 1]);
    expect(filterExitLines(lines, { symbol: "BTCUSDT", limit: 10 }).lines.map((l) => l.time)).toEqual([1]);
    expect(filterExitLines(lines, { tag: "EXIT_GUARD", symbol: "ETHUSDT", limit: 10 }).lines.map((l) => l.time)).toEqual([3]);
    expect(filterExitLines(lines, { limit: 2 }).lines.map((l) => l.time)).toEqual([4, 3]);
    expect(filterExitLines(lines, { limit: 1 }).tags).toEqual(["EXIT_GATEWAY", "EXIT_GUARD"]);
  });
});
