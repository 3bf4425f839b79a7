// The account's position mode: detected once when the worker connects (GET
// /fapi/v1/positionSide/dual), then watched. Every order is shaped for the mode detected at connect
// (one-way: reduceOnly; hedge: positionSide LONG/SHORT), so an account switched while the worker
// runs would get orders the venue refuses (-4061) or, worse, reads positions wrongly. Binance only
// lets an account switch while it holds no position and no open order, so the switch itself never
// strands a stop; what matters is the next position: from the moment a different mode is seen,
// nothing is sent until the worker restarts (and detects the mode again), and an alert says so.
import type { PositionMode } from "../../src/core/gateway/exit-order-request";

/** Binance's positionSide on a position or an order: BOTH in one-way mode, LONG/SHORT in hedge mode. */
export function modeOfPositionSide(side: unknown): PositionMode | null {
  if (side === "BOTH") return "one-way";
  if (side === "LONG" || side === "SHORT") return "hedge";
  return null;
}

export function describeMode(m: PositionMode): string {
  return m === "hedge" ? "hedge mode (LONG and SHORT per symbol)" : "one-way mode";
}

export class PositionModeWatch {
  private changed: { to: PositionMode; via: string } | null = null;

  constructor(
    readonly connected: PositionMode,
    private readonly onChange: (message: string) => void = () => {},
  ) {}

  /** What the venue just showed (`via`: which request showed it). */
  observe(seen: PositionMode, via: string): void {
    if (seen === this.connected) {
      if (this.changed) this.onChange(`[EXCHANGE] position mode is ${describeMode(seen)} again, as when the worker connected (${via}); exit orders are sent again`);
      this.changed = null;
      return;
    }
    if (this.changed?.to === seen) return;
    this.changed = { to: seen, via };
    this.onChange(`[EXCHANGE] 🚨 ${this.refusal()}`);
  }

  /** Why no order may be sent now; null while the mode is the one the worker connected in. */
  refusal(): string | null {
    if (!this.changed) return null;
    return (
      `the account's position mode changed from ${describeMode(this.connected)} to ${describeMode(this.changed.to)} while the worker runs ` +
      `(seen by ${this.changed.via}); no exit order is sent until the worker restarts. Check every open position's stop on the exchange, ` +
      `then restart the worker: it detects the position mode when it connects. Or switch the account back (Binance: Futures → Preferences → Position Mode; ` +
      `only possible with no open position or order).`
    );
  }
}
