// The deployment ceilings of this process's environment (EXIT_MODE, EXIT_EXECUTOR_MODE,
// EXIT_BRAIN_V3_LIVE_ROLLOUT, EXIT_BRAIN_V3_ENABLED), read through src/env.js. Web, CLI, worker and
// watchdog cap the stored toggles with them.
import { parseCeilings, type ParsedCeilings } from "../core/toggles";
import { env } from "../env.js";

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
