// A process-local front for sign-in throttling per client address, checked before any database
// work. The database (login_failure) stays the authority shared by every web process; this only
// answers early what it would answer anyway, so a flood from one address costs no queries:
//  - an address the database rule told to wait is refused from memory until that moment;
//  - no address may have more than `maxInFlight` attempts in progress at once (a person signs in
//    one attempt at a time), so one address cannot fill the connection pool operators share.
// Attempts for an account that signed in from that address before (remembered here once seen)
// skip the remembered wait, as the database rule exempts them.

/** The address of a sign-in whose client address cannot be trusted (src/server/auth/client-ip.ts): not throttled per address. */
export const UNKNOWN_ADDRESS = "unknown";

export type GuardEntry = { ok: true; release: () => void } | { ok: false; retryAfterS: number; reason: "delayed" | "busy" };

export class AddressGuard {
  private readonly inFlight = new Map<string, number>();
  private readonly waitUntil = new Map<string, number>();
  private readonly knownPairs = new Set<string>();

  constructor(
    readonly maxInFlight = 4,
    private readonly maxEntries = 10_000,
  ) {}

  enter(ip: string, email: string, nowMs: number): GuardEntry {
    const until = this.waitUntil.get(ip);
    if (until !== undefined && until > nowMs && !this.knownPairs.has(`${email}\n${ip}`)) {
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((until - nowMs) / 1000)), reason: "delayed" };
    }
    if (until !== undefined && until <= nowMs) this.waitUntil.delete(ip);
    const n = this.inFlight.get(ip) ?? 0;
    if (n >= this.maxInFlight) return { ok: false, retryAfterS: 1, reason: "busy" };
    this.inFlight.set(ip, n + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(ip) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(ip);
        else this.inFlight.set(ip, left);
      },
    };
  }

  /** The database rule says this address must wait until `untilMs`. */
  delay(ip: string, untilMs: number): void {
    if (this.waitUntil.size >= this.maxEntries && !this.waitUntil.has(ip)) this.waitUntil.delete(this.waitUntil.keys().next().value!);
    this.waitUntil.set(ip, Math.max(untilMs, this.waitUntil.get(ip) ?? 0));
  }

  /** A successful sign-in of `email` from `ip`. */
  known(ip: string, email: string): void {
    if (this.knownPairs.size >= this.maxEntries) this.knownPairs.delete(this.knownPairs.values().next().value!);
    this.knownPairs.add(`${email}\n${ip}`);
  }
}

/** The web process's guard. */
export const addressGuard = new AddressGuard();
