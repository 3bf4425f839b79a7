// The positions an operator handed back to the legacy modules (position_handback), as this worker
// last read them. One registry per process: the position-action consumer refreshes it from the
// database every poll (and sets it the moment it records a hand-back); the executor leaves these
// positions alone in LIVE and the legacy modules protect them (their orders carry handedBack).
import type pg from "pg";

export class HandedBackPositions {
  private keys = new Set<string>();

  has(symbol: string, side: string): boolean {
    return this.keys.has(`${symbol}:${side}`);
  }

  add(symbol: string, side: string): void {
    this.keys.add(`${symbol}:${side}`);
  }

  remove(symbol: string, side: string): void {
    this.keys.delete(`${symbol}:${side}`);
  }

  async refresh(pool: pg.Pool): Promise<void> {
    const { rows } = await pool.query<{ symbol: string; side: string }>(`SELECT symbol, position_side AS side FROM position_handback`);
    this.keys = new Set(rows.map((r) => `${r.symbol}:${r.side}`));
  }

  size(): number {
    return this.keys.size;
  }
}

/** This worker process's registry. */
export const handedBackPositions = new HandedBackPositions();
