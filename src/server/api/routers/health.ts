import { z } from "zod";
import { memoByObject } from "../../cache/memo-by-object";
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

// The status cache returns one report object until it recomputes: validate each object once.
const validatedStatus = memoByObject((report: object) => StatusReportSchema.parse(report));

export const healthRouter = createTRPCRouter({
  workerStatus: publicProcedure.output(WorkerStatusOut).query(({ ctx }) => getWorkerStatus(ctx.db)),
  exitBrainStatus: protectedProcedure
    .output((v: unknown) => (typeof v === "object" && v !== null ? validatedStatus(v) : StatusReportSchema.parse(v)))
    .query(({ ctx }) => getExitBrainStatus(ctx.db)),
});
