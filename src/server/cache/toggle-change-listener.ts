// LISTENs for the toggle NOTIFY (sent by every committed toggle change, from any process) so a
// web process can drop its cached status the moment a change commits, without a database round
// trip per request. `live` is false until LISTEN is in place and after the connection is lost
// (it reconnects every second); callers must then check the stored version themselves.
import pg from "pg";

export class ToggleChangeListener {
  private client: pg.Client | null = null;
  private connecting = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly handlers = new Set<() => void>();
  live = false;

  constructor(private readonly url: string, private readonly channel: string) {}

  start(): this {
    void this.connect();
    return this;
  }

  onChange(f: () => void): () => void {
    this.handlers.add(f);
    return () => this.handlers.delete(f);
  }

  private fire(): void {
    for (const f of this.handlers) f();
  }

  private async connect(): Promise<void> {
    if (this.connecting || this.client) return;
    this.connecting = true;
    const c = new pg.Client({ connectionString: this.url, application_name: "exit-brain-web-status-cache" });
    c.on("notification", () => this.fire());
    c.on("error", () => this.lost(c));
    c.on("end", () => this.lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN "${this.channel}"`);
      this.client = c;
      this.live = true;
      this.fire(); // a change may have committed while nobody listened
    } catch {
      this.lost(c);
    } finally {
      this.connecting = false;
    }
  }

  private lost(c: pg.Client): void {
    if (this.client && this.client !== c) return;
    this.client = null;
    this.live = false;
    this.fire();
    c.end().catch(() => {});
    this.retry ??= setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, 1000);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.handlers.clear();
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    this.live = false;
    await c?.end().catch(() => {});
  }
}
