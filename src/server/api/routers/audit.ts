import { z } from "zod";
import { AuditEntrySchema, AuditFilterInput, listAuditTrail } from "../../services/audit/list-audit-trail";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: protectedProcedure.input(AuditFilterInput).output(z.array(AuditEntrySchema)).query(({ ctx, input }) => listAuditTrail(ctx.db, input)),
});
