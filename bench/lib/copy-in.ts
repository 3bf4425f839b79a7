// COPY ... FROM STDIN over node-postgres without an extra dependency: a minimal Submittable that
// sends one prepared text-format buffer (what pg-copy-streams does, minus the streaming).
import type pg from "pg";

/** The parts of pg's Connection a COPY needs (present at run time, missing from @types/pg). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyIn implements pg.Submittable {
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  private failed: unknown = null;

  constructor(private readonly text: string, private readonly data: Buffer) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const c = connection as unknown as CopyConnection;
    c.sendCopyFromChunk(this.data);
    c.endCopyFrom();
  }

  handleCommandComplete(): void {}

  handleError(err: unknown): void {
    this.failed = err;
  }

  handleReadyForQuery(): void {
    if (this.failed) this.settle.reject(this.failed);
    else this.settle.resolve();
  }
}

/** Runs `COPY table (cols) FROM STDIN` with tab-separated `lines` (\N = NULL). */
export async function copyIn(client: pg.ClientBase, table: string, columns: readonly string[], lines: string): Promise<void> {
  const q = new CopyIn(`COPY ${table} (${columns.join(", ")}) FROM STDIN`, Buffer.from(lines));
  client.query(q);
  await q.done;
}
