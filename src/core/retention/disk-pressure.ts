// When is disk space "low", and when has it recovered: a pure decision from free-space samples of
// the directories the worker writes (data, logs) and the database's own answer. Hysteresis: once
// low, a directory counts as recovered only with 50% more free space than the limit, so a disk
// hovering at the limit does not flap the optional writers on and off.

export interface DiskThresholds {
  /** below this many free bytes a filesystem is low (0 = no byte limit) */
  minFreeBytes: number;
  /** below this share (%) of the filesystem free it is low (0 = no share limit) */
  minFreePct: number;
}

export interface DiskSample {
  /** what the directory is for ("data", "logs") and where it is */
  label: string;
  path: string;
  freeBytes: number;
  totalBytes: number;
}

export interface DiskAssessment {
  /** optional data (shadow holds, debug log lines) must stop */
  low: boolean;
  /** the database refused a write for lack of space (SQLSTATE 53100) recently */
  databaseFull: boolean;
  /** one line per problem, for the health JSON warnings and the log */
  warnings: string[];
}

const RECOVERY_FACTOR = 1.5;

function isBelow(s: DiskSample, t: DiskThresholds, factor: number): boolean {
  const pct = s.totalBytes > 0 ? (100 * s.freeBytes) / s.totalBytes : 100;
  return (t.minFreeBytes > 0 && s.freeBytes < t.minFreeBytes * factor) || (t.minFreePct > 0 && pct < t.minFreePct * factor);
}

const mb = (b: number): string => `${Math.round(b / (1024 * 1024))} MB`;

export function assessDisk(samples: readonly DiskSample[], t: DiskThresholds, wasLow: boolean, databaseFull: boolean): DiskAssessment {
  const warnings: string[] = [];
  let low = false;
  for (const s of samples) {
    if (!isBelow(s, t, wasLow ? RECOVERY_FACTOR : 1)) continue;
    low = true;
    const pct = s.totalBytes > 0 ? ((100 * s.freeBytes) / s.totalBytes).toFixed(1) : "?";
    warnings.push(
      `Disk space low for the ${s.label} directory ${s.path}: ${mb(s.freeBytes)} free (${pct}%), limit ${mb(t.minFreeBytes)} / ${t.minFreePct}%. ` +
        `Shadow holds and debug log lines are paused; protective orders continue. Free space or raise the disk.`,
    );
  }
  if (databaseFull) {
    low = true;
    warnings.push(
      "PostgreSQL refused a write for lack of disk space (SQLSTATE 53100). Optional data is paused; while the database refuses exit order attempts " +
        "the executor acts as SHADOW (unconfirmed) and the stops already on the exchange stay. Free space on the database's disk.",
    );
  }
  return { low, databaseFull, warnings };
}

/** SQLSTATE 53100 disk_full (and 53000 insufficient_resources' out-of-space cousins). */
export function isDiskFullError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (code === "53100") return true;
  const msg = (err as { message?: unknown }).message;
  return typeof msg === "string" && /No space left on device|could not extend file/i.test(msg);
}
