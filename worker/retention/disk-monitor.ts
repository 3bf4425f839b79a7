// Watches free space where the worker writes (its data and log directories; fs.statfs) and the
// database's own refusals (SQLSTATE 53100, seen by a rolled-back probe insert and reported by the
// writers), and decides with src/core/retention/disk-pressure.ts:
// - low space: optional data stops first (shadow holds, debug log lines), a warning is raised
//   (log, heartbeat -> health JSON warnings and the status page); protective orders continue;
// - the database refuses writes: additionally the executor acts as "unconfirmed" (SHADOW): it
//   neither cancels nor replaces anything, so the stops resting on the exchange stay, and the
//   gateway places protective orders again as soon as it can store their attempt rows.
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { statfs } from "node:fs/promises";
import path from "node:path";
import { assessDisk, isDiskFullError, type DiskAssessment, type DiskSample, type DiskThresholds } from "../../src/core/retention/disk-pressure";
import type { Logger } from "../../src/server/logger";

export interface WatchedDir {
  label: string;
  path: string;
}

export interface DiskInfo {
  low: boolean;
  database_full: boolean;
  warnings: string[];
}

export interface DiskMonitorOptions {
  dirs: WatchedDir[];
  thresholds: DiskThresholds;
  intervalMs: number;
  log: Logger;
  /** a write the database must accept (rolled back); rejects with its error when it does not */
  probe?: () => Promise<void>;
  /** injected for tests */
  statfsOf?: (dir: string) => Promise<{ freeBytes: number; totalBytes: number }>;
}

/** The nearest existing directory at or above `dir` (the watched one may not exist yet). */
function existingAncestor(dir: string): string {
  let d = path.resolve(dir);
  while (!existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

async function statfsFree(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const s = await statfs(existingAncestor(dir));
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

export class DiskMonitor extends EventEmitter {
  private state: DiskAssessment = { low: false, databaseFull: false, warnings: [] };
  private databaseFull = false;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;

  constructor(private readonly o: DiskMonitorOptions) {
    super();
  }

  /** optional data (shadow holds, debug log lines) must not be written */
  get optionalSuppressed(): boolean {
    return this.state.low;
  }

  /** the database refuses writes for lack of space: the executor acts as unconfirmed (SHADOW) */
  get databaseRefusesWrites(): boolean {
    return this.state.databaseFull;
  }

  info(): DiskInfo {
    return { low: this.state.low, database_full: this.state.databaseFull, warnings: [...this.state.warnings] };
  }

  /** A writer's failure: a disk-full error marks the database as refusing writes until a probe succeeds. */
  reportDatabaseError(err: unknown): void {
    if (!isDiskFullError(err) || this.databaseFull) return;
    this.databaseFull = true;
    void this.checkNow();
  }

  start(): this {
    const tick = () => {
      void this.checkNow().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.o.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  checkNow(): Promise<void> {
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<void> {
    const samples: DiskSample[] = [];
    for (const d of this.o.dirs) {
      try {
        samples.push({ label: d.label, path: d.path, ...(await (this.o.statfsOf ?? statfsFree)(d.path)) });
      } catch (err) {
        this.o.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[DISK] cannot read free space of ${d.path}`);
      }
    }
    // Probing costs a rolled-back write: only while the database is known to refuse writes, to
    // see it accept them again.
    if (this.o.probe && this.databaseFull) {
      try {
        await this.o.probe();
        this.databaseFull = false;
      } catch (err) {
        if (isDiskFullError(err)) this.databaseFull = true;
        // any other failure (database unreachable) is the toggle watcher's business: unconfirmed
      }
    }
    const before = this.state;
    this.state = assessDisk(samples, this.o.thresholds, before.low, this.databaseFull);
    if (this.state.low !== before.low || this.state.databaseFull !== before.databaseFull) {
      if (this.state.low) for (const w of this.state.warnings) this.o.log.warn(`[DISK] ${w}`);
      if (this.state.databaseFull && !before.databaseFull) {
        this.o.log.error("[DISK] The database refuses writes (disk full): the executor acts as SHADOW (unconfirmed) and cancels nothing; stops resting on the exchange stay.");
      }
      if (!this.state.databaseFull && before.databaseFull) this.o.log.warn("[DISK] The database accepts writes again.");
      if (!this.state.low) this.o.log.warn("[DISK] Disk space is back above the limits: optional data (shadow holds, debug log lines) is written again.");
      this.emit("change", this.info());
    }
  }
}

/**
 * A write the database must accept, rolled back: 16 rows of ~1 kB into shadow_decision's default
 * partition (a date no partition covers), so it usually needs new space, as an attempt row would.
 * Its own connection; rejects with the database's error (53100 when the disk is full).
 */
export function databaseWriteProbe(connectionString: string): { probe: () => Promise<void>; close: () => Promise<void> } {
  let client: import("pg").Client | null = null;
  return {
    async probe() {
      const pg = (await import("pg")).default;
      if (!client) {
        const c = new pg.Client({ connectionString, application_name: "exit-brain-disk-probe", statement_timeout: 5_000, lock_timeout: 1_000 });
        c.on("error", () => {
          if (client === c) client = null;
        });
        await c.connect();
        client = c;
      }
      const c = client;
      try {
        await c.query("BEGIN");
        await c.query(
          `INSERT INTO shadow_decision (at, position_key, symbol, side, size, entry_price, mark_price, pnl_pct, decision_type, confidence, reason, mode)
           SELECT TIMESTAMPTZ '2001-01-01 00:00:00+00', 'disk-probe', 'PROBE', 'long', 0, 0, 0, 0, 'hold', 0, repeat('x', 1000), 'SHADOW'
             FROM generate_series(1, 16)`,
        );
      } finally {
        await c.query("ROLLBACK").catch(() => {});
      }
    },
    async close() {
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
