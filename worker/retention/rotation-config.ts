// LOG_FILE and SHADOW_LOG_FILE rotation, from the validated environment (the "Retention,
// rotation and disk pressure" section of src/env.js).
import type { Env } from "../../src/env.js";
import type { RotationPolicy } from "../../src/server/rotating-file";

const MB = 1024 * 1024;

type RotationEnv = Pick<Env, "LOG_ROTATE_SIZE_MB" | "LOG_ROTATE_INTERVAL" | "LOG_ROTATE_KEEP" | "SHADOW_LOG_ROTATE_SIZE_MB" | "SHADOW_LOG_ROTATE_KEEP">;

export function logRotationFromEnv(e: RotationEnv): RotationPolicy {
  return { maxBytes: e.LOG_ROTATE_SIZE_MB * MB, interval: e.LOG_ROTATE_INTERVAL === "off" ? null : e.LOG_ROTATE_INTERVAL, keep: e.LOG_ROTATE_KEEP };
}

export function shadowLogRotationFromEnv(e: RotationEnv): RotationPolicy {
  return { maxBytes: e.SHADOW_LOG_ROTATE_SIZE_MB * MB, interval: e.LOG_ROTATE_INTERVAL === "off" ? null : e.LOG_ROTATE_INTERVAL, keep: e.SHADOW_LOG_ROTATE_KEEP };
}
