// pino, to the console (human-readable) and to LOG_FILE (JSON Lines), so both
// `grep EXIT_BRAIN logs/exit_brain.log` and the terminal show the runbook's tagged lines.
import { mkdirSync } from "node:fs";
import path from "node:path";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export interface LoggerOptions {
  name: string;
  level?: string;
  file?: string | null;
  console?: boolean;
}

export function createLogger(opts: LoggerOptions): Logger {
  const streams: pino.StreamEntry[] = [];
  if (opts.console !== false) {
    streams.push({
      level: "trace",
      stream: pretty({
        colorize: false,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname,name",
        singleLine: true,
        sync: true,
      }),
    });
  }
  if (opts.file) {
    mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
    streams.push({ level: "trace", stream: pino.destination({ dest: opts.file, sync: false, mkdir: true }) });
  }
  return pino(
    { name: opts.name, level: opts.level ?? "info", base: { name: opts.name } },
    pino.multistream(streams),
  );
}
