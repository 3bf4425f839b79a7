// pino, to the console (human-readable) and to LOG_FILE (JSON Lines), so both
// `grep EXIT_BRAIN logs/exit_brain.log` and the terminal show the runbook's tagged lines.
// The console never blocks: while its reader is not reading, console lines are dropped and counted
// once a bounded buffer is full, and the file keeps everything (src/server/bounded-console.ts).
// The worker (the process that writes almost all of it, for months) ROTATES the file by size and
// age, keeping LOG_FILE as the current file's name (src/server/rotating-file.ts). Other processes
// that share the file (web, a standalone watchdog) only append, and reopen the name every minute
// so they follow the worker's rotation instead of writing on into a rotated-away file.
import { mkdirSync } from "node:fs";
import path from "node:path";
import pino, { type Logger } from "pino";
import { prettyFactory } from "pino-pretty";
import { BoundedConsole } from "./bounded-console";
import { RotatingFile, type RotationPolicy } from "./rotating-file";

export type { Logger };
export type { RotationPolicy };

export interface LoggerOptions {
  name: string;
  level?: string;
  file?: string | null;
  console?: boolean;
  /**
   * Bytes the console may hold while its reader is not reading; beyond, console lines are dropped
   * and counted (the file keeps them). Default 4 MiB (src/server/bounded-console.ts).
   */
  consoleBufferBytes?: number;
  /** rotate `file` (one process per file should): size, age and how many rotated files are kept */
  rotation?: RotationPolicy | null;
  /**
   * While this returns true, lines below info (debug, trace) are not written to the file: optional
   * data goes first when the disk runs low (worker/retention/disk-pressure.ts).
   */
  suppressOptional?: () => boolean;
  /** how often a non-rotating file is reopened to follow another process's rotation (default 60 s) */
  reopenEveryMs?: number;
}

/** pino's JSON lines start with {"level":N — below 30 (info) is optional. */
function isOptionalLine(line: string): boolean {
  const m = /^\{"level":(\d+)/.exec(line);
  return m !== null && Number(m[1]) < 30;
}

/** A pino stream in front of a rotating file, dropping optional lines while told to. */
class RotatingLogStream {
  constructor(
    private readonly file: RotatingFile,
    private readonly suppressOptional: (() => boolean) | undefined,
  ) {}

  write(line: string): boolean {
    if (this.suppressOptional?.() && isOptionalLine(line)) return true;
    return this.file.write(line);
  }
}

const rotatingFiles = new WeakMap<Logger, RotatingFile>();

/** The rotating file behind a logger made with `rotation` (for stats and a clean close). */
export function logFileOf(log: Logger): RotatingFile | null {
  return rotatingFiles.get(log) ?? null;
}

export function createLogger(opts: LoggerOptions): Logger {
  const streams: pino.StreamEntry[] = [];
  if (opts.console !== false) {
    // Never a synchronous write: a reader that stops reading must not stop the process (issue 19).
    const format = prettyFactory({ colorize: false, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,name", singleLine: true });
    streams.push({ level: "trace", stream: new BoundedConsole({ format, maxBufferedBytes: opts.consoleBufferBytes }) });
  }
  let rotating: RotatingFile | null = null;
  if (opts.file) {
    mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
    if (opts.rotation) {
      const file = opts.file;
      rotating = new RotatingFile(file, {
        policy: opts.rotation,
        // The file is down: say so on the console (the file cannot carry it).
        onError: (err) => process.stderr.write(`[LOG] cannot write ${file} (${err.message}); log lines go to the console only until it is writable again\n`),
        onRecover: () => process.stderr.write(`[LOG] ${file} writable again\n`),
      });
      streams.push({ level: "trace", stream: new RotatingLogStream(rotating, opts.suppressOptional) });
    } else {
      const dest = pino.destination({ dest: opts.file, sync: false, mkdir: true });
      dest.on("error", () => {}); // a full disk must not crash the process; lines are lost, the console keeps them
      const reopen = setInterval(() => {
        try {
          dest.reopen();
        } catch {
          // retried at the next interval
        }
      }, opts.reopenEveryMs ?? 60_000);
      reopen.unref();
      const suppress = opts.suppressOptional;
      streams.push({
        level: "trace",
        stream: suppress ? { write: (line: string) => (suppress() && isOptionalLine(line) ? true : dest.write(line)) } : dest,
      });
    }
  }
  const log = pino({ name: opts.name, level: opts.level ?? "info", base: { name: opts.name } }, pino.multistream(streams));
  if (rotating) rotatingFiles.set(log, rotating);
  return log;
}
