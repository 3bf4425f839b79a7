// The symbols that have decisions, for the filter's drop-down: a loose index scan over the
// (symbol, at) index (one index probe per distinct symbol, instead of DISTINCT reading every
// entry of the index), in the same order as SELECT DISTINCT symbol ... ORDER BY symbol.
import type { Db } from "../../db/client";

export async function listShadowSymbols(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ symbol: string }[]>`
    WITH RECURSIVE s(symbol) AS (
      (SELECT symbol FROM shadow_decision ORDER BY symbol LIMIT 1)
      UNION ALL
      SELECT (SELECT d.symbol FROM shadow_decision d WHERE d.symbol > s.symbol ORDER BY d.symbol LIMIT 1)
        FROM s WHERE s.symbol IS NOT NULL
    )
    SELECT symbol FROM s WHERE symbol IS NOT NULL LIMIT 500`;
  return rows.map((r) => r.symbol);
}
