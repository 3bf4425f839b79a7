// The recorder's batched write: one multi-row INSERT whose rows come from unnest() over one
// array per column, so a batch of thousands of decisions is one statement with 18 parameters
// (Prisma createMany sends 18 parameters per row and reached ~2.6k rows/s; this ~50-60k rows/s).
// The per-minute rollup (shadow_decision_minute) is kept by the table's statement-level trigger
// in the same statement, so nothing else has to be written here.
import type { ShadowDecisionRow } from "../../src/core/decisions";

const COLUMNS: [column: string, cast: string, value: (r: ShadowDecisionRow) => unknown][] = [
  ["at", "timestamptz", (r) => r.at.toISOString()],
  ["position_key", "text", (r) => r.positionKey],
  ["symbol", "text", (r) => r.symbol],
  ["side", "text", (r) => r.side],
  ["size", "float8", (r) => r.size],
  ["entry_price", "float8", (r) => r.entryPrice],
  ["mark_price", "float8", (r) => r.markPrice],
  ["pnl_pct", "float8", (r) => r.pnlPct],
  ["decision_type", "text", (r) => r.decisionType],
  ["confidence", "float8", (r) => r.confidence],
  ["reason", "text", (r) => r.reason],
  ["new_sl", "float8", (r) => r.newSl],
  ["sl_reason", "text", (r) => r.slReason],
  ["fraction", "float8", (r) => r.fraction],
  ["new_tp", "float8", (r) => r.newTp],
  ["exit_reason", "text", (r) => r.exitReason],
  ["mode", "text", (r) => r.mode],
  ["toggle_version", "bigint", (r) => (r.toggleVersion === null ? null : r.toggleVersion.toString())],
];

export const INSERT_SHADOW_DECISIONS_SQL =
  `INSERT INTO shadow_decision (${COLUMNS.map(([c]) => c).join(", ")}) ` +
  `SELECT * FROM unnest(${COLUMNS.map(([, cast], k) => `$${k + 1}::${cast}[]`).join(", ")})`;

/** One array per column, in the order of INSERT_SHADOW_DECISIONS_SQL's parameters. */
export function shadowDecisionParams(rows: readonly ShadowDecisionRow[]): unknown[][] {
  return COLUMNS.map(([, , value]) => rows.map(value));
}

/** Runs one statement with positional parameters: a pg pool's query or Prisma's $executeRawUnsafe. */
export type SqlExecutor = (sql: string, params: unknown[]) => PromiseLike<unknown>;

export async function insertShadowDecisions(exec: SqlExecutor, rows: readonly ShadowDecisionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await exec(INSERT_SHADOW_DECISIONS_SQL, shadowDecisionParams(rows));
}
