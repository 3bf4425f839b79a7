// Applied on every worker boot. First boot: the environment seeds the stored toggles, but never
// above SHADOW (the LIVE rollout is always seeded DISABLED: LIVE needs an authenticated, audited
// step). Every boot: an environment value below the stored one lowers it (an audited rollback,
// source `env`), so removing the variable later can never re-escalate.
import { rankOf, SAFEST_TOGGLES, TOGGLE_KEYS, type ToggleCeilings, type ToggleSet } from "../../../core/toggles";
import type { Db } from "../../db/client";
import { changeToggles, seedRow, type ChangeResult } from "./change-toggles";
import { readStoredToggles, type StoredToggles } from "../../db/toggle-row";

export const ENV_ACTOR = "environment";

export interface BootResult {
  seeded: boolean;
  lowered: ChangeResult | null;
  stored: StoredToggles;
}

export function seedFromCeilings(ceilings: ToggleCeilings): ToggleSet {
  return {
    EXIT_MODE: ceilings.EXIT_MODE ?? SAFEST_TOGGLES.EXIT_MODE,
    EXIT_EXECUTOR_MODE: ceilings.EXIT_EXECUTOR_MODE ?? SAFEST_TOGGLES.EXIT_EXECUTOR_MODE,
    EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED",
  };
}

export async function bootToggles(db: Db, ceilings: ToggleCeilings): Promise<BootResult> {
  const seed = seedFromCeilings(ceilings);
  const seeded = await db.$transaction((tx) =>
    seedRow(tx, seed, ENV_ACTOR, "env", `seeded from the environment on first boot (${describe(seed)}); LIVE always needs an operator`),
  );
  const current = await readStoredToggles(db);
  if (!current) throw new Error("exit_toggles row missing right after seeding");
  const lower: Partial<ToggleSet> = {};
  const notes: string[] = [];
  for (const key of TOGGLE_KEYS) {
    const ceiling = ceilings[key];
    if (ceiling !== undefined && rankOf(key, ceiling) < rankOf(key, current.toggles[key])) {
      (lower as Record<string, string>)[key] = ceiling;
      notes.push(`${key}=${ceiling} in the environment is below the stored ${current.toggles[key]}`);
    }
  }
  let lowered: ChangeResult | null = null;
  if (notes.length > 0) {
    lowered = await changeToggles(db, {
      changes: lower,
      actor: ENV_ACTOR,
      source: "env",
      reason: `deployment ceiling: ${notes.join("; ")}`,
      // Audit the states as stored before and after; the ceiling is what this change applies.
      ceilings: {},
    });
  }
  const stored = (await readStoredToggles(db)) ?? current;
  return { seeded, lowered: lowered?.changed ? lowered : null, stored };
}

function describe(t: ToggleSet): string {
  return `EXIT_MODE=${t.EXIT_MODE}, EXIT_EXECUTOR_MODE=${t.EXIT_EXECUTOR_MODE}, EXIT_BRAIN_V3_LIVE_ROLLOUT=${t.EXIT_BRAIN_V3_LIVE_ROLLOUT}`;
}
