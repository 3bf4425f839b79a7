// A task run again and again until stopped: the next run is scheduled when the previous one ends
// (never two at once), a failed run is reported once per outage (the first failure) and once
// when runs succeed again, and stop() waits for the run in progress. The watchdog's checks and
// the notification outbox's deliveries both run on it.
export interface PeriodicLoopOptions {
  /** one run; a throw is a failure (the loop keeps going) */
  run: () => Promise<void>;
  /** pause between the end of a run and the start of the next */
  intervalMs: number;
  /** the first failure after a success (or at start): log it; later failures in a row are quiet */
  onOutage: (err: unknown) => void;
  /** the first success after an outage */
  onRecovery: () => void;
}

export class PeriodicLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failing = false;

  constructor(private readonly o: PeriodicLoopOptions) {}

  /** Starts the loop; the first run starts after `delayMs` (0: on the next turn of the event loop). */
  start(delayMs = 0): void {
    this.schedule(delayMs);
  }

  /** No run starts after this; resolves when the run in progress (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.o.run()
        .then(() => {
          if (this.failing) this.o.onRecovery();
          this.failing = false;
        })
        .catch((err: unknown) => {
          if (!this.failing) this.o.onOutage(err);
          this.failing = true;
        })
        .finally(() => {
          this.running = null;
          this.schedule(this.o.intervalMs);
        });
    }, delayMs);
  }
}
