// Next.js calls register() once per web server start, before the first request is served.
// Sign-in set-up (session secret, first admin) lives here rather than in scripts/start.ts so
// that every way of running the web app — npm start, next start, next dev — gets it, and it
// runs after the database is migrated (start.ts migrates before it spawns the web server).
// Node runtime only: it needs PostgreSQL.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startAuth } = await import("./server/auth/start-auth");
  await startAuth();
}
