// Reads the JSON Lines shadow log for analysis: each line is parsed and checked against the
// record schema (src/core/decisions); a line that is not JSON or not a record (truncated by a crash,
// edited by hand, from another tool) is skipped and counted, with its line number and reason, so
// the analysis can say how many lines it ignored instead of failing or silently dropping them.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ShadowLogRecordSchema, type ShadowLogRecord } from "../../../src/core/decisions/shadow-record";

export interface SkippedLine {
  line: number;
  reason: string;
}

export interface ShadowLogRead {
  records: ShadowLogRecord[];
  /** number of non-empty lines that were not valid records */
  skipped: number;
  /** the first few skipped lines, for the report */
  examples: SkippedLine[];
}

const MAX_EXAMPLES = 20;

/** Parses shadow log text (all lines); blank lines are ignored, bad ones skipped and counted. */
export function parseShadowLog(text: string): ShadowLogRead {
  const out: ShadowLogRead = { records: [], skipped: 0, examples: [] };
  text.split("\n").forEach((line, i) => addLine(out, line, i + 1));
  return out;
}

/** Streams a shadow log file (it can be large) with the same rules as parseShadowLog. */
export async function readShadowLog(file: string): Promise<ShadowLogRead> {
  const out: ShadowLogRead = { records: [], skipped: 0, examples: [] };
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) addLine(out, line, ++n);
  return out;
}

function addLine(out: ShadowLogRead, raw: string, lineNo: number): void {
  const line = raw.trim();
  if (line === "") return;
  let reason: string;
  try {
    const parsed = ShadowLogRecordSchema.safeParse(JSON.parse(line));
    if (parsed.success) {
      out.records.push(parsed.data);
      return;
    }
    const issue = parsed.error.issues[0];
    reason = `not a shadow record: ${issue ? `${issue.path.join(".") || "(line)"}: ${issue.message}` : "invalid"}`;
  } catch (err) {
    reason = `not JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  out.skipped++;
  if (out.examples.length < MAX_EXAMPLES) out.examples.push({ line: lineNo, reason });
}

/** One line for the analysis report, e.g. "1,204 records read; 2 lines skipped (line 17: not JSON ...)". */
export function describeRead(r: ShadowLogRead): string {
  const first = r.examples[0];
  return `${r.records.length} records read; ${r.skipped} line${r.skipped === 1 ? "" : "s"} skipped` + (first ? ` (first: line ${first.line}, ${first.reason})` : "");
}
