// listenKeys for the user-data stream. Like Binance: one active key per account (POST returns the
// existing one), valid for 60 minutes of wall time unless kept alive with PUT.
import { randomBytes } from "node:crypto";

const VALIDITY_MS = 60 * 60_000;

export class ListenKeys {
  private key: string | null = null;
  private expiresAt = 0;

  constructor(private readonly wallNow: () => number = Date.now) {}

  create(): string {
    if (!this.key || !this.isValid(this.key)) this.key = randomBytes(32).toString("hex");
    this.expiresAt = this.wallNow() + VALIDITY_MS;
    return this.key;
  }

  keepAlive(): string | null {
    if (!this.key || !this.isValid(this.key)) return null;
    this.expiresAt = this.wallNow() + VALIDITY_MS;
    return this.key;
  }

  /** the active key, if any (for the listenKeyExpired event) */
  current(): string | null {
    return this.key;
  }

  close(): void {
    this.key = null;
  }

  isValid(key: string): boolean {
    return key === this.key && this.wallNow() < this.expiresAt;
  }
}
