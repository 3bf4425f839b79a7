// Toggle changes from the dashboard: every mutation is operator-only, audited with the signed-in
// user's email and source "dashboard". Rollbacks never need approval; LIVE needs the typed
// phrase, the readiness gate and (REQUIRE_LIVE_APPROVAL) a second operator.
import { z } from "zod";
import { env } from "../../../env.js";
import { ChangeOutcomeSchema } from "../../services/toggles/change-result.types";
import { getToggles } from "../../services/toggles/get-toggles";
import { KillSwitchInput, RollbackInput, SetTogglesInput, TogglesViewSchema } from "../../services/toggles/get-toggles.types";
import { approveLive, cancelLiveRequest, listLiveRequests, requestLive } from "../../services/toggles/live-requests";
import { LiveRequestIdInput, LiveRequestSchema, RequestLiveInput } from "../../services/toggles/live-requests.types";
import { commitRollback } from "../../services/toggles/commit-rollback";
import { workersFollowing } from "../../services/toggles/workers-following";
import { setToggles } from "../../services/toggles/set-toggles";
import { readCeilings } from "../../toggle-ceilings";
import { createTRPCRouter, operatorProcedure, protectedProcedure } from "../trpc";

const SOURCE = "dashboard" as const;

/** This deployment's rules, read per call (the environment is validated once per process). */
function rules(actor: string) {
  const e = env();
  return {
    actor,
    source: SOURCE,
    ceilings: readCeilings().ceilings,
    requireApproval: e.REQUIRE_LIVE_APPROVAL,
    requireReadiness: e.REQUIRE_READINESS,
  };
}

/** A dashboard request should answer before a browser or proxy gives up on it. */
const ROLLBACK_BUDGET_MS = 10_000;
const RollbackOutcomeSchema = ChangeOutcomeSchema.extend({ attempts: z.number().int(), commitMs: z.number() });

const withNoWarnings = <T extends object>(r: T) => ({ ...r, readinessWarnings: [] as string[] });

export const togglesRouter = createTRPCRouter({
  get: protectedProcedure.output(TogglesViewSchema).query(({ ctx }) => getToggles(ctx.db)),

  set: operatorProcedure
    .input(SetTogglesInput)
    .output(ChangeOutcomeSchema)
    .mutation(({ ctx, input }) => setToggles(ctx.db, input, rules(ctx.session.user.email))),

  // Rollbacks: bounded tries retried until committed (commit-rollback.ts); if the database cannot
  // be reached in time, an UNAVAILABLE error naming the runbook's fallback, never driver text.
  killSwitch: operatorProcedure
    .input(KillSwitchInput)
    .output(RollbackOutcomeSchema)
    .mutation(async ({ ctx, input }) => withNoWarnings(await commitRollback(ctx.db, "kill-switch", { ...rules(ctx.session.user.email), reason: input.reason }, { budgetMs: ROLLBACK_BUDGET_MS }))),

  rollback: operatorProcedure
    .input(RollbackInput)
    .output(RollbackOutcomeSchema)
    .mutation(async ({ ctx, input }) => withNoWarnings(await commitRollback(ctx.db, input.target, { ...rules(ctx.session.user.email), reason: input.reason }, { budgetMs: ROLLBACK_BUDGET_MS }))),

  requestLive: operatorProcedure
    .input(RequestLiveInput)
    .output(LiveRequestSchema.extend({ readinessWarnings: z.array(z.string()) }))
    .mutation(({ ctx, input }) => requestLive(ctx.db, input, rules(ctx.session.user.email))),

  approveLive: operatorProcedure
    .input(LiveRequestIdInput)
    .output(ChangeOutcomeSchema)
    .mutation(({ ctx, input }) => approveLive(ctx.db, input.id, rules(ctx.session.user.email))),

  cancelLive: operatorProcedure
    .input(LiveRequestIdInput)
    .output(LiveRequestSchema)
    .mutation(({ ctx, input }) => cancelLiveRequest(ctx.db, input.id, { actor: ctx.session.user.email })),

  liveRequests: protectedProcedure.output(z.array(LiveRequestSchema)).query(({ ctx }) => listLiveRequests(ctx.db)),

  /** After a change: which live workers (heartbeat in the last 10 s) already act on `version`. */
  workersFollowing: protectedProcedure
    .input(z.object({ version: z.number().int().min(1) }))
    .output(z.array(z.object({ workerId: z.string(), version: z.number().nullable(), state: z.string().nullable(), following: z.boolean() })))
    .query(({ ctx, input }) => workersFollowing(ctx.db, input.version)),
});
