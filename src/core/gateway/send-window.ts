// How long one send may take, and whether the leader term allows it at all (pure).
//
// No lock is held while an order is in flight, so the fence is a time bound instead: a send
// checked under leader term N must be over before N's lease can run out, because only then can
// another worker start term N + 1 (worker/ha/lease-sql.ts takes a lease only once it expired).
// The send's deadline is therefore the shorter of the gateway's own deadline and the lease time
// left at the check, minus a margin; a check that leaves too little time does not send.
export interface LeaderTerm {
  /** the committed epoch */
  epoch: number;
  holderId: string;
  /** ms until the committed lease ends (database clock, at the check); <= 0 = expired */
  leaseLeftMs: number;
}

export interface SendWindowInput {
  /** undefined = single worker (no fencing); null = HA on but the order has no epoch */
  orderEpoch: number | null | undefined;
  /** the committed term read by the same check; null when none was ever committed */
  term: LeaderTerm | null;
  /** the gateway's deadline for one send, ms (shorter than the lease) */
  maxSendMs: number;
  /** kept between the send's deadline and the lease's end (clock-rate drift, scheduling) */
  leaseMarginMs: number;
  /** below this a send is not worth starting: it would only time out */
  minSendMs: number;
}

export type SendWindow = { ok: true; sendMs: number } | { ok: false; reason: string };

export function sendWindow(i: SendWindowInput): SendWindow {
  if (i.orderEpoch === undefined) return { ok: true, sendMs: i.maxSendMs };
  if (i.orderEpoch === null) return { ok: false, reason: "fenced: this worker is not the leader (no epoch): only the leader may send orders" };
  if (!i.term) return { ok: false, reason: `fenced: order epoch ${i.orderEpoch} but no leader term has ever been committed` };
  if (i.term.epoch !== i.orderEpoch) {
    return { ok: false, reason: `fenced: stale leader epoch ${i.orderEpoch} (committed epoch ${i.term.epoch}, held by ${i.term.holderId}): a former leader may not send orders` };
  }
  if (i.term.leaseLeftMs <= 0) {
    return { ok: false, reason: `fenced: the lease of epoch ${i.orderEpoch} has expired (not renewed in time): a leader that lost its lease may not send orders` };
  }
  const sendMs = Math.min(i.maxSendMs, Math.floor(i.term.leaseLeftMs - i.leaseMarginMs));
  if (sendMs < i.minSendMs) {
    return { ok: false, reason: `fenced: the lease of epoch ${i.orderEpoch} ends in ${Math.round(i.term.leaseLeftMs)} ms, too soon for a send (needs ${i.minSendMs + i.leaseMarginMs} ms)` };
  }
  return { ok: true, sendMs };
}
