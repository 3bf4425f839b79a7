/**
 * tRPC setup, in three sections: 1. context, 2. initialisation, 3. procedures.
 * Routers import only the procedures from here; services get the db from the context.
 *
 * Role checks: pick the builder for the least role a procedure needs —
 *   publicProcedure    anyone (use sparingly: the proxy already demands a session for /api/trpc)
 *   protectedProcedure signed in (viewer or above); ctx.session.user is non-null
 *   operatorProcedure  operator or admin (toggles, kill switch, rollbacks)
 *   adminProcedure     admin (users)
 *   passwordChangeProcedure signed in, even while the generated first-admin password must still
 *                      be changed (every other procedure refuses such a session)
 * Domain code throws AppError (src/server/errors.ts); the `appErrors` middleware below is the one
 * place that turns its code into a tRPC error code.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { sessionFromRequest, type Session } from "../auth/session";
import { hasRole, type Role } from "../services/users/roles";
import { db as defaultDb, type Db } from "../db/client";
import { AppError, toTRPCCode } from "../errors";

/** The most calls one batched request may carry (the dashboard's client uses the same limit). */
export const MAX_BATCH_SIZE = 10;

// 1. CONTEXT --------------------------------------------------------------------------------
export interface ContextInner {
  db: Db;
  /** Null when not signed in (or the account was disabled or deleted since). */
  session: Session | null;
}

/** Request-free context: router tests call appRouter.createCaller(createContextInner(...)). */
export function createContextInner(opts: Partial<ContextInner> = {}): ContextInner {
  return { db: opts.db ?? defaultDb(), session: opts.session ?? null };
}

/** `method`: tRPC queries arrive as GET and may reuse a session resolved in the last second; mutations (POST) never do. */
export async function createContext(opts: { headers: Headers; method?: string }): Promise<ContextInner> {
  const db = defaultDb();
  return createContextInner({ db, session: await sessionFromRequest(db, { headers: opts.headers, method: opts.method }) });
}

export type Context = ContextInner;

// 2. INITIALISATION -------------------------------------------------------------------------
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const app = error.cause instanceof AppError ? error.cause : null;
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? error.cause.flatten() : null,
        appCode: app?.code ?? null,
        retryAfterS: app?.retryAfterS ?? null,
      },
    };
  },
});

/** AppError → TRPCError with the mapped code and the domain message; the original stays as cause. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: toTRPCCode(cause.code), message: cause.message, cause });
  }
  return result;
});

function requireRole(required: Role | null, opts: { whileMustChangePassword?: boolean } = {}) {
  return t.middleware(({ ctx, next }) => {
    const user = ctx.session?.user;
    if (!user) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in required: open /signin and sign in first." });
    }
    if (user.mustChangePassword && !opts.whileMustChangePassword) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: "Your password was generated and must be changed before anything else: open /account and set your own.",
      });
    }
    if (required && !hasRole(user.role, required)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${required} role; you are signed in as ${user.email} (${user.role}). Ask an admin.`,
      });
    }
    // Narrow: downstream ctx.session.user is non-null.
    return next({ ctx: { ...ctx, session: { ...ctx.session, user } } });
  });
}

// 3. PROCEDURES -----------------------------------------------------------------------------
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(appErrors);
export const protectedProcedure = publicProcedure.use(requireRole(null));
export const operatorProcedure = publicProcedure.use(requireRole("operator"));
export const adminProcedure = publicProcedure.use(requireRole("admin"));
export const passwordChangeProcedure = publicProcedure.use(requireRole(null, { whileMustChangePassword: true }));
