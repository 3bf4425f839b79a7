// Reading the stored toggle row, and the deployment ceilings of this process's environment.
import { parseCeilings, parseToggle, type ParsedCeilings, type ToggleSet } from "../../../core/toggles";
import type { Db } from "../../db/client";

export const TOGGLE_CHANNEL = "exit_toggles";

export interface StoredToggles {
  toggles: ToggleSet;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

/**
 * The toggle row's columns as `fromRow` reads them, for plain-SQL readers (the gateway's check,
 * the worker's watcher). Two readers still spell them out in Prisma templates: change-toggles.ts
 * (its FOR UPDATE) and the watchdog's gather-snapshot.ts. `alias`: exit_toggles' alias in the query.
 */
export function toggleRowColumns(alias: string): string {
  return `${alias}.exit_mode AS "exitMode", ${alias}.exit_executor_mode AS "exitExecutorMode", ` +
    `${alias}.exit_brain_v3_live_rollout AS "exitBrainV3LiveRollout", ${alias}.version, ${alias}.updated_at AS "updatedAt", ${alias}.updated_by AS "updatedBy"`;
}

interface ToggleRow {
  exitMode: string;
  exitExecutorMode: string;
  exitBrainV3LiveRollout: string;
  version: bigint;
  updatedAt: Date;
  updatedBy: string;
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

export function toColumns(t: ToggleSet) {
  return { exitMode: t.EXIT_MODE, exitExecutorMode: t.EXIT_EXECUTOR_MODE, exitBrainV3LiveRollout: t.EXIT_BRAIN_V3_LIVE_ROLLOUT };
}

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
