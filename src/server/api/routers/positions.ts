import { z } from "zod";
import { listPositions, PositionSchema } from "../../services/positions/list-positions";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const positionsRouter = createTRPCRouter({
  list: protectedProcedure.output(z.array(PositionSchema)).query(({ ctx }) => listPositions(ctx.db)),
});
