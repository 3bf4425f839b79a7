// Reading the stored toggle row, and the deployment ceilings of this process's environment.
import { parseCeilings, type ParsedCeilings } from "../../../core/toggles";
import { env } from "../../../env.js";
import type { Db } from "../../db/client";
import { fromRow, type StoredToggles } from "../../db/toggle-row";

// The row's columns and their parsing live in the database layer (src/server/db/toggle-row.ts).
export { fromRow, toggleRowColumns, toggleRowSql, type StoredToggles, type ToggleRow } from "../../db/toggle-row";

export const TOGGLE_CHANNEL = "exit_toggles";

export async function readStoredToggles(db: Pick<Db, "exitToggles">): Promise<StoredToggles | null> {
  const row = await db.exitToggles.findUnique({ where: { id: 1 } });
  return row ? fromRow(row) : null;
}

/** The variables the ceilings come from: the validated env (src/env.js) or, in tests, a plain record. */
export type CeilingSource = Partial<Record<"EXIT_MODE" | "EXIT_EXECUTOR_MODE" | "EXIT_BRAIN_V3_LIVE_ROLLOUT" | "EXIT_BRAIN_V3_ENABLED", string | undefined>>;

/** Ceilings from an environment (default: this process's, through src/env.js). */
export function readCeilings(source: CeilingSource = env()): ParsedCeilings {
  return parseCeilings({
    EXIT_MODE: source.EXIT_MODE,
    EXIT_EXECUTOR_MODE: source.EXIT_EXECUTOR_MODE,
    EXIT_BRAIN_V3_LIVE_ROLLOUT: source.EXIT_BRAIN_V3_LIVE_ROLLOUT,
    EXIT_BRAIN_V3_ENABLED: source.EXIT_BRAIN_V3_ENABLED,
  });
}
