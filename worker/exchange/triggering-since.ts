// Remembers when this worker first saw each conditional order firing (algo state TRIGGERING or
// TRIGGERED) and stamps ExchangeOrder.triggeringSince with it, on the worker's own clock. The
// venue's triggerTime is not used: it is on the venue's clock (the simulator's is virtual and may
// run far ahead), and the rule only needs "firing for more than a few seconds"; the first sighting
// is at most one refresh late.
import type { ExchangeOrder } from "./exchange-port";

const MAX_TRACKED = 10_000;

export class TriggeringSince {
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Stamps firing orders. `complete`: the orders are every open order of the account, so a
   * tracked order not among them (or no longer firing) is forgotten.
   */
  stamp(orders: ExchangeOrder[], complete: boolean): ExchangeOrder[] {
    const now = this.now();
    const firing = new Set<string>();
    const out = orders.map((o) => {
      if (!o.conditional || (o.algoStatus !== "TRIGGERING" && o.algoStatus !== "TRIGGERED")) return o;
      const key = `${o.symbol}|${o.id}`;
      firing.add(key);
      let since = this.firstSeen.get(key);
      if (since === undefined) {
        since = now;
        if (this.firstSeen.size >= MAX_TRACKED) this.firstSeen.delete(this.firstSeen.keys().next().value!);
        this.firstSeen.set(key, since);
      }
      return { ...o, triggeringSince: since };
    });
    if (complete) for (const key of this.firstSeen.keys()) if (!firing.has(key)) this.firstSeen.delete(key);
    return out;
  }
}
