// The webhook sink's settings (one row, migration 0014), set by an admin on the dashboard. The URL
// is a secret: read in full only by the deliverer (worker); the web server sends browsers the
// masked form. Validated with zod: https to any host, plain http only to NOTIFY_HTTP_HOSTS.
import { z } from "zod";
import { maskWebhookUrl, webhookUrlProblem } from "../../../core/notifications/notification";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";

export interface SinkSettings {
  webhookUrl: string | null;
  enabled: boolean;
  unprotectedGraceS: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export const DEFAULT_UNPROTECTED_GRACE_S = 60;

export async function readSinkSettings(db: Db): Promise<SinkSettings> {
  const row = await db.notificationSettings.findUnique({ where: { id: 1 } });
  return row
    ? { webhookUrl: row.webhookUrl, enabled: row.enabled, unprotectedGraceS: row.unprotectedGraceS, updatedAt: row.updatedAt, updatedBy: row.updatedBy }
    : { webhookUrl: null, enabled: true, unprotectedGraceS: DEFAULT_UNPROTECTED_GRACE_S, updatedAt: null, updatedBy: null };
}

export const PublicSinkSettingsSchema = z.object({
  webhookUrlMasked: z.string().nullable(),
  /** the environment's WATCHDOG_WEBHOOK_URL is used while no URL is set here */
  fallbackFromEnvironment: z.boolean(),
  enabled: z.boolean(),
  unprotectedGraceS: z.number().int(),
  updatedAt: z.date().nullable(),
  updatedBy: z.string().nullable(),
  httpHosts: z.array(z.string()),
});
export type PublicSinkSettings = z.infer<typeof PublicSinkSettingsSchema>;

export async function publicSinkSettings(db: Db, opts: { envWebhookUrl: string | null; httpHosts: string[] }): Promise<PublicSinkSettings> {
  const s = await readSinkSettings(db);
  return {
    webhookUrlMasked: maskWebhookUrl(s.webhookUrl),
    fallbackFromEnvironment: !s.webhookUrl && Boolean(opts.envWebhookUrl),
    enabled: s.enabled,
    unprotectedGraceS: s.unprotectedGraceS,
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
    httpHosts: opts.httpHosts,
  };
}

export const SetSinkSettingsInput = z.object({
  /** a new URL; null removes it; absent keeps the stored one (the browser never has it) */
  webhookUrl: z.string().trim().max(2000, { error: "The URL is longer than 2000 characters." }).nullish(),
  enabled: z.boolean(),
  unprotectedGraceS: z.number().int({ error: "whole seconds" }).min(0, { error: "0 s or more" }).max(86_400, { error: "at most 86400 s (a day)" }),
});
export type SetSinkSettings = z.infer<typeof SetSinkSettingsInput>;

export async function setSinkSettings(db: Db, input: SetSinkSettings, ctx: { actor: string; httpHosts: string[] }): Promise<void> {
  if (input.webhookUrl) {
    const problem = webhookUrlProblem(input.webhookUrl, ctx.httpHosts);
    if (problem) throw new AppError("BAD_REQUEST", problem);
  }
  const url = input.webhookUrl === undefined ? undefined : input.webhookUrl || null;
  await db.notificationSettings.upsert({
    where: { id: 1 },
    create: { id: 1, webhookUrl: url ?? null, enabled: input.enabled, unprotectedGraceS: input.unprotectedGraceS, updatedBy: ctx.actor },
    update: { ...(url === undefined ? {} : { webhookUrl: url }), enabled: input.enabled, unprotectedGraceS: input.unprotectedGraceS, updatedBy: ctx.actor, updatedAt: new Date() },
  });
}

/** The sink a deliverer uses: the stored URL, else the environment's WATCHDOG_WEBHOOK_URL; null when turned off or none. */
export async function resolveSinkUrl(db: Db, envWebhookUrl: string | null): Promise<{ url: string | null; why: string | null }> {
  const s = await readSinkSettings(db);
  if (!s.enabled) return { url: null, why: "notifications are turned off (Settings → Notifications)" };
  const url = s.webhookUrl ?? envWebhookUrl;
  return url ? { url, why: null } : { url: null, why: "no webhook URL is set (Settings → Notifications, or WATCHDOG_WEBHOOK_URL)" };
}

/** Parses NOTIFY_HTTP_HOSTS ("127.0.0.1, hooks.internal") into host names. */
export function httpHostsFrom(value: string | undefined): string[] {
  return (value ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
}
