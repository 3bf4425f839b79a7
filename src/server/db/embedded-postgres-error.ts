// A failure to start the embedded PostgreSQL. Its message names the cause and the fix; callers
// print the message alone (never a stack trace) and exit.
export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}
