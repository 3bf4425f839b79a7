// One contender for leadership. Every renewMs it runs the atomic acquire-or-renew statement on
// its own small pool. While it holds the lease, isLeader() is true and currentEpoch() gives the
// term's epoch, which every order carries and the gateway fences on (check-leader-fence.ts).
//
// Stepping down by itself: the database sets lease_until = (statement time) + leaseMs, and the
// statement runs after we sent it, so the lease cannot end before (send time) + leaseMs. We
// therefore count ourselves leader only until (send time of the last successful renewal) +
// leaseMs - marginMs on this process's monotonic clock. isLeader() compares against that clock
// on every call, so a process that was frozen (GC pause, SIGSTOP, VM stall) reads false the
// moment it wakes, before any timer or renewal has run.
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Logger } from "../../src/server/logger";
import { ACQUIRE_OR_RENEW, RELEASE } from "./lease-sql";

export interface LeaderLeaseOptions {
  connectionString: string;
  /** unique per process incarnation, e.g. host:pid:random */
  holderId: string;
  log: Logger;
  /** how often to renew (leader) or try (standby), ms */
  renewMs?: number;
  /** lease length written to the database, ms; a standby takes over at most ~leaseMs + renewMs after the last renewal */
  leaseMs?: number;
  /** step down this long before the lease could end (clock-rate drift, scheduling) */
  marginMs?: number;
  /** monotonic clock in ms */
  now?: () => number;
}

export interface LeaseEvents {
  /** became leader for a new term (or resumed the same unexpired term after a local step-down) */
  elected: [epoch: number];
  /** stopped acting as leader: renewal late, lease taken, or stop() */
  "stepped-down": [epoch: number, why: string];
}

export class LeaderLease extends EventEmitter<LeaseEvents> {
  readonly holderId: string;
  private readonly pool: pg.Pool;
  private readonly renewMs: number;
  private readonly leaseMs: number;
  private readonly marginMs: number;
  private readonly now: () => number;
  private epoch: number | null = null;
  private validUntil = 0;
  private acting = false;
  private stepDownTimer: NodeJS.Timeout | null = null;
  private loopTimer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;
  private failing = false;
  private lastAttemptAt = 0;

  constructor(private readonly o: LeaderLeaseOptions) {
    super();
    this.holderId = o.holderId;
    this.renewMs = o.renewMs ?? 1_000;
    this.leaseMs = o.leaseMs ?? 3_000;
    this.marginMs = o.marginMs ?? 500;
    this.now = o.now ?? (() => performance.now());
    if (this.marginMs >= this.leaseMs - this.renewMs) {
      throw new Error(`Lease settings leave no room to renew: leaseMs (${this.leaseMs}) must exceed renewMs (${this.renewMs}) + marginMs (${this.marginMs}).`);
    }
    // A renewal that takes longer than renewMs is useless: bound every wait by it.
    this.pool = new pg.Pool({
      connectionString: o.connectionString, max: 2, connectionTimeoutMillis: this.renewMs, query_timeout: this.renewMs,
      statement_timeout: this.renewMs, keepAlive: true,
    });
    this.pool.on("error", () => {}); // a dropped idle connection surfaces on the next query
  }

  /** True only while this process holds an unexpired lease by its own monotonic clock. */
  isLeader(): boolean {
    return this.epoch !== null && this.now() < this.validUntil;
  }

  /** The epoch of the term this process leads right now; null when it is not the leader. */
  currentEpoch(): number | null {
    return this.isLeader() ? this.epoch : null;
  }

  /** First attempt right away, then every renewMs. Resolves after the first attempt. */
  async start(): Promise<void> {
    await this.attempt();
    this.scheduleNext();
  }

  /** Stops renewing and, if leader, ends the term in the database so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.loopTimer) clearTimeout(this.loopTimer);
    await this.inFlight?.catch(() => {});
    const epoch = this.epoch;
    this.stepDown("stopping");
    this.epoch = null;
    if (epoch !== null) await this.pool.query(RELEASE, [this.holderId, epoch]).catch(() => {});
    await this.pool.end().catch(() => {});
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    // Fixed rate from the previous attempt's start: a slow answer does not push the next one back.
    this.loopTimer = setTimeout(() => {
      this.inFlight = this.attempt().finally(() => {
        this.inFlight = null;
        this.scheduleNext();
      });
    }, Math.max(0, this.lastAttemptAt + this.renewMs - this.now()));
  }

  private async attempt(): Promise<void> {
    const sentAt = this.now();
    this.lastAttemptAt = sentAt;
    let epoch: number | null;
    try {
      const { rows } = await this.pool.query<{ epoch: string }>(ACQUIRE_OR_RENEW, [this.holderId, this.leaseMs]);
      epoch = rows[0] ? Number(rows[0].epoch) : null;
      if (this.failing) this.o.log.info(`[HA] lease database reachable again (${this.holderId})`);
      this.failing = false;
    } catch (err) {
      if (!this.failing) {
        this.o.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[HA] lease renewal failed (${this.holderId}); ${this.isLeader() ? "stepping down if it is not renewed in time" : "retrying"}`);
      }
      this.failing = true;
      return; // the step-down timer ends leadership if no renewal lands in time
    }
    if (this.stopped) return;
    if (epoch === null) {
      if (this.epoch !== null) this.stepDown("another worker holds the lease");
      this.epoch = null;
      return;
    }
    const until = sentAt + this.leaseMs - this.marginMs;
    if (this.now() >= until) return; // answered too late to act on; the next renewal decides
    const newTerm = epoch !== this.epoch;
    if (newTerm && this.epoch !== null) this.stepDown(`term ${this.epoch} ended`);
    this.epoch = epoch;
    this.validUntil = until;
    if (!this.acting) {
      this.acting = true;
      this.o.log.info(`[HA] ${this.holderId} is the leader (epoch ${epoch}${newTerm ? ", new term" : ", same term resumed"})`);
      this.emit("elected", epoch);
    }
    if (this.stepDownTimer) clearTimeout(this.stepDownTimer);
    this.stepDownTimer = setTimeout(() => this.stepDown("lease not renewed in time"), Math.max(0, until - this.now()));
  }

  private stepDown(why: string): void {
    if (this.stepDownTimer) clearTimeout(this.stepDownTimer);
    this.stepDownTimer = null;
    this.validUntil = 0;
    if (!this.acting || this.epoch === null) return;
    this.acting = false;
    this.o.log.warn(`[HA] ${this.holderId} stepped down from epoch ${this.epoch}: ${why}`);
    this.emit("stepped-down", this.epoch, why);
  }
}
