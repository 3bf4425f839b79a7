import { z } from "zod";
import { PositionActionInput } from "../../../core/positions/position-action";
import { getPositionDetail, PositionDetailInput, PositionDetailSchema } from "../../services/positions/get-position-detail";
import { listPositions, PositionSchema } from "../../services/positions/list-positions";
import { listPositionDecisions, PositionDecisionPageSchema, PositionDecisionsInput } from "../../services/positions/position-decisions";
import { ActionsInput, listPositionActions, PositionActionSchema, requestPositionAction } from "../../services/positions/position-actions";
import { createTRPCRouter, operatorProcedure, protectedProcedure } from "../trpc";

export const positionsRouter = createTRPCRouter({
  list: protectedProcedure.output(z.array(PositionSchema)).query(({ ctx }) => listPositions(ctx.db)),
  /** an operator's hand-back or close-now: recorded (audited) here, carried out by the worker */
  requestAction: operatorProcedure.input(PositionActionInput).output(PositionActionSchema).mutation(({ ctx, input }) => requestPositionAction(ctx.db, input, ctx.session.user.email)),
  /** one position's page: chart, levels over time, decisions, orders, P&L, actions */
  detail: protectedProcedure.input(PositionDetailInput).output(PositionDetailSchema).query(({ ctx, input }) => getPositionDetail(ctx.db, input)),
  /** one position's decisions, newest first, a page at a time (older pages by cursor) */
  decisions: protectedProcedure.input(PositionDecisionsInput).output(PositionDecisionPageSchema).query(({ ctx, input }) => listPositionDecisions(ctx.db, input)),
  actions: protectedProcedure.input(ActionsInput).output(z.array(PositionActionSchema)).query(({ ctx, input }) => listPositionActions(ctx.db, input)),
});
