// What a committed toggle change NOTIFYs: the whole new row, not only its version, so a listener
// (the worker's toggle watcher) can act on a kill switch the moment the notification arrives,
// one database round trip earlier than re-reading the row (it still re-reads to confirm).
// NOTIFY is delivered only on commit, so the payload is committed state. Validated on receipt:
// another process (an older build during a deploy, a hand-run NOTIFY) may send anything.
import { z } from "zod";
import type { StoredToggles } from "../../db/toggle-row";
import { ToggleSetSchema } from "./change-result.types";

const PayloadSchema = z.object({
  version: z.number().int().positive(),
  toggles: ToggleSetSchema,
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
});

export function toggleNotifyPayload(s: StoredToggles): string {
  return JSON.stringify({ version: s.version, toggles: s.toggles, updatedAt: s.updatedAt.toISOString(), updatedBy: s.updatedBy });
}

/** The stored toggles a notification carries, or null when it carries none (e.g. only a version). */
export function parseToggleNotifyPayload(payload: string | undefined): StoredToggles | null {
  if (!payload?.startsWith("{")) return null;
  try {
    const p = PayloadSchema.safeParse(JSON.parse(payload));
    return p.success ? { ...p.data, updatedAt: new Date(p.data.updatedAt) } : null;
  } catch {
    return null;
  }
}
