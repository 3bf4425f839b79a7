// Keeps the ccxt clients' clock offset (options.timeDifference, subtracted from every signed
// request's timestamp) in step with the venue: loaded once at start by ccxt, it drifts with the
// host's clock, and a stale offset makes Binance refuse every signed request with -1021
// ("Timestamp for this request is outside of the recvWindow"). So it is re-measured every few
// minutes and at once after a -1021, on both clients (reads and orders): one GET /fapi/v1/time
// (weight 1) through the first client, the offset copied to the others.
import type { BinanceUsdm } from "./ccxt-client";

export const CLOCK_RESYNC_INTERVAL_MS = 5 * 60_000;

export class ClockSync {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  /** re-syncs that failed in a row (the next periodic one tries again) */
  failures = 0;
  resyncs = 0;

  constructor(
    private readonly clients: readonly BinanceUsdm[],
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Re-syncs every `intervalMs`; the timer never keeps the process alive. */
  start(intervalMs: number = CLOCK_RESYNC_INTERVAL_MS): void {
    this.stop();
    this.timer = setInterval(() => void this.resync(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Measures the offset once (concurrent callers share the measurement) and sets it on every client. */
  resync(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const [first, ...rest] = this.clients;
        if (!first) return;
        const offset = await first.loadTimeDifference();
        for (const c of rest) c.options["timeDifference"] = offset;
        this.resyncs += 1;
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        this.onError(err);
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }
}
