import { z } from "zod";
import { addUser } from "../../services/add-user";
import { AddUserInput } from "../../services/add-user.types";
import { getCurrentUser } from "../../services/get-current-user";
import { listUsers } from "../../services/list-users";
import { resetUserPassword } from "../../services/reset-user-password";
import { ResetUserPasswordInput } from "../../services/reset-user-password.types";
import { setUserRole } from "../../services/set-user-role";
import { SetUserRoleInput } from "../../services/set-user-role.types";
import { UserSummarySchema } from "../../services/user-summary";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc";

export const usersRouter = createTRPCRouter({
  me: protectedProcedure.output(UserSummarySchema).query(({ ctx }) => getCurrentUser(ctx.db, ctx.session.user.id)),
  list: adminProcedure.output(z.array(UserSummarySchema)).query(({ ctx }) => listUsers(ctx.db)),
  add: adminProcedure
    .input(AddUserInput)
    .output(UserSummarySchema)
    .mutation(({ ctx, input }) => addUser(ctx.db, input)),
  setRole: adminProcedure
    .input(SetUserRoleInput)
    .output(UserSummarySchema)
    .mutation(({ ctx, input }) => setUserRole(ctx.db, input)),
  resetPassword: adminProcedure
    .input(ResetUserPasswordInput)
    .output(z.object({ user: UserSummarySchema, generatedPassword: z.string().nullable() }))
    .mutation(({ ctx, input }) => resetUserPassword(ctx.db, input)),
});
