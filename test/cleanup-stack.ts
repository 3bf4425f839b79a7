// What a test world has started, closed last-started first: every step runs even when an earlier
// one failed (their errors are reported together), and a world whose start failed half-way closes
// what it had started. Each step runs once, however often close() is called.
export interface CleanupStack {
  push(step: () => Promise<unknown>): void;
  close(): Promise<void>;
}

export function cleanupStack(what: string): CleanupStack {
  const steps: (() => Promise<unknown>)[] = [];
  return {
    push: (step) => void steps.push(step),
    async close() {
      const errors: unknown[] = [];
      for (const step of steps.splice(0).reverse()) await step().catch((err: unknown) => void errors.push(err));
      if (errors.length > 0) throw new AggregateError(errors, `${what}: ${errors.length} clean-up step(s) failed`);
    },
  };
}
