// A small semaphore in front of password hashing. scrypt (~100 ms of CPU and 32 MiB each) runs
// on libuv's thread pool; a flood of sign-in attempts used to occupy every pool thread and both
// cores, and operator mutations on the same web process went from ~10 ms to seconds. Through
// this gate at most `concurrency` hashes run at once, at most `maxQueue` wait, and anything
// beyond is refused at once (no hash, no memory). Attempts from an address the account signed
// in from before queue ahead of the rest, so an operator is served even during a flood.
import { env } from "../../../env.js";
import { AppError } from "../../errors";

export type HashPriority = "known" | "other";

interface Waiter {
  start: () => void;
}

export class HashGateBusyError extends AppError {
  constructor() {
    super("TOO_MANY_REQUESTS", "Sign-in is busy (too many attempts at once); try again in a few seconds.", { retryAfterS: 2 });
  }
}

export class HashGate {
  private running = 0;
  private readonly known: Waiter[] = [];
  private readonly other: Waiter[] = [];
  /** Highest number of hashes seen running at once (for tests and the benchmark). */
  peak = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be a whole number >= 1");
  }

  get queued(): number {
    return this.known.length + this.other.length;
  }

  /** Runs `work` when a slot is free; refuses at once (HashGateBusyError) when the queue is full. */
  async run<T>(work: () => Promise<T>, priority: HashPriority = "other"): Promise<T> {
    if (this.running >= this.concurrency) {
      // A known address may always queue (it pushes out nothing); others only while there is room.
      if (priority === "other" && this.queued >= this.maxQueue) throw new HashGateBusyError();
      await new Promise<void>((start) => (priority === "known" ? this.known : this.other).push({ start }));
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      const next = this.known.shift() ?? this.other.shift();
      if (next) next.start(); // the slot passes straight to the next waiter
      else this.running--;
    }
  }
}

let shared: HashGate | undefined;

/** The web process's gate. SIGNIN_HASH_CONCURRENCY hashes at once (default 1), 16 waiting. */
export function passwordHashGate(concurrency: number = env().SIGNIN_HASH_CONCURRENCY): HashGate {
  shared ??= new HashGate(Math.max(1, Math.floor(concurrency)), 16);
  return shared;
}
