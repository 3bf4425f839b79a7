// The watchdog's thresholds, with their documented defaults (docs/watchdog.md). The worker maps
// the WATCHDOG_* environment variables (src/env.js) onto this schema; the same defaults live in
// both places and a unit test keeps them equal.
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL (e.g. a Slack incoming webhook)" });

export const watchdogConfigSchema = z.object({
  /** master switch; off = the loop runs but never acts */
  enabled: z.boolean().default(true),
  /** executor heartbeat older than this (seconds) fires heartbeat_stale */
  heartbeatStaleS: z.number().positive().default(10),
  /** share of exchange attempts that failed or were rejected, 0..1, above which error_rate fires */
  errorRateThreshold: z.number().min(0).max(1).default(0.5),
  /** look-back window of the error rate, seconds */
  errorWindowS: z.number().positive().default(60),
  /** fewer attempts than this in the window never fire (one failure out of one is not a rate) */
  errorMinSample: z.number().int().min(1).default(10),
  /** a position without an exchange-side stop for longer than this (seconds) fires unprotected_position */
  unprotectedMaxS: z.number().positive().default(30),
  /** a LONG and a SHORT on one symbol fires dual_position */
  dualPositionEnabled: z.boolean().default(true),
  /** realised loss for the UTC day, in quoteAsset, above which daily_loss fires; null = rule off */
  dailyLossLimit: z.number().positive().nullable().default(null),
  quoteAsset: z.string().min(1).default("USDT"),
  /** how often the watchdog checks, ms */
  checkIntervalMs: z.number().int().min(100).default(1000),
  /** Slack-compatible webhook called on every automatic rollback; null = none */
  webhookUrl: httpUrl.nullable().default(null),
  webhookTimeoutMs: z.number().int().min(100).default(5000),
});

export type WatchdogConfig = z.infer<typeof watchdogConfigSchema>;

export const DEFAULT_WATCHDOG_CONFIG: WatchdogConfig = watchdogConfigSchema.parse({});
