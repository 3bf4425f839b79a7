// The operator's per-position actions (issue 16), as data: what can be asked, what a request must
// carry, and the steps the worker reports. Pure: the web records the request, the worker's leader
// carries it out through the gateway.
//   hand_back  Exit Brain stops managing the position while LIVE; the legacy modules protect it.
//              The worker places legacy's stop, confirms it rests, and only then cancels Exit
//              Brain's orders, so the position is never without a resting stop.
//   close_now  A reduce-only market close of the whole position, then its leftover exit orders
//              are cancelled. Needs the symbol typed again.
import { z } from "zod";
import { reasonString } from "../toggles/reason";
import { PositionSideSchema, SymbolSchema } from "./position-key";

export const POSITION_ACTION_KINDS = ["hand_back", "close_now"] as const;
export type PositionActionKind = (typeof POSITION_ACTION_KINDS)[number];
export const ACTION_STATUSES = ["requested", "running", "done", "failed"] as const;

export const PositionActionInput = z
  .object({
    kind: z.enum(POSITION_ACTION_KINDS),
    symbol: SymbolSchema,
    positionSide: PositionSideSchema,
    reason: reasonString().min(3, "say why in a few words (at least 3 characters): the audit trail keeps it"),
    /** close_now: the symbol typed again by the operator */
    confirmSymbol: z.string().trim().toUpperCase().max(40).optional(),
  })
  .strict()
  .refine((i) => i.kind !== "close_now" || i.confirmSymbol === i.symbol, {
    message: "To close the position, type its symbol exactly (e.g. BTCUSDT) in the confirmation field.",
    path: ["confirmSymbol"],
  });
export type PositionActionRequest = z.infer<typeof PositionActionInput>;

/** One step of an action as the worker reports it. */
export const ActionStepSchema = z.object({
  at: z.string(),
  step: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export type ActionStep = z.infer<typeof ActionStepSchema>;

export function parseSteps(json: unknown): ActionStep[] {
  const r = z.array(ActionStepSchema).safeParse(json);
  return r.success ? r.data : [];
}
