import { auditRouter } from "./routers/audit";
import { healthRouter } from "./routers/health";
import { logsRouter } from "./routers/logs";
import { notificationsRouter } from "./routers/notifications";
import { ordersRouter } from "./routers/orders";
import { positionsRouter } from "./routers/positions";
import { readinessRouter } from "./routers/readiness";
import { shadowRouter } from "./routers/shadow";
import { togglesRouter } from "./routers/toggles";
import { usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  health: healthRouter,
  users: usersRouter,
  toggles: togglesRouter,
  readiness: readinessRouter,
  shadow: shadowRouter,
  audit: auditRouter,
  orders: ordersRouter,
  positions: positionsRouter,
  logs: logsRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
