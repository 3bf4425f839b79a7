// Gateway I/O: every order action on the exchange from every module comes through here: orders
// through submit(), cancels through cancel(). Protocol (README "How it fits together"):
//   1. decide with the pure rules on the state the order was decided under; persist the attempt;
//   2. check: one statement reads the COMMITTED toggle row and leader term (committed-state.ts);
//      no lock outlives it. Denied -> recorded as blocked, nothing sent;
//   3. record the check (time, version, epoch, deadline) on the attempt, committed before sending;
//   4. send under one deadline (send-deadline.ts): every request of the send is aborted at it and
//      signed so the venue refuses it after it; the deadline ends before the lease the check read.
// A kill switch therefore never waits for a send: an order whose check came before its commit can
// still land, at the latest at that check's deadline, and is listed afterwards as in flight at
// the kill switch (in-flight-at-kill-switch.ts). Retries re-check (2-4) each time; after a timeout
// the order is looked up by its deterministic client order id before resending (never a duplicate).
// The order keeps one shape on the way out: the module's ExitOrderRequest goes to the exchange
// port as it is (OrderPort, worker/exchange/exchange-port.ts), with the client order id derived
// here, once. Idempotency (look up before resending) and retries live here alone; the port sends once.
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { decideCancel } from "../../src/core/gateway/cancel-rules";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { isLegacyModule } from "../../src/core/gateway/modules";
import { decideExitOrder, type GatewayDecision } from "../../src/core/gateway/gateway-rules";
import {
  gatewayFailedLine, gatewayPlacedLine, gatewaySubmittingLine, guardAllowedLine, guardBlockedLine, guardConflictLine, guardDeniedLine,
  guardLegacyAllowedLine,
} from "../../src/core/gateway/gateway-log-lines";
import type { OperationalState, ParsedCeilings } from "../../src/core/toggles";
import type { Logger } from "../../src/server/logger";
import { clientOrderIdFor } from "../exchange/client-order-id";
import type { ExchangeOrder, ExchangeOrderStatus, OrderPort, OrderRef } from "../exchange/exchange-port";
import { withSendDeadline } from "../exchange/send-deadline";
import { finishAttempt, insertAttempt, recordCheck, type Outcome } from "./attempt-store";
import { checkCommittedState, type SendCheck, type SendCheckOptions } from "./committed-state";
import { cancelOutcome, classifyFailure, type SendFailure } from "./send-failure";

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
  /** placed: the order's status as the venue last reported it (open = resting) */
  exchangeStatus?: ExchangeOrderStatus;
  decision: GatewayDecision;
  /** true when an earlier attempt with the same client order id already existed */
  duplicateSuppressed: boolean;
  error: string | null;
}

export interface CancelRequest {
  module: string;
  ref: OrderRef;
  /** leader epoch the cancel was decided under; null when HA is not used */
  leaderEpoch?: number | null;
  /** why, for the log */
  reason: string;
}

export interface CancelResult {
  /** gone: the venue no longer had it (filled or cancelled before) */
  outcome: "cancelled" | "gone" | "blocked" | "failed";
  error: string | null;
}

export interface GatewayOptions {
  pool: pg.Pool;
  /** the exchange port's order path (the ccxt port, or a test's wrapper of it) */
  exchange: OrderPort;
  ceilings: ParsedCeilings;
  log: Logger;
  /** current leader epoch; set together with `fencing: true` when several workers may run (HA) */
  currentEpoch?: () => number | null;
  /** HA on: every send is fenced against the committed leader term read by its check */
  fencing?: boolean;
  maxTries?: number;
  backoffMs?: number;
  /** one send's deadline, ms: covers every request of the send; shorter than the leader lease */
  sendDeadlineMs?: number;
  /** with fencing: the deadline ends at least this long before the lease read by the check */
  leaseMarginMs?: number;
  /** a check leaving less time than this does not send */
  minSendMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** told of every failure to store an attempt row or its check (the disk monitor raises pressure
   *  at once on a disk-full one instead of at its next poll); the failure is still thrown */
  onWriteError?: (err: unknown) => void;
}

/** Default send deadline: well under the 3 s lease, well over a healthy venue's answer. */
export const DEFAULT_SEND_DEADLINE_MS = 2_000;

/** A send whose promise outlived its deadline (a venue client that ignored the abort). */
const overrun = (ms: number): SendFailure => ({ kind: "timeout", message: `no answer within the send deadline (${ms} ms)` });

export class ExitOrderGateway {
  private readonly maxTries: number;
  private readonly backoffMs: number;
  private readonly window: SendCheckOptions;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: GatewayOptions) {
    this.maxTries = o.maxTries ?? 5;
    this.backoffMs = o.backoffMs ?? 200;
    this.window = { maxSendMs: o.sendDeadlineMs ?? DEFAULT_SEND_DEADLINE_MS, leaseMarginMs: o.leaseMarginMs ?? 300, minSendMs: o.minSendMs ?? 200 };
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** A write nothing may be sent without: its failure goes to onWriteError, then on to the caller. */
  private told<T>(write: Promise<T>): Promise<T> {
    return write.catch((err: unknown) => {
      this.o.onWriteError?.(err);
      throw err;
    });
  }

  /** The longest any one send can last (for whoever waits for sends in flight to settle). */
  get sendDeadlineMs(): number {
    return this.window.maxSendMs;
  }

  async submit(req: ExitOrderRequest, under: DecidedUnder): Promise<GatewayResult> {
    const log = this.o.log;
    // The one derivation of the client order id: a retried decision always gets the same one.
    const clientOrderId = clientOrderIdFor(req.decisionId);
    const epochs = { orderEpoch: under.leaderEpoch ?? null, currentEpoch: this.o.currentEpoch?.() ?? null };
    const positionMode = this.o.exchange.positionMode().connected;
    const first = decideExitOrder(req, { state: under.state, confirmed: true, positionMode, ...epochs });
    const { row, created } = await this.told(insertAttempt(this.o.pool, {
      req, clientOrderId, decision: first, toggleVersion: under.toggleVersion, leaderEpoch: under.leaderEpoch ?? null,
      outcome: first.verdict === "deny" ? "blocked" : "pending",
    }));
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
    const conditional = req.orderType !== "MARKET";
    let tries = row.tries;
    let lastFailure: SendFailure | null = null;
    let decision = first;
    for (let attempt = 1; attempt <= this.maxTries; attempt++) {
      const check = await this.check(epochs.orderEpoch);
      decision = decideExitOrder(req, { state: check.committed.state, confirmed: check.committed.confirmed, orderEpoch: epochs.orderEpoch, currentEpoch: this.o.currentEpoch?.() ?? null, positionMode });
      if (!check.window.ok && decision.verdict !== "deny") decision = { ...decision, verdict: "deny", blockedLegacy: false, reason: check.window.reason };
      const modeRefusal = decision.verdict === "deny" ? null : this.o.exchange.positionMode().refusal;
      if (modeRefusal !== null) {
        this.o.log.error(`[EXIT_GATEWAY] 🚨 ${req.kind} ${req.symbol} by ${req.module} NOT sent: ${modeRefusal}`);
        decision = { ...decision, verdict: "deny", blockedLegacy: false, reason: modeRefusal };
      }
      if (decision.verdict === "deny" || !check.window.ok || !check.checkedAt) {
        // An earlier try whose outcome is unknown may have landed before this check: look once
        // more (a read, under its own deadline) so the record says what is on the exchange.
        if (lastFailure?.kind === "timeout") {
          const found = await this.lookUp(req.symbol, clientOrderId, conditional);
          if (found) return this.placed(req, row.id, tries, decision, found, clientOrderId);
        }
        this.logDenied(req, decision);
        const why = `re-checked before submit on committed state ${decision.state} (version ${check.committed.version ?? "unconfirmed"}): ${decision.reason}`;
        await finishAttempt(this.o.pool, row.id, {
          outcome: "blocked", tries, state: decision.state, toggleVersion: check.committed.version, denyReason: why,
          verdict: decision.verdict, ownershipConflict: decision.ownershipConflict || first.ownershipConflict,
        });
        return result("blocked", decision, null, why);
      }
      if (attempt === 1) {
        if (decision.verdict === "allow_conflict") log.warn(guardConflictLine(req));
        else log.info(isLegacyModule(req.module) ? guardLegacyAllowedLine(req) : guardAllowedLine(req, decision.state));
      }
      // Committed before anything leaves: the record of what this send was checked against.
      await this.told(recordCheck(this.o.pool, row.id, { checkedAt: check.checkedAt, version: check.committed.version, epoch: this.o.fencing ? epochs.orderEpoch : null, sendMs: check.window.sendMs }));
      tries++;
      log.info(gatewaySubmittingLine(req));
      // The order may already exist: after a failure of an earlier try (a timeout, a transient
      // error), or when this decision's attempt was stored before (a caller's retry, a crash after
      // sending, an earlier leader). Binance refuses a reused client id only among *open* orders, so
      // a filled market close would be sent twice without this look-up.
      const lookFirst = lastFailure !== null || !created;
      const sent = await this.underDeadline(check, async (): Promise<ExchangeOrder> => {
        if (lookFirst) {
          const found = await this.o.exchange.fetchOrderByClientId(req.symbol, clientOrderId, conditional);
          if (found) return found;
        }
        return this.o.exchange.placeExitOrder(req, clientOrderId);
      });
      if (sent.ok) return this.placed(req, row.id, tries, decision, sent.value, clientOrderId);
      const f = sent.failure;
      if (f.kind === "duplicate") {
        const found = await this.lookUp(req.symbol, clientOrderId, conditional);
        if (found) return this.placed(req, row.id, tries, decision, found, clientOrderId);
      }
      if (f.kind === "permanent" || f.kind === "duplicate") {
        log.warn(gatewayFailedLine(req, "rejected", f.message));
        await finishAttempt(this.o.pool, row.id, { outcome: "rejected", error: f.message, tries });
        return result("rejected", decision, null, f.message);
      }
      lastFailure = f;
      log.warn(`[EXIT_GATEWAY] ⚠️  ${f.kind} failure on try ${attempt}/${this.maxTries} for ${req.kind} ${req.symbol}: ${f.message}`);
      if (attempt < this.maxTries) await this.sleep(Math.max(f.retryAfterMs ?? 0, this.backoffMs * 2 ** (attempt - 1)));
    }
    // Exhausted: one last look, since the final try may have been accepted before timing out.
    const found = await this.lookUp(req.symbol, clientOrderId, conditional);
    if (found) return this.placed(req, row.id, tries, decision, found, clientOrderId);
    const error = `gave up after ${tries} tries: ${lastFailure?.message ?? "unknown error"}`;
    log.error(gatewayFailedLine(req, "failed", error));
    await finishAttempt(this.o.pool, row.id, { outcome: "failed", error, tries });
    return result("failed", decision, null, error);
  }

  /**
   * Cancels one order, checked like an order: the committed state must allow this module to
   * cancel (src/core/gateway/cancel-rules.ts), the leader term must be live, and the request runs
   * under one send deadline. Never retried here: the caller's next cycle decides again.
   */
  async cancel(c: CancelRequest): Promise<CancelResult> {
    const what = `cancel ${c.ref.symbol} ${c.ref.id ?? c.ref.clientOrderId ?? "?"} by ${c.module} (${c.reason})`;
    const check = await this.check(c.leaderEpoch ?? null);
    const d = decideCancel(c.module, { state: check.committed.state, confirmed: check.committed.confirmed });
    const denied = d.verdict === "deny" ? d.reason : !check.window.ok ? check.window.reason : null;
    if (denied !== null || !check.window.ok) {
      this.o.log.warn(`[EXIT_GUARD] ⛔ DENIED: ${what}: ${denied} (committed version ${check.committed.version ?? "unconfirmed"}). Order NOT cancelled.`);
      return { outcome: "blocked", error: denied };
    }
    const sent = await this.underDeadline(check, () => cancelOutcome(() => this.o.exchange.cancelOrder(c.ref)));
    if (sent.ok) {
      this.o.log.info(`[EXIT_GATEWAY] ${sent.value === "cancelled" ? "✅ Cancelled" : "Already gone:"} ${what}`);
      return { outcome: sent.value, error: null };
    }
    this.o.log.warn(`[EXIT_GATEWAY] ❌ ${what} failed (${sent.failure.kind}): ${sent.failure.message}; the order stays on the exchange`);
    return { outcome: "failed", error: sent.failure.message };
  }

  private check(orderEpoch: number | null): Promise<SendCheck> {
    return checkCommittedState(this.o.pool, this.o.ceilings, this.o.fencing ? orderEpoch : undefined, this.window);
  }

  /** Runs one send under the check's deadline; its promise is not awaited past the deadline either. */
  private async underDeadline<T>(check: SendCheck, send: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: SendFailure }> {
    const sendMs = check.window.ok ? check.window.sendMs : 0;
    const endsAt = check.issuedAt + sendMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), Math.max(0, endsAt - performance.now()) + 100)));
    try {
      const sending = withSendDeadline(endsAt, send);
      sending.catch(() => {}); // settled below or abandoned after the deadline
      const first = await Promise.race([sending, late]);
      if (first === "late") return { ok: false, failure: overrun(sendMs) };
      return { ok: true, value: first };
    } catch (err) {
      return { ok: false, failure: classifyFailure(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** A read-only look-up by client order id under its own deadline; null when not found or failed. */
  private async lookUp(symbol: string, clientOrderId: string, conditional: boolean): Promise<ExchangeOrder | null> {
    const endsAt = performance.now() + this.window.maxSendMs;
    return withSendDeadline(endsAt, () => this.o.exchange.fetchOrderByClientId(symbol, clientOrderId, conditional)).catch(() => null);
  }

  private async placed(req: ExitOrderRequest, id: number, tries: number, decision: GatewayDecision, order: ExchangeOrder, clientOrderId: string): Promise<GatewayResult> {
    const exchangeOrderId = order.id;
    this.o.log.info(gatewayPlacedLine(req, exchangeOrderId));
    await finishAttempt(this.o.pool, id, { outcome: "placed", exchangeOrderId, tries }).catch((err: unknown) =>
      // The order is on the exchange; the row stays pending until a retry of this decision or the
      // next leader's reconciliation finds it there by its client order id.
      this.o.log.error({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_GATEWAY] order ${exchangeOrderId} placed but not recorded yet (database error)`),
    );
    return { outcome: "placed", clientOrderId, exchangeOrderId, exchangeStatus: order.status, decision, duplicateSuppressed: false, error: null };
  }

  private logDenied(req: ExitOrderRequest, d: GatewayDecision): void {
    if (d.blockedLegacy) this.o.log.warn(guardBlockedLine(req));
    else this.o.log.warn(guardDeniedLine(req, d.reason));
  }
}
