import { env } from "../../../env.js";
import { ExitLogInput, ExitLogSchema, readExitLog } from "../../services/logs/read-exit-log";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const logsRouter = createTRPCRouter({
  /** the [EXIT_*] lines at the end of the worker's current log file (LOG_FILE), filtered */
  exitLines: protectedProcedure.input(ExitLogInput).output(ExitLogSchema).query(({ input }) => readExitLog(env().LOG_FILE, input)),
});
