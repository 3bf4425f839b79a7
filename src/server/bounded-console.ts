// The console half of the logger, which must never block the event loop (issue 19: in CI the
// reader of the worker's stdout stopped reading, the pipe filled, and pino-pretty's synchronous
// write froze the worker for 44 s: lease lost, heartbeat stale, "worker: DOWN").
//
// Why process.stdout and not a sonic-boom destination: a pipe or socket on stdout is written by
// libuv without blocking (it sets O_NONBLOCK on the fd; what the kernel does not take waits in the
// stream's queue), and at exit Node drops what is still queued instead of waiting for the reader.
// sonic-boom with `sync: false, maxLength` drops and counts too, but pino registers a synchronous
// flush at exit that spins forever while the reader is stalled (measured: the process never
// exited), and on a blocking fd its async writes hold a libuv thread-pool thread until the reader
// comes back. So the queue is Node's; this class only bounds it: a line that would take the
// queue past `maxBufferedBytes` is dropped and counted (the log file keeps every line), and when
// the queue has drained, one line says how many were dropped and since when.
//
// Not covered: a TTY on stdout is written synchronously by Node (a terminal paused with Ctrl-S
// still blocks); a file on stdout is written synchronously too (it does not stall like a pipe).
import type { Writable } from "node:stream";

/** Default bound: a few thousand console lines (about 150 bytes each). */
export const DEFAULT_CONSOLE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface BoundedConsoleOptions {
  /** where the lines go; process.stdout unless a test passes its own stream */
  out?: Writable;
  /** queued bytes beyond which new lines are dropped */
  maxBufferedBytes?: number;
  /** turns one pino JSON line into the console's text (pino-pretty's formatter), newline included */
  format: (jsonLine: string) => string;
  now?: () => number;
}

export interface BoundedConsoleStats {
  /** lines dropped since the last report (0 once reported) */
  droppedNow: number;
  /** lines dropped since the process started */
  droppedTotal: number;
  /** bytes waiting for the reader */
  bufferedBytes: number;
  /** why the console stopped taking lines for good (EPIPE: the reader is gone), or null */
  closedBy: string | null;
}

/** A pino multistream destination (it only needs `write`) in front of a non-blocking console. */
export class BoundedConsole {
  private readonly out: Writable;
  private readonly maxBufferedBytes: number;
  private readonly now: () => number;
  private droppedNow = 0;
  private droppedTotal = 0;
  private droppedSince: number | null = null;
  private closedBy: string | null = null;

  constructor(private readonly opts: BoundedConsoleOptions) {
    this.out = opts.out ?? process.stdout;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? DEFAULT_CONSOLE_BUFFER_BYTES;
    this.now = opts.now ?? Date.now;
    // A line is dropped only while the queue is far above the stream's high-water mark, so the
    // write that took it there returned false and Node emits 'drain' once the reader has caught up.
    this.out.on("drain", () => this.reportDrops());
    // EPIPE (the reader closed its end) or any other write error: stop writing to the console;
    // without a listener the error would crash the process. The file keeps logging.
    this.out.on("error", (err: NodeJS.ErrnoException) => {
      this.closedBy ??= err.code ?? err.message;
    });
  }

  write(line: string): boolean {
    if (this.closedBy !== null) return true;
    const text = this.opts.format(line);
    if (this.out.writableLength + Buffer.byteLength(text) > this.maxBufferedBytes) {
      if (this.droppedNow === 0) this.droppedSince = this.now();
      this.droppedNow += 1;
      this.droppedTotal += 1;
      return true;
    }
    this.out.write(text);
    // pino ignores the answer; true keeps any other caller from waiting on a console it should not wait for
    return true;
  }

  stats(): BoundedConsoleStats {
    return { droppedNow: this.droppedNow, droppedTotal: this.droppedTotal, bufferedBytes: this.out.writableLength, closedBy: this.closedBy };
  }

  private reportDrops(): void {
    if (this.droppedNow === 0 || this.closedBy !== null) return;
    const since = new Date(this.droppedSince ?? this.now()).toISOString();
    const msg = `[LOG] dropped ${this.droppedNow} console lines since ${since}: the console's reader was not reading (LOG_FILE has every line)`;
    this.droppedNow = 0;
    this.droppedSince = null;
    this.out.write(this.opts.format(JSON.stringify({ level: 40, time: this.now(), msg })));
  }
}
