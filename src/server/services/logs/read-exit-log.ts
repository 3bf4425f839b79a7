// The live log view (issue 16): the tail of the worker's current log file (LOG_FILE), read
// server-side and bounded — at most TAIL_BYTES from its end, never the whole file — and filtered
// to the runbook's [EXIT_*] lines by tag and symbol. A missing file is said so, not an error.
import { open } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { filterExitLines } from "../../../core/logs/exit-log-lines";

/** How much of the file's end is read per request. */
export const TAIL_BYTES = 2 * 1024 * 1024;

export const ExitLogInput = z.object({
  tag: z.string().trim().regex(/^EXIT_[A-Z_]{1,40}$/, "a tag looks like EXIT_GUARD").optional(),
  symbol: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{2,40}$/, "a symbol is letters and digits, e.g. BTCUSDT").optional(),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();

export const ExitLogSchema = z.object({
  file: z.string(),
  found: z.boolean(),
  /** bytes of the file's end that were read, and the file's size */
  readBytes: z.number(),
  fileBytes: z.number(),
  tags: z.array(z.string()),
  lines: z.array(z.object({ time: z.number(), level: z.string(), name: z.string(), tag: z.string(), msg: z.string() })),
});
export type ExitLog = z.infer<typeof ExitLogSchema>;

export async function readExitLog(file: string, input: z.input<typeof ExitLogInput>, tailBytes = TAIL_BYTES): Promise<ExitLog> {
  if (!file) return { file: "", found: false, readBytes: 0, fileBytes: 0, tags: [], lines: [] }; // LOG_FILE empty: console only
  const abs = path.resolve(file);
  let handle;
  try {
    handle = await open(abs, "r");
  } catch {
    return { file: abs, found: false, readBytes: 0, fileBytes: 0, tags: [], lines: [] };
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - tailBytes);
    const buf = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buf, 0, buf.length, start);
    const text = buf.subarray(0, bytesRead).toString("utf8");
    const lines = text.split("\n");
    if (start > 0) lines.shift(); // the first line is cut by the window
    const { lines: out, tags } = filterExitLines(lines, { ...(input.tag ? { tag: input.tag } : {}), ...(input.symbol ? { symbol: input.symbol } : {}), limit: input.limit ?? 200 });
    return { file: abs, found: true, readBytes: bytesRead, fileBytes: size, tags, lines: out };
  } finally {
    await handle.close();
  }
}
