import { getReadiness } from "../../services/readiness/get-readiness";
import { ReadinessSchema } from "../../services/readiness/get-readiness.types";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const readinessRouter = createTRPCRouter({
  get: protectedProcedure.output(ReadinessSchema).query(({ ctx }) => getReadiness(ctx.db)),
});
