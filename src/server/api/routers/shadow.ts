// The runbook's shadow-log analysis, aggregated in SQL; every query takes the same filter.
import { z } from "zod";
import { DecisionDistributionSchema, getDecisionDistribution } from "../../services/shadow/get-decision-distribution";
import { DecisionsOverTimeSchema, getDecisionsOverTime } from "../../services/shadow/get-decisions-over-time";
import { getShadowComparison, ShadowComparisonSchema } from "../../services/shadow/get-shadow-comparison";
import { EmergencyExitSchema, listEmergencyExits } from "../../services/shadow/list-emergency-exits";
import { listShadowSymbols } from "../../services/shadow/list-shadow-symbols";
import { ShadowFilterInput } from "../../services/shadow/shadow-filter";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const shadowRouter = createTRPCRouter({
  distribution: protectedProcedure.input(ShadowFilterInput).output(DecisionDistributionSchema).query(({ ctx, input }) => getDecisionDistribution(ctx.db, input)),
  emergencyExits: protectedProcedure.input(ShadowFilterInput).output(z.array(EmergencyExitSchema)).query(({ ctx, input }) => listEmergencyExits(ctx.db, input)),
  overTime: protectedProcedure.input(ShadowFilterInput).output(DecisionsOverTimeSchema).query(({ ctx, input }) => getDecisionsOverTime(ctx.db, input)),
  comparison: protectedProcedure.input(ShadowFilterInput).output(ShadowComparisonSchema).query(({ ctx, input }) => getShadowComparison(ctx.db, input)),
  symbols: protectedProcedure.output(z.array(z.string())).query(({ ctx }) => listShadowSymbols(ctx.db)),
});
