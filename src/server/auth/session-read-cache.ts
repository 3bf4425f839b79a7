// Read requests (GET/HEAD) may reuse a session resolved in the last second: the dashboard polls
// the status every second from every tab, and each tRPC read was resolved twice (proxy, then
// the tRPC context), each time a key derivation, a JWE decrypt and a user row read. Writes never
// use it: a mutation always sees the user as the database knows them now, so a demoted or
// disabled operator cannot change a toggle; reads see such a change within READ_SESSION_TTL_MS.
import type { SessionUser } from "../services/users/load-session-user";

export const READ_SESSION_TTL_MS = 1_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  user: SessionUser;
  at: number;
}

export class SessionReadCache {
  private entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now, private readonly ttlMs = READ_SESSION_TTL_MS) {}

  /** The user a session cookie resolved to at most ttlMs ago, if any. */
  get(cookieValue: string): SessionUser | null {
    const e = this.entries.get(cookieValue);
    if (!e) return null;
    if (this.now() - e.at >= this.ttlMs) {
      this.entries.delete(cookieValue);
      return null;
    }
    return e.user;
  }

  /** Only signed-in results are kept: a stream of invalid cookies cannot fill it with junk. */
  set(cookieValue: string, user: SessionUser): void {
    this.entries.delete(cookieValue);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(cookieValue, { user, at: this.now() });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Methods that cannot change anything (tRPC queries are GET; mutations are POST). */
export function isReadMethod(method: string | null | undefined): boolean {
  return method === "GET" || method === "HEAD";
}
