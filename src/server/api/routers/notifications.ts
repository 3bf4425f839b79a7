// The notification sink, for admins: settings (the URL only ever masked on the way out), a test
// notification (queued; the worker delivers it like any other), and the deliveries with their
// status and attempts, so nothing is lost without anyone seeing it.
import { z } from "zod";
import { env } from "../../../env.js";
import { DeliverySchema, enqueueTest, listDeliveries } from "../../services/notifications/outbox";
import { httpHostsFrom, publicSinkSettings, PublicSinkSettingsSchema, SetSinkSettingsInput, setSinkSettings } from "../../services/notifications/settings";
import { adminProcedure, createTRPCRouter } from "../trpc";

const sinkEnv = () => {
  const e = env();
  return { envWebhookUrl: e.WATCHDOG_WEBHOOK_URL ?? null, httpHosts: httpHostsFrom(e.NOTIFY_HTTP_HOSTS) };
};

export const notificationsRouter = createTRPCRouter({
  settings: adminProcedure.output(PublicSinkSettingsSchema).query(({ ctx }) => publicSinkSettings(ctx.db, sinkEnv())),

  setSettings: adminProcedure
    .input(SetSinkSettingsInput)
    .output(PublicSinkSettingsSchema)
    .mutation(async ({ ctx, input }) => {
      await setSinkSettings(ctx.db, input, { actor: ctx.session.user.email, httpHosts: sinkEnv().httpHosts });
      return publicSinkSettings(ctx.db, sinkEnv());
    }),

  sendTest: adminProcedure
    .input(z.object({}).strict().optional())
    .output(z.object({ id: z.number() }))
    .mutation(async ({ ctx }) => ({ id: await enqueueTest(ctx.db, ctx.session.user.email) })),

  deliveries: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .output(z.array(DeliverySchema))
    .query(({ ctx, input }) => listDeliveries(ctx.db, input?.limit ?? 50)),
});
