// Reads an entries file for `backtest --entries FILE`: JSON (an array of {time, side}, or
// {entries: [...]}) or CSV with header `timestamp,side`. time = epoch ms or an ISO date.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { TimedEntry } from "../../core/backtest/entries";
import { CliInputError } from "./load-candle-file";

const TimeSchema = z.union([z.number(), z.string()], { message: "time must be epoch ms or an ISO date" }).transform((v, ctx) => {
  const t = typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isInteger(t) || t <= 0) {
    ctx.addIssue({ code: "custom", message: `"${String(v)}" is neither epoch ms nor an ISO date` });
    return z.NEVER;
  }
  return t;
});
const EntrySchema = z.object({ time: TimeSchema, side: z.enum(["long", "short"]) });
const EntriesSchema = z.array(EntrySchema);

function csvRows(text: string): unknown[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines[0] ?? "").trim().toLowerCase();
  if (header !== "timestamp,side") throw new CliInputError(`entries CSV: line 1 must be "timestamp,side", got "${lines[0] ?? ""}"`);
  return lines.slice(1).map((l) => {
    const [time, side] = l.split(",").map((x) => x.trim());
    return { time, side: side?.toLowerCase() };
  });
}

export function loadEntriesFile(file: string): TimedEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new CliInputError(`--entries ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); pass a count (e.g. 1000) or a .json/.csv file`);
  }
  let raw: unknown;
  if (file.toLowerCase().endsWith(".csv")) raw = csvRows(text);
  else {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new CliInputError(`--entries ${file}: not valid JSON (${(err as Error).message}); use [{"time": 1618951320000, "side": "long"}, ...] or a CSV with header timestamp,side`);
    }
  }
  const list = Array.isArray(raw) ? raw : typeof raw === "object" && raw !== null && "entries" in raw ? (raw as { entries: unknown }).entries : raw;
  const parsed = EntriesSchema.safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliInputError(`--entries ${file}: ${issue.path.length > 0 ? `entry ${issue.path.join(".")}` : "the list"}: ${issue.message}; each entry needs time (epoch ms or ISO date) and side (long|short)`);
  }
  return parsed.data.sort((a, b) => a.time - b.time);
}
