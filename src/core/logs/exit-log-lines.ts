// The runbook's tagged log lines ([EXIT_GUARD], [EXIT_MODE], ...) out of the worker's JSON Lines log,
// filtered by tag and symbol. Pure: the caller reads the file's tail.

export interface ExitLogLine {
  /** epoch ms */
  time: number;
  level: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** the process that wrote it (worker, web, watchdog) */
  name: string;
  /** e.g. EXIT_GUARD */
  tag: string;
  msg: string;
}

const LEVELS: Record<number, ExitLogLine["level"]> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
const TAG = /\[(EXIT_[A-Z_]+)\]/;

/** One line of the log as an [EXIT_*] line, or null (another line, or not whole JSON). */
export function parseExitLogLine(raw: string): ExitLogLine | null {
  if (!raw.startsWith("{")) return null;
  let j: unknown;
  try {
    j = JSON.parse(raw);
  } catch {
    return null; // a torn line at the tail's start, or one a full disk cut
  }
  if (typeof j !== "object" || j === null) return null;
  const o = j as Record<string, unknown>;
  const msg = typeof o.msg === "string" ? o.msg : null;
  if (msg === null) return null;
  const tag = TAG.exec(msg)?.[1];
  if (!tag) return null;
  return {
    time: typeof o.time === "number" ? o.time : 0,
    level: LEVELS[typeof o.level === "number" ? o.level : 30] ?? "info",
    name: typeof o.name === "string" ? o.name : "?",
    tag,
    msg,
  };
}

export interface LogFilter {
  tag?: string;
  /** a symbol as a whole word, e.g. BTCUSDT */
  symbol?: string;
  limit: number;
}

/** Newest first, at most `limit`, from lines in file order (oldest first). */
export function filterExitLines(lines: readonly string[], f: LogFilter): { lines: ExitLogLine[]; tags: string[] } {
  const out: ExitLogLine[] = [];
  const tags = new Set<string>();
  const symbol = f.symbol ? new RegExp(`\\b${f.symbol}\\b`) : null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = parseExitLogLine(lines[i]!);
    if (!l) continue;
    tags.add(l.tag);
    if (out.length >= f.limit) continue;
    if (f.tag && l.tag !== f.tag) continue;
    if (symbol && !symbol.test(l.msg)) continue;
    out.push(l);
  }
  return { lines: out, tags: [...tags].sort() };
}
