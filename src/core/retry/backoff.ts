// The one doubling back-off: wait `firstMs` after the first failure, twice as long after each
// further one, never more than `maxMs`. Used for exit orders the venue refused
// (src/core/orders/retry-after-rejection.ts) and for notification deliveries
// (src/core/notifications/notification.ts).
export interface RetryBackoff {
  firstMs: number;
  maxMs: number;
}

/** The wait after `failures` failures in a row (0 = no wait). */
export function retryDelayMs(failures: number, b: RetryBackoff): number {
  if (failures <= 0) return 0;
  return Math.min(b.maxMs, b.firstMs * 2 ** Math.min(failures - 1, 30));
}
