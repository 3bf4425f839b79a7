// The one place that spells out the toggle row's columns (table exit_toggles, id = 1). Every
// reader selects them through `toggleRowColumns` / `toggleRowSql` and turns the row into typed
// toggles with `fromRow`: the gateway's check, the worker's watcher, the watchdog, the services'
// FOR UPDATE and Prisma's own findUnique all agree, and a new column is added here once.
import { parseToggle, type ToggleSet } from "../../core/toggles";
import { Prisma } from "../../generated/prisma/client";
import type { Db } from "./client";

export interface StoredToggles {
  toggles: ToggleSet;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

/** The row as `toggleRowColumns` names it; `version` is a bigint (Prisma) or its text (node-postgres). */
export interface ToggleRow {
  exitMode: string;
  exitExecutorMode: string;
  exitBrainV3LiveRollout: string;
  version: bigint | string | number;
  updatedAt: Date;
  updatedBy: string;
}

const COLUMNS: readonly (readonly [column: string, field: keyof ToggleRow])[] = [
  ["exit_mode", "exitMode"],
  ["exit_executor_mode", "exitExecutorMode"],
  ["exit_brain_v3_live_rollout", "exitBrainV3LiveRollout"],
  ["version", "version"],
  ["updated_at", "updatedAt"],
  ["updated_by", "updatedBy"],
];

/** `alias`: exit_toggles' alias in the query; the select list names each column as `ToggleRow` does. */
export function toggleRowColumns(alias: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`toggleRowColumns: "${alias}" is not a plain SQL alias`);
  return COLUMNS.map(([column, field]) => `${alias}.${column} AS "${field}"`).join(", ");
}

/** The same select list for Prisma's tagged templates ($queryRaw`SELECT ${toggleRowSql("t")} …`). */
export function toggleRowSql(alias: string): Prisma.Sql {
  return Prisma.raw(toggleRowColumns(alias));
}

export function fromRow(row: ToggleRow): StoredToggles {
  // The table's CHECK constraints already restrict the words; parseToggle keeps the types honest.
  return {
    toggles: {
      EXIT_MODE: parseToggle("EXIT_MODE", row.exitMode).value,
      EXIT_EXECUTOR_MODE: parseToggle("EXIT_EXECUTOR_MODE", row.exitExecutorMode).value,
      EXIT_BRAIN_V3_LIVE_ROLLOUT: parseToggle("EXIT_BRAIN_V3_LIVE_ROLLOUT", row.exitBrainV3LiveRollout).value,
    },
    version: Number(row.version),
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/** The NOTIFY channel a committed toggle change is announced on (exit_toggles_change()). */
export const TOGGLE_CHANNEL = "exit_toggles";

export async function readStoredToggles(db: Pick<Db, "exitToggles">): Promise<StoredToggles | null> {
  const row = await db.exitToggles.findUnique({ where: { id: 1 } });
  return row ? fromRow(row) : null;
}
