// Gateway I/O: every exit order from every module comes through submit(). It decides with the
// pure rules on the state the order was decided under, persists the attempt, then re-checks the
// COMMITTED toggle state under a share lock immediately before sending (so a kill switch that
// committed first always wins), retries retryable failures with backoff, and after a timeout looks
// the order up by its deterministic client order id before trying again (never a duplicate).
import type pg from "pg";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { isLegacyModule } from "../../src/core/gateway/modules";
import { decideExitOrder, type GatewayDecision } from "../../src/core/gateway/gateway-rules";
import {
  gatewayFailedLine, gatewayPlacedLine, gatewaySubmittingLine, guardAllowedLine, guardBlockedLine, guardConflictLine, guardDeniedLine,
  guardLegacyAllowedLine,
} from "../../src/core/gateway/gateway-log-lines";
import type { OperationalState, ParsedCeilings } from "../../src/core/toggles";
import type { Logger } from "../../src/server/logger";
import { finishAttempt, insertAttempt, type Outcome } from "./attempt-store";
import { lockCommittedState } from "./committed-state";
import type { ExitVenue, VenueFailure } from "./exit-venue";

export interface DecidedUnder {
  state: OperationalState;
  toggleVersion: number | null;
  /** leader epoch the order was decided under (fencing); null when HA is not used */
  leaderEpoch?: number | null;
}

export interface GatewayResult {
  outcome: Outcome;
  clientOrderId: string;
  exchangeOrderId: string | null;
  decision: GatewayDecision;
  /** true when an earlier attempt with the same client order id already existed */
  duplicateSuppressed: boolean;
  error: string | null;
}

export interface GatewayOptions {
  pool: pg.Pool;
  venue: ExitVenue;
  ceilings: ParsedCeilings;
  log: Logger;
  /** current leader epoch; set together with `fencing: true` when several workers may run (HA) */
  currentEpoch?: () => number | null;
  /** HA on: every send is fenced against the committed leader term in the same transaction */
  fencing?: boolean;
  maxTries?: number;
  backoffMs?: number;
  /**
   * The share lock is held until the exchange answers, so a kill switch can never commit while an
   * executor order is in flight (it waits for that one send, then wins). This caps the wait for a
   * venue that neither answers nor times out; the port's own request timeout is far shorter.
   */
  sendLockMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class ExitOrderGateway {
  private readonly maxTries: number;
  private readonly backoffMs: number;
  private readonly sendLockMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: GatewayOptions) {
    this.maxTries = o.maxTries ?? 5;
    this.backoffMs = o.backoffMs ?? 200;
    this.sendLockMs = o.sendLockMs ?? 15_000;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async submit(req: ExitOrderRequest, under: DecidedUnder): Promise<GatewayResult> {
    const log = this.o.log;
    const clientOrderId = this.o.venue.clientOrderIdFor(req.decisionId);
    const epochs = { orderEpoch: under.leaderEpoch ?? null, currentEpoch: this.o.currentEpoch?.() ?? null };
    const first = decideExitOrder(req, { state: under.state, confirmed: true, ...epochs });
    const { row, created } = await insertAttempt(this.o.pool, {
      req, clientOrderId, decision: first, toggleVersion: under.toggleVersion, leaderEpoch: under.leaderEpoch ?? null,
      outcome: first.verdict === "deny" ? "blocked" : "pending",
    });
    const result = (outcome: Outcome, decision: GatewayDecision, exchangeOrderId: string | null, error: string | null, duplicateSuppressed = false): GatewayResult =>
      ({ outcome, clientOrderId, exchangeOrderId, decision, duplicateSuppressed, error });

    if (!created && (row.outcome === "placed" || row.outcome === "blocked" || row.outcome === "rejected")) {
      // The same decision was handled before (a retry of the caller): never send it twice.
      return result(row.outcome, first, row.exchangeOrderId, row.error, true);
    }
    if (!created && epochs.orderEpoch !== null) {
      // A new leader resending an earlier term's unfinished decision: the record must name the
      // term that sends it (fencing is checked against this epoch below).
      await this.o.pool.query(`UPDATE exit_order_attempt SET leader_epoch = $2, updated_at = now() WHERE id = $1`, [row.id, epochs.orderEpoch]);
    }
    if (first.verdict === "deny") {
      this.logDenied(req, first);
      return result("blocked", first, null, first.reason);
    }

    let tries = row.tries;
    let lastFailure: VenueFailure | null = null;
    let decision = first;
    for (let attempt = 1; attempt <= this.maxTries; attempt++) {
      const lock = await lockCommittedState(this.o.pool, this.o.ceilings, this.o.fencing ? epochs.orderEpoch : undefined);
      decision = decideExitOrder(req, { state: lock.committed.state, confirmed: lock.committed.confirmed, orderEpoch: epochs.orderEpoch, currentEpoch: this.o.currentEpoch?.() ?? null });
      if (!lock.fence.ok && decision.verdict !== "deny") decision = { ...decision, verdict: "deny", blockedLegacy: false, reason: lock.fence.reason };
      if (decision.verdict === "deny") {
        await lock.release();
        this.logDenied(req, decision);
        const why = `re-checked before submit on committed state ${decision.state} (version ${lock.committed.version ?? "unconfirmed"}): ${decision.reason}`;
        await finishAttempt(this.o.pool, row.id, {
          outcome: "blocked", tries, state: decision.state, toggleVersion: lock.committed.version, denyReason: why,
          verdict: decision.verdict, ownershipConflict: decision.ownershipConflict || first.ownershipConflict,
        });
        return result("blocked", decision, null, why);
      }
      if (attempt === 1) {
        if (decision.verdict === "allow_conflict") log.warn(guardConflictLine(req));
        else log.info(isLegacyModule(req.module) ? guardLegacyAllowedLine(req) : guardAllowedLine(req, decision.state));
      }
      // After a timeout (or a transient failure) the order may exist: look before resending.
      if (lastFailure) {
        const found = await this.o.venue.findOrderByClientId(req.symbol, clientOrderId, req.orderType !== "MARKET").catch(() => null);
        if (found) {
          await lock.release();
          return this.placed(req, row.id, tries, decision, found.exchangeOrderId, clientOrderId);
        }
      }
      tries++;
      log.info(gatewaySubmittingLine(req));
      const sending = this.o.venue.placeExitOrder({
        symbol: req.symbol, side: req.side, type: req.orderType, quantity: req.quantity, stopPrice: req.stopPrice ?? null,
        callbackRate: req.callbackRate ?? null, reduceOnly: true, clientOrderId, decisionId: req.decisionId,
      });
      // Hold the share lock until the answer: "sent" must precede any kill switch's commit, even
      // when a client-side queue (a rate limiter) delays the request before it leaves.
      await Promise.race([sending.catch(() => {}), this.sleep(this.sendLockMs)]);
      await lock.release();
      let placedId: string | null = null;
      try {
        placedId = (await sending).exchangeOrderId;
      } catch (err) {
        const f = this.o.venue.classifyFailure(err);
        if (f.kind === "duplicate") {
          const found = await this.o.venue.findOrderByClientId(req.symbol, clientOrderId, req.orderType !== "MARKET").catch(() => null);
          if (found) return await this.placed(req, row.id, tries, decision, found.exchangeOrderId, clientOrderId);
        }
        if (f.kind === "permanent" || f.kind === "duplicate") {
          log.warn(gatewayFailedLine(req, "rejected", f.message));
          await finishAttempt(this.o.pool, row.id, { outcome: "rejected", error: f.message, tries });
          return result("rejected", decision, null, f.message);
        }
        lastFailure = f;
        log.warn(`[EXIT_GATEWAY] ⚠️  ${f.kind} failure on try ${attempt}/${this.maxTries} for ${req.kind} ${req.symbol}: ${f.message}`);
        await this.sleep(Math.max(f.retryAfterMs ?? 0, this.backoffMs * 2 ** (attempt - 1)));
      }
      // Outside the venue-error handling: a database error while recording a placed order must not
      // read as a rejection (the order is on the exchange; reconciliation settles a stuck row).
      if (placedId !== null) return this.placed(req, row.id, tries, decision, placedId, clientOrderId);
    }
    // Exhausted: one last look, since the final try may have been accepted before timing out.
    const found = await this.o.venue.findOrderByClientId(req.symbol, clientOrderId, req.orderType !== "MARKET").catch(() => null);
    if (found) return this.placed(req, row.id, tries, decision, found.exchangeOrderId, clientOrderId);
    const error = `gave up after ${tries} tries: ${lastFailure?.message ?? "unknown error"}`;
    log.error(gatewayFailedLine(req, "failed", error));
    await finishAttempt(this.o.pool, row.id, { outcome: "failed", error, tries });
    return result("failed", decision, null, error);
  }

  private async placed(req: ExitOrderRequest, id: number, tries: number, decision: GatewayDecision, exchangeOrderId: string, clientOrderId: string): Promise<GatewayResult> {
    this.o.log.info(gatewayPlacedLine(req, exchangeOrderId));
    await finishAttempt(this.o.pool, id, { outcome: "placed", exchangeOrderId, tries }).catch((err: unknown) =>
      // The order is on the exchange; the row stays pending until a retry of this decision or the
      // next leader's reconciliation finds it there by its client order id.
      this.o.log.error({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_GATEWAY] order ${exchangeOrderId} placed but not recorded yet (database error)`),
    );
    return { outcome: "placed", clientOrderId, exchangeOrderId, decision, duplicateSuppressed: false, error: null };
  }

  private logDenied(req: ExitOrderRequest, d: GatewayDecision): void {
    if (d.blockedLegacy) this.o.log.warn(guardBlockedLine(req));
    else this.o.log.warn(guardDeniedLine(req, d.reason));
  }
}
