// `--quick` (run-all passes BENCH_QUICK=1): every benchmark shortens itself for a smoke run.
export const QUICK = process.env.BENCH_QUICK === "1";

/** A count or duration: the full value, or the quick one under --quick; an env override wins. */
export function size(envName: string, full: number, quick: number): number {
  const v = process.env[envName];
  if (v !== undefined && v !== "" && Number.isFinite(Number(v))) return Number(v);
  return QUICK ? quick : full;
}

export async function sleep(msDelay: number): Promise<void> {
  await new Promise((r) => setTimeout(r, msDelay));
}

/** Polls `check` every `everyMs` until it returns a value; throws after `limitMs` (not a timing assertion). */
export async function waitFor<T>(check: () => Promise<T | null | undefined> | T | null | undefined, what: string, limitMs = 30_000, everyMs = 5): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
