// The worker calls this after each balance read from the exchange. The first reading of a UTC
// day becomes that day's starting balance; later ones update the current balance. The
// watchdog's daily_loss rule reads starting - current.
import { z } from "zod";
import type { Db } from "../../src/server/db/client";

const BalanceReading = z.object({
  asset: z.string().trim().min(1, { error: "asset is required, e.g. USDT" }),
  walletBalance: z.number({ error: "walletBalance must be a finite number" }),
});
export type BalanceReading = z.input<typeof BalanceReading>;

export async function recordAccountBalance(db: Db, reading: BalanceReading): Promise<void> {
  const parsed = BalanceReading.safeParse(reading);
  if (!parsed.success) {
    throw new Error(`Refusing to record the account balance (asset=${String(reading.asset)}, walletBalance=${String(reading.walletBalance)}): ${parsed.error.issues.map((i) => i.message).join("; ")}. The exchange payload was malformed; the previous balance stays.`);
  }
  const { asset, walletBalance } = parsed.data;
  await db.$executeRaw`
    INSERT INTO account_pnl (day, asset, starting_balance, current_balance, created_at, updated_at)
    VALUES ((now() AT TIME ZONE 'UTC')::date, ${asset}, ${walletBalance}::float8, ${walletBalance}::float8, now(), now())
    ON CONFLICT (day, asset) DO UPDATE SET current_balance = EXCLUDED.current_balance, updated_at = now()`;
}
