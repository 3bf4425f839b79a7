// Faults in what happens after a conditional order's trigger fires (admin API
// /admin/trigger-faults), to produce every state of Binance's algo lifecycle on demand:
//   hold          stays TRIGGERING until released (POST /admin/trigger-faults/release) — the stuck
//                 stop reported on Binance's demo venue;
//   partial-fill  its market order fills `fillRatio` of the quantity (rounded down to the step; 0 =
//                 nothing) and the rest expires: FINISHED with that executed quantity;
//   reject        REJECTED by the matching engine (`reason`, default a margin check);
//   expire        EXPIRED by the system (`reason`).
// Each rule applies to one symbol or all, optionally N times only; the first matching rule wins.
import { z } from "zod";

export const triggerFaultSchema = z
  .object({
    kind: z.enum(["hold", "partial-fill", "reject", "expire"]),
    symbol: z.string().regex(/^[A-Z0-9]{2,30}$/, { error: "must be an upper-case symbol like BTCUSDT" }).optional(),
    /** fire at most this many times, then the rule is spent */
    count: z.number().int().positive().optional(),
    /** partial-fill: share of the quantity that fills, 0..1 (exclusive of 1) */
    fillRatio: z.number().min(0).lt(1).default(0.5),
    /** reject / expire: the reason the algo order carries (rm / rejectReason) */
    reason: z.string().min(1).max(200).optional(),
  })
  .strict();

export type TriggerFaultInput = z.input<typeof triggerFaultSchema>;
export type TriggerFault = z.output<typeof triggerFaultSchema> & { id: number; fired: number };

export class TriggerFaults {
  private rules: TriggerFault[] = [];
  private nextId = 1;

  add(input: TriggerFaultInput): TriggerFault {
    const rule = { ...triggerFaultSchema.parse(input), id: this.nextId++, fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  list(): TriggerFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /**
   * The rule that applies to a trigger of `symbol` now (counted as fired), or null. `canHold`:
   * false when a held trigger is being released, so a hold rule does not catch it again.
   */
  take(symbol: string, canHold: boolean): TriggerFault | null {
    for (const rule of this.rules) {
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (rule.symbol !== undefined && rule.symbol !== symbol) continue;
      if (rule.kind === "hold" && !canHold) continue;
      rule.fired += 1;
      return rule;
    }
    return null;
  }
}
