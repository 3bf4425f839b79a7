// A file rotated by size and age that keeps its configured name: the CURRENT file is always
// `file` (e.g. data/exit_brain_shadow.jsonl, logs/exit_brain.log), so a reader of that name (the
// runbook's pandas snippet, `grep`, worker/shadow/testing/read-shadow-log.ts) reads the current file.
// Rotated files are `<name>.1<ext>` (newest) .. `<name>.<keep><ext>` (oldest); the oldest is
// overwritten at the next rotation, so at most keep + 1 files exist. The rotation itself is
// rotating-file-stream's classical (logrotate-style) mode; this wrapper adds what a year-long
// process needs around it: a write failure (disk full) never throws into the caller, the stream
// is reopened after a pause, and lines written while it is down are counted, not queued forever.
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { createStream, type RotatingFileStream } from "rotating-file-stream";

export interface RotationPolicy {
  /** rotate when the current file reaches this many bytes */
  maxBytes: number;
  /** also rotate at every boundary of this interval (local time), e.g. "1d"; null = size only */
  interval: string | null;
  /** rotated files kept besides the current one */
  keep: number;
}

/** `logs/exit_brain.log`, 3 -> `logs/exit_brain.3.log`; a name without extension gets `.3`. */
export function rotatedFileName(file: string, index: number): string {
  const ext = path.extname(file);
  const base = ext ? file.slice(0, -ext.length) : file;
  return `${base}.${index}${ext}`;
}

/**
 * Cuts a torn last line (a write the disk could only take part of, a crash mid-line) back to the
 * last newline, so every line of the file stays whole: what pandas read_json(lines=True) needs.
 * Returns the bytes cut. A missing file is fine (0).
 */
export function repairTornTail(file: string, window = 1 << 20): number {
  let fd: number;
  try {
    fd = openSync(file, "r+");
  } catch {
    return 0;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    const len = Math.min(size, window);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    if (buf[len - 1] === 0x0a) return 0;
    const nl = buf.lastIndexOf(0x0a);
    // no newline in the window: a single line longer than it; keep it rather than guess
    if (nl < 0 && len < size) return 0;
    const keep = nl < 0 ? 0 : size - len + nl + 1;
    ftruncateSync(fd, keep);
    return size - keep;
  } finally {
    closeSync(fd);
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Every file name a rotated `file` may have (current first), for readers that want it all. */
export function rotationFileNames(file: string, keep: number): string[] {
  return [file, ...Array.from({ length: keep }, (_, k) => rotatedFileName(file, k + 1))];
}

export interface RotatingFileOptions {
  policy: RotationPolicy;
  /** called once when writing starts failing (then once again when it recovers) */
  onError?: (err: Error) => void;
  onRecover?: () => void;
  /** pause before reopening after a failure (default 5 s) */
  reopenAfterMs?: number;
}

export class RotatingFile {
  private stream: RotatingFileStream | null = null;
  private failing = false;
  private reopenTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** lines not written because the file was down (disk full, permissions) */
  dropped = 0;
  /** rotations done since start */
  rotations = 0;
  /** bytes of torn last lines cut when (re)opening */
  tornBytesCut = 0;

  constructor(
    readonly file: string,
    private readonly o: RotatingFileOptions,
  ) {
    if (!Number.isInteger(o.policy.keep) || o.policy.keep < 1) throw new Error(`RotatingFile ${file}: keep must be a whole number >= 1, not ${o.policy.keep}`);
    if (!Number.isInteger(o.policy.maxBytes) || o.policy.maxBytes < 1) throw new Error(`RotatingFile ${file}: maxBytes must be a whole number >= 1, not ${o.policy.maxBytes}`);
    this.open();
  }

  /** false while the file cannot be written (the last failure is being waited out) */
  get healthy(): boolean {
    return !this.failing;
  }

  /** Writes without waiting; a line that cannot be written is counted in `dropped`. pino calls this. */
  write(data: string): boolean {
    const s = this.stream;
    if (!s || this.failing || s.destroyed) {
      this.dropped++;
      return false;
    }
    s.write(data);
    return true;
  }

  /**
   * Writes and resolves once ALL of the data is in the file; rejects (and reopens later, cutting a
   * torn tail) when it could not be. For one writer that awaits each append (the shadow log): a
   * disk that fills mid-write takes part of the data without an error, so the file's growth is
   * checked against what was written, and a short write counts as a failure, not as written.
   */
  append(data: string): Promise<void> {
    const s = this.stream;
    if (!s || this.failing || s.destroyed) return Promise.reject(new Error(`${this.file} is not writable at the moment (last write failed); retrying shortly`));
    const abs = path.resolve(this.file);
    const bytes = Buffer.byteLength(data);
    const before = sizeOf(abs);
    const rotationsBefore = this.rotations;
    return new Promise((resolve, reject) => {
      s.write(data, (err) => {
        if (err) return reject(err);
        // After a rotation during this write, the file written is now the newest rotated one.
        const after = this.rotations === rotationsBefore ? sizeOf(abs) : sizeOf(path.resolve(rotatedFileName(this.file, 1)));
        if (after - before >= bytes) return resolve();
        const short = new Error(`${this.file}: only ${Math.max(0, after - before)} of ${bytes} bytes written (disk full?)`);
        this.fail(short, s);
        reject(short);
      });
    });
  }

  /** Ends the stream after what was written; no reopen afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    const s = this.stream;
    this.stream = null;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once("error", () => resolve());
      s.end(() => resolve());
    });
  }

  private open(): void {
    const abs = path.resolve(this.file);
    try {
      this.tornBytesCut += repairTornTail(abs);
    } catch {
      // unreadable: the stream's own open reports it
    }
    const dir = path.dirname(abs) + path.sep;
    const name = path.basename(abs);
    const { policy } = this.o;
    const s = createStream((index: number | Date | null) => (typeof index === "number" && index > 0 ? rotatedFileName(name, index) : name), {
      path: dir,
      size: `${policy.maxBytes}B`,
      ...(policy.interval ? { interval: policy.interval } : {}),
      rotate: policy.keep,
    });
    s.on("rotated", () => void this.rotations++);
    s.on("warning", (err: Error) => this.fail(err, s));
    s.on("error", (err: Error) => this.fail(err, s));
    s.on("open", () => {
      if (s !== this.stream || !this.failing) return;
      this.failing = false;
      this.o.onRecover?.();
    });
    this.stream = s;
  }

  private fail(err: Error, s: RotatingFileStream): void {
    if (s !== this.stream) return;
    if (!this.failing) this.o.onError?.(err);
    this.failing = true;
    if (!s.destroyed) s.destroy();
    if (this.closed || this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (!this.closed) this.open();
    }, this.o.reopenAfterMs ?? 5_000);
    this.reopenTimer.unref();
  }
}
