// Follows the stored toggles at run time: LISTEN for the NOTIFY sent on every commit, re-read
// the row on each notification, poll every second as a fallback, reconnect after the database
// drops. A notification that carries a rollback (kill switch) is acted on at once, before its
// re-read: one NOTIFY instead of a NOTIFY plus a query. Anything else waits for the re-read, so
// a NOTIFY sent by hand (any database role may send one) can never raise the state, only lower
// it until the re-read a millisecond later. If the state cannot be confirmed for
// UNCONFIRMED_AFTER_MS, it reports it as unconfirmed, and the worker treats unconfirmed as
// SHADOW: unknown is never LIVE.
// A version without its audit row is refused (issue 13): every legitimate change writes the row
// and its audit row in one statement (exit_toggles_change), so a row without one was written
// around the door (a superuser's UPDATE); the worker treats the state as unconfirmed = SHADOW
// until an audited version is read, and says so.
import { EventEmitter } from "node:events";
import pg from "pg";
import { classifyChange, configLine, LIVE_BANNER, resolveOperationalState, type OperationalState, type ParsedCeilings, type Resolution } from "../../src/core/toggles";
import type { Logger } from "../../src/server/logger";
import { parseToggleNotifyPayload } from "../../src/server/services/toggles/toggle-notify-payload";
import { fromRow, type StoredToggles, TOGGLE_CHANNEL, type ToggleRow, toggleRowColumns } from "../../src/server/db/toggle-row";

export interface ToggleView {
  /** what the worker must act on: the resolved state, or SHADOW while unconfirmed */
  state: OperationalState;
  confirmed: boolean;
  version: number | null;
  resolution: Resolution | null;
  stored: StoredToggles | null;
  /** epoch ms of the last successful read */
  confirmedAt: number | null;
}

export interface ToggleWatcherOptions {
  connectionString: string;
  ceilings: ParsedCeilings;
  log: Logger;
  pollMs?: number;
  unconfirmedAfterMs?: number;
  now?: () => number;
}

const SELECT_ROW = `SELECT ${toggleRowColumns("t")},
  EXISTS (SELECT 1 FROM toggle_audit a WHERE a.version_after = t.version) AS audited
  FROM exit_toggles t WHERE id = 1`;

export class ToggleWatcher extends EventEmitter<{ change: [ToggleView, ToggleView | null] }> {
  private readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private stored: StoredToggles | null = null;
  private resolution: Resolution | null = null;
  private confirmedAt: number | null = null;
  private lastView: ToggleView | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = 250;
  private stopped = false;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  /** notifications acted on before their re-read (see readOnce) */
  private fastPaths = 0;
  /** the stored version last refused for having no audit row (null: none refused) */
  private refusedVersion: number | null = null;
  private readonly pollMs: number;
  private readonly unconfirmedAfterMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: ToggleWatcherOptions) {
    super();
    this.pollMs = opts.pollMs ?? 1000;
    this.unconfirmedAfterMs = opts.unconfirmedAfterMs ?? 3000;
    this.now = opts.now ?? Date.now;
    // Short timeouts: a hung database must turn into "unconfirmed" quickly, not block reads.
    this.pool = new pg.Pool({ connectionString: opts.connectionString, max: 2, connectionTimeoutMillis: 2000, query_timeout: 2000 });
    this.pool.on("error", () => {}); // idle client errors surface on the next query
  }

  async start(): Promise<void> {
    await this.read();
    await this.connectListener();
    this.pollTimer = setInterval(() => void this.tick(), this.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.listener?.end().catch(() => {});
    await this.reading?.catch(() => {});
    await this.pool.end().catch(() => {});
  }

  view(): ToggleView {
    const confirmed = this.confirmedAt !== null && this.now() - this.confirmedAt <= this.unconfirmedAfterMs && this.resolution !== null;
    return {
      state: confirmed ? this.resolution!.operationalState : "EXIT_BRAIN_V3_SHADOW",
      confirmed,
      version: this.stored?.version ?? null,
      resolution: this.resolution,
      stored: this.stored,
      confirmedAt: this.confirmedAt,
    };
  }

  /** Re-reads the row now (coalescing concurrent requests into one extra read). */
  read(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        await this.readOnce();
      } while (this.readAgain && !this.stopped);
    })().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    const fastPathsBefore = this.fastPaths;
    try {
      const { rows } = await this.pool.query(SELECT_ROW);
      const row = rows[0] as (ToggleRow & { audited: boolean }) | undefined;
      if (!row) throw new Error("exit_toggles has no row yet (the worker seeds it at boot)");
      const read = fromRow(row);
      if (!row.audited) {
        this.refuse(read);
        this.publish();
        return;
      }
      this.refusedVersion = null;
      // A read that started before a notification was acted on may return the older row: keep
      // the newer one (a kill switch must not flicker back). Any later read is authoritative.
      const stale = this.fastPaths !== fastPathsBefore && this.stored !== null && read.version < this.stored.version;
      if (stale) this.confirmedAt = this.now();
      else this.adopt(read);
    } catch (err) {
      this.opts.log.debug({ err }, "[EXIT_MODE] toggle read failed");
    }
    this.publish();
  }

  /** A stored version without its audit row: not acted on; the state is unconfirmed = SHADOW. */
  private refuse(read: StoredToggles): void {
    if (this.refusedVersion !== read.version) {
      this.opts.log.error(
        `[EXIT_MODE] 🚫 Toggle version ${read.version} (updated by "${read.updatedBy}") has no audit row: it was written around exit_toggles_change(). Refusing it and acting as SHADOW until an audited version is stored; roll back or re-apply the toggles through the dashboard or the CLI, and find out who wrote it.`,
      );
    }
    this.refusedVersion = read.version;
    this.confirmedAt = null;
  }

  /** Acts at once on a newer committed row that lowers (or keeps) the state; then re-reads. */
  private onNotified(payload: string | undefined): void {
    const carried = parseToggleNotifyPayload(payload);
    const current = this.stored;
    if (carried && current && carried.version > current.version && classifyChange(current.toggles, carried.toggles).kind !== "escalation") {
      this.fastPaths++;
      this.adopt(carried);
      this.publish();
    }
    void this.read();
  }

  private adopt(stored: StoredToggles): void {
    this.stored = stored;
    this.resolution = resolveOperationalState({
      stored: stored.toggles,
      ceilings: this.opts.ceilings.ceilings,
      enabledFlag: this.opts.ceilings.enabledFlag,
      parseWarnings: this.opts.ceilings.warnings,
    });
    this.confirmedAt = this.now();
  }

  private tick(): void {
    void this.read();
    this.publish(); // turns into "unconfirmed" when reads keep failing
  }

  private publish(): void {
    const view = this.view();
    const prev = this.lastView;
    if (prev && prev.version === view.version && prev.state === view.state && prev.confirmed === view.confirmed) return;
    this.lastView = view;
    this.logChange(view, prev);
    this.emit("change", view, prev);
  }

  private logChange(view: ToggleView, prev: ToggleView | null): void {
    const log = this.opts.log;
    if (!view.confirmed) {
      if (this.refusedVersion !== null) log.warn(`[EXIT_MODE] ⚠️  Toggle state unconfirmed (version ${this.refusedVersion} has no audit row): treating it as SHADOW.`);
      else log.warn(`[EXIT_MODE] ⚠️  Toggle state unconfirmed (database unreachable for over ${this.unconfirmedAfterMs} ms): treating it as SHADOW until it can be read again.`);
      return;
    }
    const res = view.resolution!;
    if (prev && !prev.confirmed) log.info(`[EXIT_MODE] Toggle state confirmed again (version ${view.version}).`);
    log.info(`[EXIT_MODE] Configuration loaded: ${configLine(res.effective)} (version ${view.version}, state ${res.operationalState})`);
    for (const w of res.warnings) log.warn(`[EXIT_MODE] ${w}`);
    if (res.liveModeActive) log.warn(`[EXIT_MODE] ${LIVE_BANNER}`);
  }

  private async connectListener(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.opts.connectionString, connectionTimeoutMillis: 2000, keepAlive: true });
    const retry = (err: unknown) => {
      if (this.listener !== client && this.listener !== null) return;
      this.listener = null;
      client.removeAllListeners();
      client.on("error", () => {});
      void client.end().catch(() => {});
      if (this.stopped) return;
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_MODE] LISTEN connection lost; reconnecting in ${this.reconnectDelay} ms (polling every ${this.pollMs} ms meanwhile)`);
      this.reconnectTimer = setTimeout(() => void this.connectListener(), this.reconnectDelay);
      this.reconnectDelay = Math.min(this.reconnectDelay * 2, 2000);
    };
    client.on("error", retry);
    client.on("end", () => retry(new Error("connection ended")));
    client.on("notification", (msg) => {
      if (msg.channel === TOGGLE_CHANNEL) this.onNotified(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TOGGLE_CHANNEL}`);
      this.listener = client;
      this.reconnectDelay = 250;
      // A change may have been committed while we were not listening.
      await this.read();
    } catch (err) {
      this.listener = client;
      retry(err);
    }
  }
}
