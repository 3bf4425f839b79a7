// Disk-pressure settings and the directories the worker writes, from the validated environment.
import path from "node:path";
import type { DiskThresholds } from "../../src/core/retention/disk-pressure";
import type { Env } from "../../src/env.js";
import type { WatchedDir } from "./disk-monitor";

const MB = 1024 * 1024;

export function diskThresholdsFromEnv(e: Pick<Env, "DISK_MIN_FREE_MB" | "DISK_MIN_FREE_PCT">): DiskThresholds {
  return { minFreeBytes: e.DISK_MIN_FREE_MB * MB, minFreePct: e.DISK_MIN_FREE_PCT };
}

/** The shadow log's directory ("data"), the log file's ("logs"), and the embedded database's files. */
export function watchedDirsFromEnv(e: Pick<Env, "SHADOW_LOG_FILE" | "LOG_FILE" | "DATA_DIR" | "DATABASE_URL">): WatchedDir[] {
  const dirs: WatchedDir[] = [];
  const add = (label: string, dir: string) => {
    const abs = path.resolve(dir);
    if (!dirs.some((d) => d.path === abs)) dirs.push({ label, path: abs });
  };
  if (e.SHADOW_LOG_FILE) add("data", path.dirname(e.SHADOW_LOG_FILE));
  if (e.LOG_FILE) add("logs", path.dirname(e.LOG_FILE));
  if (!e.DATABASE_URL) add("embedded database", e.DATA_DIR);
  return dirs;
}
