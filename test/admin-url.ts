// Where integration tests create their databases: TEST_DATABASE_URL, else DATABASE_URL
// (any database on the server; tests only create and drop their own `eb_t_*` databases).
export function testAdminUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "Integration tests need PostgreSQL: run them through `npm test` (which starts one), or set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres",
    );
  }
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
