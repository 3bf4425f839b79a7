import { z } from "zod";
import { reasonString } from "../../../core/toggles/reason";

/** The words an operator types to go LIVE: deliberate, hard to type by accident. */
export const GO_LIVE_PHRASE = "GO LIVE";
/** How long a LIVE request waits for a second operator. */
export const LIVE_REQUEST_TTL_MIN = 15;

export const LiveRequestStatus = z.enum(["pending", "approved", "expired", "cancelled"]);

export const RequestLiveInput = z.object({
  confirmation: z.string().max(40),
  reason: reasonString().min(1, { error: "say why you are going LIVE" }),
});

export const LiveRequestIdInput = z.object({ id: z.number().int().positive() });

export const LiveRequestSchema = z.object({
  id: z.number(),
  requestedAt: z.date(),
  requestedBy: z.string(),
  reason: z.string(),
  expiresAt: z.date(),
  /** pending past its expiry reads as expired, even before anyone touched it */
  status: LiveRequestStatus,
  decidedAt: z.date().nullable(),
  decidedBy: z.string().nullable(),
});
export type LiveRequestSummary = z.infer<typeof LiveRequestSchema>;
