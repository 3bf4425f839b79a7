// Reading the stored toggle row, and the deployment ceilings of this process's environment.
import { parseCeilings, type ParsedCeilings } from "../../../core/toggles";
import type { Db } from "../../db/client";
import { fromRow, type StoredToggles } from "../../db/toggle-row";

// The row's columns and their parsing live in the database layer (src/server/db/toggle-row.ts).
export { fromRow, toggleRowColumns, toggleRowSql, type StoredToggles, type ToggleRow } from "../../db/toggle-row";

export const TOGGLE_CHANNEL = "exit_toggles";

export async function readStoredToggles(db: Pick<Db, "exitToggles">): Promise<StoredToggles | null> {
  const row = await db.exitToggles.findUnique({ where: { id: 1 } });
  return row ? fromRow(row) : null;
}

/** Ceilings from an environment (default: this process's). */
export function readCeilings(source: Record<string, string | undefined> = process.env): ParsedCeilings {
  return parseCeilings({
    EXIT_MODE: source.EXIT_MODE,
    EXIT_EXECUTOR_MODE: source.EXIT_EXECUTOR_MODE,
    EXIT_BRAIN_V3_LIVE_ROLLOUT: source.EXIT_BRAIN_V3_LIVE_ROLLOUT,
    EXIT_BRAIN_V3_ENABLED: source.EXIT_BRAIN_V3_ENABLED,
  });
}
