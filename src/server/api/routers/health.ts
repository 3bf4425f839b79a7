import { z } from "zod";
import { getWorkerStatus } from "../../services/get-worker-status";
import { getExitBrainStatus } from "../../services/status/get-exit-brain-status";
import { StatusReportSchema } from "../../services/status/get-exit-brain-status.types";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

const WorkerStatusOut = z.object({
  up: z.boolean(),
  workerId: z.string().nullable(),
  lastBeatAt: z.date().nullable(),
  secondsSinceBeat: z.number().nullable(),
});

export const healthRouter = createTRPCRouter({
  workerStatus: publicProcedure.output(WorkerStatusOut).query(({ ctx }) => getWorkerStatus(ctx.db)),
  exitBrainStatus: protectedProcedure.output(StatusReportSchema).query(({ ctx }) => getExitBrainStatus(ctx.db)),
});
