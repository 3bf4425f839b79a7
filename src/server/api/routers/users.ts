import { z } from "zod";
import { forgetCachedSessions } from "../../auth/session";
import { addUser } from "../../services/users/add-user";
import { AddUserInput } from "../../services/users/add-user.types";
import { getCurrentUser } from "../../services/users/get-current-user";
import { listUsers } from "../../services/users/list-users";
import { resetUserPassword } from "../../services/users/reset-user-password";
import { ResetUserPasswordInput } from "../../services/users/reset-user-password.types";
import { setUserRole } from "../../services/users/set-user-role";
import { SetUserRoleInput } from "../../services/users/set-user-role.types";
import { ListUserAuditInput, listUserAudit, UserAuditEntrySchema, type UserActor } from "../../services/users/user-audit";
import {
  changeOwnPassword,
  ChangeOwnPasswordInput,
  revokeUserSessions,
  RevokeSessionsInput,
  setUserDisabled,
  SetUserDisabledInput,
} from "../../services/users/user-account";
import { UserSummarySchema } from "../../services/users/user-summary";
import { adminProcedure, createTRPCRouter, passwordChangeProcedure, protectedProcedure, type Context } from "../trpc";

/** Every user-management change is audited under the signed-in user's email. */
const actor = (ctx: { session: { user: { email: string } } }): UserActor => ({ actor: ctx.session.user.email, source: "web" });

/** A change that ends sessions: reads served from this process's cache see it at once too. */
async function endsSessions<T>(ctx: Context, work: Promise<T>): Promise<T> {
  const result = await work;
  forgetCachedSessions(ctx.db);
  return result;
}

export const usersRouter = createTRPCRouter({
  me: passwordChangeProcedure.output(UserSummarySchema).query(({ ctx }) => getCurrentUser(ctx.db, ctx.session.user.id)),
  list: adminProcedure.output(z.array(UserSummarySchema)).query(({ ctx }) => listUsers(ctx.db)),
  audit: adminProcedure
    .input(ListUserAuditInput.optional())
    .output(z.array(UserAuditEntrySchema))
    .query(({ ctx, input }) => listUserAudit(ctx.db, input ?? {})),
  add: adminProcedure
    .input(AddUserInput)
    .output(UserSummarySchema)
    .mutation(({ ctx, input }) => addUser(ctx.db, input, actor(ctx))),
  setRole: adminProcedure
    .input(SetUserRoleInput)
    .output(UserSummarySchema)
    .mutation(({ ctx, input }) => endsSessions(ctx, setUserRole(ctx.db, input, actor(ctx)))),
  resetPassword: adminProcedure
    .input(ResetUserPasswordInput)
    .output(z.object({ user: UserSummarySchema, generatedPassword: z.string().nullable() }))
    .mutation(({ ctx, input }) => endsSessions(ctx, resetUserPassword(ctx.db, input, actor(ctx)))),
  setDisabled: adminProcedure
    .input(SetUserDisabledInput)
    .output(UserSummarySchema)
    .mutation(({ ctx, input }) => endsSessions(ctx, setUserDisabled(ctx.db, input, actor(ctx)))),
  revokeSessions: adminProcedure
    .input(RevokeSessionsInput)
    .output(UserSummarySchema)
    .mutation(({ ctx, input }) => endsSessions(ctx, revokeUserSessions(ctx.db, input, actor(ctx)))),
  /** "Sign out everywhere" for yourself (this session ends too). */
  revokeMySessions: protectedProcedure
    .input(z.object({}).strict().optional())
    .output(UserSummarySchema)
    .mutation(({ ctx }) => endsSessions(ctx, revokeUserSessions(ctx.db, { email: ctx.session.user.email }, actor(ctx)))),
  /** Allowed while the generated first-admin password must still be changed. */
  changePassword: passwordChangeProcedure
    .input(ChangeOwnPasswordInput)
    .output(UserSummarySchema)
    .mutation(({ ctx, input }) => endsSessions(ctx, changeOwnPassword(ctx.db, ctx.session.user.id, input, actor(ctx)))),
});
