// An exit order the venue refused must be tried again later, or the position stays without a
// stop until the toggles change. Decision ids are deterministic so a retry of the caller never
// duplicates; a deliberate new attempt therefore needs a new id: the base id plus the number of
// earlier refusals, released on a doubling back-off so a venue that keeps refusing is not
// hammered. Pure: the caller passes the clock.

import { retryDelayMs, type RetryBackoff } from "../retry/backoff";

export const defaultRetryBackoff: RetryBackoff = { firstMs: 5_000, maxMs: 60_000 };

interface Refusals {
  count: number;
  lastAt: number;
  group: string;
}

/**
 * Only an explicit refusal proves the order is not on the exchange. A "failed" attempt (gave up
 * after timeouts) may still exist there if the final lookup failed too, so it is never re-sent
 * under a new id: a duplicate order is worse than a late one (the watchdog covers the gap in LIVE).
 */
const REFUSED = "rejected";


export class RetryAfterRejection {
  private refused = new Map<string, Refusals>();

  constructor(private readonly backoff: RetryBackoff = defaultRetryBackoff) {}

  /** The decision id to submit now: the base id, a fresh retry id after a refusal once its back-off ran out, or null while it runs. */
  retryIdFor(baseId: string, now: number): string | null {
    const r = this.refused.get(baseId);
    if (!r) return baseId;
    if (now - r.lastAt < retryDelayMs(r.count, this.backoff)) return null;
    return `${baseId}:retry${r.count}`;
  }

  /** Records the gateway's outcome for the attempt made under `baseId`. `group` ties it to a position. */
  record(baseId: string, group: string, outcome: string, now: number): void {
    if (outcome !== REFUSED) {
      this.refused.delete(baseId);
      return;
    }
    const prev = this.refused.get(baseId);
    this.refused.set(baseId, { count: (prev?.count ?? 0) + 1, lastAt: now, group });
  }

  forgetGroup(group: string): void {
    for (const [id, r] of this.refused) if (r.group === group) this.refused.delete(id);
  }

  /** Drops the memory of positions that are gone. */
  forgetGroupsExcept(groups: ReadonlySet<string>): void {
    for (const [id, r] of this.refused) if (!groups.has(r.group)) this.refused.delete(id);
  }

  clear(): void {
    this.refused.clear();
  }

  get size(): number {
    return this.refused.size;
  }
}
