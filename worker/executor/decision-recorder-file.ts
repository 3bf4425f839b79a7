// What a failed append to the shadow JSONL left in the file. A disk that fills mid-write takes the
// first part of a batch (with or without an error), so the recorder keeps for its retry only the
// lines not already whole in the file: every decision is in the file exactly once.
import { statSync } from "node:fs";

/** The file's size in bytes; 0 when it does not exist (yet). */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * How many of `lines` (written as `lines.join("\n") + "\n"`) are whole within the first `bytes`
 * bytes of that text: each line counts with its newline. A torn last line is not counted (the
 * file's torn tail is cut before the next write).
 */
export function wholeLinesIn(lines: readonly string[], bytes: number): number {
  let used = 0;
  for (let k = 0; k < lines.length; k++) {
    used += Buffer.byteLength(lines[k]!) + 1;
    if (used > bytes) return k;
  }
  return lines.length;
}
