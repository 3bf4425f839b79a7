// One-off statements on a short-lived connection (CREATE/DROP DATABASE and the like), for
// scripts, test setup and benchmarks.
import pg from "pg";

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function execSql(url: string, sql: string): Promise<void> {
  await withClient(url, (c) => c.query(sql));
}
