// Following the toggles: what a new toggle view means for the executor's loop (start it, stop
// it for LEGACY, or keep it and change mode at the next evaluation), with the runbook's log lines.
import {
  EXECUTOR_FORCED_SHADOW_LINE, EXECUTOR_LIVE_BANNER, initializedLine, modeChangedLine, startingLoopLine, STOPPED_FOR_LEGACY_LINE, type ExecutorMode,
} from "../../src/core/decisions";
import { executorModeOf, FORCED_SHADOW_WARNING } from "../../src/core/toggles";
import type { Logger } from "../../src/server/logger";
import type { ToggleView } from "../toggles/toggle-watcher";

export interface FollowStep {
  /** start the loop, stop it (LEGACY), or leave it as it is */
  loop: "start" | "stop" | "keep";
  /** the mode from now on (null: off) */
  mode: ExecutorMode | null;
}

export function followToggles(view: ToggleView, running: boolean, mode: ExecutorMode | null, log: Logger, intervalS: number): FollowStep {
  const target = executorModeOf(view.state);
  if (target === "OFF") {
    if (running) log.info(STOPPED_FOR_LEGACY_LINE);
    return { loop: running ? "stop" : "keep", mode: null };
  }
  const forced = view.resolution?.warnings.includes(FORCED_SHADOW_WARNING) ?? false;
  if (!running) {
    log.info(initializedLine(target, view.confirmed ? (view.resolution?.effective ?? null) : null));
    if (forced) log.warn(EXECUTOR_FORCED_SHADOW_LINE);
    if (target === "LIVE") log.warn(EXECUTOR_LIVE_BANNER);
    log.info(startingLoopLine(intervalS, target));
    return { loop: "start", mode: target };
  }
  if (target !== mode) {
    log.info(modeChangedLine(mode ?? "SHADOW", target, view.version));
    if (target === "LIVE") log.warn(EXECUTOR_LIVE_BANNER);
    else if (forced) log.warn(EXECUTOR_FORCED_SHADOW_LINE);
  }
  return { loop: "keep", mode: target };
}
