// The operator's per-position actions (issue 16). The web process never talks to the exchange:
// a request is one row in position_action plus its audit row, written in one transaction; the
// worker's leader picks it up and carries it out through the gateway (worker/position-actions/),
// recording its steps on the row, which the position page shows.
import { z } from "zod";
import { ACTION_STATUSES, ActionStepSchema, parseSteps, POSITION_ACTION_KINDS, type PositionActionRequest } from "../../../core/positions/position-action";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";

export const PositionActionSchema = z.object({
  id: z.number(),
  createdAt: z.date(),
  kind: z.enum(POSITION_ACTION_KINDS),
  symbol: z.string(),
  positionSide: z.string(),
  requestedBy: z.string(),
  reason: z.string(),
  status: z.enum(ACTION_STATUSES),
  steps: z.array(ActionStepSchema),
  error: z.string().nullable(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type PositionAction = z.infer<typeof PositionActionSchema>;

type Row = Awaited<ReturnType<Db["positionAction"]["findFirstOrThrow"]>>;
function toAction(r: Row): PositionAction {
  return {
    id: Number(r.id), createdAt: r.createdAt, kind: r.kind as PositionAction["kind"], symbol: r.symbol, positionSide: r.positionSide,
    requestedBy: r.requestedBy, reason: r.reason, status: r.status as PositionAction["status"], steps: parseSteps(r.steps), error: r.error,
    startedAt: r.startedAt, finishedAt: r.finishedAt,
  };
}

/**
 * Records an operator's request (validated by PositionActionInput) with its audit row, in one
 * transaction. Refused, in words, when the worker has not seen the position open or when an
 * action for it is already under way.
 */
export async function requestPositionAction(db: Db, req: PositionActionRequest, actor: string): Promise<PositionAction> {
  return db.$transaction(async (tx) => {
    const seen = await tx.positionSafety.findUnique({ where: { symbol_positionSide: { symbol: req.symbol, positionSide: req.positionSide } } });
    if (!seen || seen.size === 0) {
      throw new AppError("PRECONDITION_FAILED", `No open ${req.symbol} ${req.positionSide} position as the worker last saw it. Check the symbol and side on the status page; a closed position needs no action.`);
    }
    if (req.kind === "hand_back") {
      const already = await tx.positionHandback.findUnique({ where: { symbol_positionSide: { symbol: req.symbol, positionSide: req.positionSide } } });
      if (already) throw new AppError("CONFLICT", `${req.symbol} ${req.positionSide} was already handed back to legacy (action #${already.actionId}); the legacy modules protect it.`);
    }
    const open = await tx.positionAction.findFirst({ where: { symbol: req.symbol, positionSide: req.positionSide, status: { in: ["requested", "running"] } } });
    if (open) throw new AppError("CONFLICT", `Action #${open.id} (${open.kind}) for ${req.symbol} ${req.positionSide} is still ${open.status}; wait for its outcome on the position page.`);
    const row = await tx.positionAction.create({
      data: { kind: req.kind, symbol: req.symbol, positionSide: req.positionSide, requestedBy: actor, reason: req.reason },
    });
    await tx.positionActionAudit.create({
      data: { actionId: row.id, actor, kind: req.kind, symbol: req.symbol, positionSide: req.positionSide, reason: req.reason, event: "requested" },
    });
    return toAction(row);
  }).catch((err: unknown) => {
    // Two requests at the same moment: the unique index on unfinished actions refuses the second.
    if ((err as { code?: string }).code === "P2002") throw new AppError("CONFLICT", `An action for ${req.symbol} ${req.positionSide} is already under way; wait for its outcome on the position page.`);
    throw err;
  });
}

export const ActionsInput = z.object({
  symbol: z.string().trim().toUpperCase().max(40).regex(/^[A-Z0-9]+$/).optional(),
  /** with symbol: one side only (hedge mode holds a LONG and a SHORT per symbol, each its own position) */
  positionSide: z.enum(["long", "short"]).optional(),
  limit: z.number().int().min(1).max(100).default(20),
}).strict();

export async function listPositionActions(db: Db, input: z.input<typeof ActionsInput>): Promise<PositionAction[]> {
  const where = { ...(input.symbol ? { symbol: input.symbol } : {}), ...(input.positionSide ? { positionSide: input.positionSide } : {}) };
  const rows = await db.positionAction.findMany({ where, orderBy: { id: "desc" }, take: input.limit ?? 20 });
  return rows.map(toAction);
}
