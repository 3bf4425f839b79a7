// Records every decision: SHADOW ones to the JSONL shadow log, all of them (SHADOW and LIVE) to
// shadow_decision. Writes are batched (every flushMs or flushRows rows, whichever comes first)
// so thousands of positions per interval cost a few statements, and they never block the
// evaluation loop. A failed write keeps its rows (bounded) and is retried on the next flush.
// While two writes are running the next batch keeps growing (group commit, up to maxBatchRows rows
// per statement), so a burst costs a few large statements rather than many small ones.
// The rows go as one multi-row unnest INSERT (decision-recorder-sql.ts): over `pool` when given,
// else over the Prisma client's own pg pool ($executeRawUnsafe); a store with only createMany
// (a test double) gets createMany.
// With `rotation` the JSONL file is rotated by size and age and keeps its name (rotating-file.ts);
// a write the disk took only part of is retried from the first line not whole in the file, so
// each decision is in the file exactly once (decision-recorder-file.ts);
// while `suppressOptional()` is true (disk running low) holds are neither logged nor stored.
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { toShadowDecisionRow, toShadowLogLine, type DecisionContext, type ShadowDecisionRow } from "../../src/core/decisions";
import type { Logger } from "../../src/server/logger";
import { repairTornTail, RotatingFile, rotatedFileName, type RotationPolicy } from "../../src/server/rotating-file";
import { fileSize, wholeLinesIn } from "./decision-recorder-file";
import { insertShadowDecisions, type SqlExecutor } from "./decision-recorder-sql";

/** prisma.shadowDecision fits; a full PrismaClient also brings $executeRawUnsafe (the fast path). */
export interface ShadowDecisionStore {
  shadowDecision: { createMany(args: { data: ShadowDecisionRow[] }): PromiseLike<unknown> };
  $executeRawUnsafe?: (sql: string, ...values: unknown[]) => PromiseLike<unknown>;
}

/** A pg.Pool (or client) fits. */
export interface SqlPool {
  query(sql: string, params: unknown[]): PromiseLike<unknown>;
}

export interface DecisionRecorderOptions {
  db: ShadowDecisionStore;
  /** when given, batches are written over this pool (preferred: no Prisma in the write path) */
  pool?: SqlPool | null;
  /** rows per INSERT statement at most (default 5,000) */
  maxBatchRows?: number;
  log: Logger;
  /** JSONL shadow log; null = no file */
  file: string | null;
  /** every Nth hold per position goes to the file (1 = all, 0 = none); the database keeps all */
  holdSample: number;
  flushMs: number;
  flushRows: number;
  /** rows kept while the database is unreachable; the oldest are dropped beyond it */
  maxBuffered?: number;
  /** rotate the JSONL file (size, age, files kept); null/absent = plain append */
  rotation?: RotationPolicy | null;
  /** while true, hold decisions are optional data and are skipped (disk pressure) */
  suppressOptional?: () => boolean;
  /** told about every failed database write (the disk monitor looks for "disk full") */
  onWriteError?: (err: unknown) => void;
}

export interface RecorderStats {
  rowsWritten: number;
  linesWritten: number;
  dropped: number;
  writeFailures: number;
  /** holds skipped under disk pressure */
  optionalSkipped: number;
}

/** Two: the next batch is mapped and sent while PostgreSQL works on one (82-84k rows/s vs 40-52k with one; BENCHMARKS.md 5). */
const MAX_WRITES_IN_FLIGHT = 2;

export class DecisionRecorder {
  private rows: ShadowDecisionRow[] = [];
  /** shadow-log lines waiting for the next write; `hold` marks the optional ones (disk pressure) */
  private lines: { text: string; hold: boolean }[] = [];
  private readonly holdsSeen = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** database statements in flight (at most MAX_WRITES_IN_FLIGHT) */
  private readonly writes = new Set<Promise<void>>();
  /** a flush is queued behind the running one and has not taken its rows yet */
  private flushQueued = false;
  private dirReady = false;
  private dbFailing = false;
  private fileFailing = false;
  readonly stats: RecorderStats = { rowsWritten: 0, linesWritten: 0, dropped: 0, writeFailures: 0, optionalSkipped: 0 };
  private readonly rotating: RotatingFile | null;

  private readonly write: (rows: ShadowDecisionRow[]) => PromiseLike<unknown>;

  constructor(private readonly o: DecisionRecorderOptions) {
    const pool = o.pool;
    const prisma = o.db.$executeRawUnsafe?.bind(o.db);
    const exec: SqlExecutor | null = pool ? (sql, params) => pool.query(sql, params) : prisma ? (sql, params) => prisma(sql, ...params) : null;
    this.write = exec ? (rows) => insertShadowDecisions(exec, rows) : (rows) => o.db.shadowDecision.createMany({ data: rows });
    this.rotating = o.file && o.rotation ? new RotatingFile(o.file, { policy: o.rotation }) : null;
  }

  /** decisions waiting for the next write */
  get buffered(): number {
    return this.rows.length;
  }

  record(c: DecisionContext): void {
    if (c.decision.type === "hold" && this.o.suppressOptional?.()) {
      this.stats.optionalSkipped++;
      return;
    }
    this.rows.push(toShadowDecisionRow(c));
    if (c.mode === "SHADOW" && this.o.file && this.sampled(c)) this.lines.push({ text: toShadowLogLine(c), hold: c.decision.type === "hold" });
    const max = this.o.maxBuffered ?? 50_000;
    if (this.rows.length > max) {
      this.stats.dropped += this.rows.length - max;
      this.rows.splice(0, this.rows.length - max);
    }
    if (this.rows.length >= this.o.flushRows) {
      if (!this.flushQueued) void this.flush();
    } else this.timer ??= setTimeout(() => void this.flush(), this.o.flushMs);
  }

  /** Forgets a closed position's hold counter. */
  forget(positionKey: string): void {
    this.holdsSeen.delete(positionKey);
  }

  /**
   * Writes what is buffered; resolves once those rows are stored (or kept for a retry). Batches
   * are taken in order; up to MAX_WRITES_IN_FLIGHT statements run at once, so the next batch is
   * mapped and sent while the database still works on the previous one.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushQueued = true;
    const started = this.flushing.then(() => this.startBatch());
    this.flushing = started.then(() => undefined);
    return started.then((s) => s.done);
  }

  private sampled(c: DecisionContext): boolean {
    if (c.decision.type !== "hold") return true;
    if (this.o.holdSample <= 0) return false;
    const n = this.holdsSeen.get(c.positionKey) ?? 0;
    this.holdsSeen.set(c.positionKey, n + 1);
    return n % this.o.holdSample === 0;
  }

  /** Takes the buffer once a write slot is free. The file's lines are appended here, one batch at a time, so they stay in order. */
  private async startBatch(): Promise<{ done: Promise<void> }> {
    while (this.writes.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(this.writes);
    this.flushQueued = false;
    // Holds buffered before the disk ran low are optional data too: dropped here, at write time,
    // so nothing optional reaches the disk once the pressure is known.
    const suppress = this.o.suppressOptional?.() ?? false;
    const lines = suppress ? this.lines.filter((l) => !l.hold) : this.lines;
    const rows = suppress ? this.rows.filter((r) => r.decisionType !== "hold") : this.rows;
    this.stats.optionalSkipped += this.rows.length - rows.length;
    this.lines = [];
    this.rows = [];
    if (lines.length > 0 && this.o.file) await this.writeLines(this.o.file, lines);
    if (rows.length === 0) return { done: Promise.resolve() };
    const done = this.writeRows(rows); // never rejects: a failure keeps the rows for a retry
    this.writes.add(done);
    void done.finally(() => this.writes.delete(done));
    return { done };
  }

  private async writeLines(file: string, lines: { text: string; hold: boolean }[]): Promise<void> {
    const texts = lines.map((l) => l.text);
    const abs = path.resolve(file);
    // where this write starts, to tell after a failure which lines made it whole into the file
    let start: { bytes: number; rotations: number } | null = null;
    try {
      if (!this.dirReady) await mkdir(path.dirname(abs), { recursive: true });
      this.dirReady = true;
      // A line the failed write before left half-written is cut first, so the file stays whole
      // lines (the rotating file also cuts it when it reopens; a plain file has no one else).
      if (this.fileFailing) repairTornTail(abs);
      start = { bytes: fileSize(abs), rotations: this.rotating?.rotations ?? 0 };
      if (this.rotating) await this.rotating.append(texts.join("\n") + "\n");
      else await appendFile(abs, texts.join("\n") + "\n", "utf8");
      this.stats.linesWritten += lines.length;
      if (this.fileFailing) this.o.log.info(`[EXIT_BRAIN_SHADOW] shadow log ${file} writable again`);
      this.fileFailing = false;
    } catch (err) {
      this.stats.writeFailures++;
      // The disk may have taken the first part of the batch: those whole lines are written; only
      // the rest is kept for the retry, or they would be in the file twice.
      const done = start ? wholeLinesIn(texts, this.bytesSince(abs, start)) : 0;
      this.stats.linesWritten += done;
      this.lines = lines.slice(done).concat(this.lines).slice(-(this.o.maxBuffered ?? 50_000));
      if (!this.fileFailing) this.o.log.error({ err }, `[EXIT_BRAIN_SHADOW] cannot append to the shadow log ${file}; keeping lines and retrying`);
      this.fileFailing = true;
    }
  }

  /** Bytes added to the file since `start` (the newest rotated file when it rotated meanwhile). */
  private bytesSince(abs: string, start: { bytes: number; rotations: number }): number {
    const rotated = this.rotating !== null && this.rotating.rotations !== start.rotations;
    return Math.max(0, fileSize(rotated ? rotatedFileName(abs, 1) : abs) - start.bytes);
  }

  private async writeRows(rows: ShadowDecisionRow[]): Promise<void> {
    const per = Math.max(1, this.o.maxBatchRows ?? 5_000);
    let done = 0;
    try {
      while (done < rows.length) {
        const batch = rows.slice(done, done + per);
        await this.write(batch);
        done += batch.length;
        this.stats.rowsWritten += batch.length;
      }
      if (this.dbFailing) this.o.log.info("[EXIT_BRAIN_SHADOW] shadow_decision writes restored");
      this.dbFailing = false;
    } catch (err) {
      this.stats.writeFailures++;
      this.o.onWriteError?.(err);
      // Each statement is atomic: keep exactly the rows not yet stored, ahead of newer ones.
      this.rows = rows.slice(done).concat(this.rows);
      if (!this.dbFailing) this.o.log.error({ err: err instanceof Error ? err.message : String(err) }, "[EXIT_BRAIN_SHADOW] shadow_decision write failed; keeping rows and retrying");
      this.dbFailing = true;
      if (!this.timer) this.timer = setTimeout(() => void this.flush(), Math.max(this.o.flushMs, 1000));
    }
  }

  async stop(): Promise<void> {
    await this.flush();
    await Promise.all(this.writes);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.rotating?.close();
  }
}
