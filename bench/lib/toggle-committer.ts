// A separate process that commits toggle changes for the kill-switch benchmark, as the web
// server or the CLI would: the worker's watcher never shares an event loop with the committer
// in production, so the benchmark must not either. One command per stdin line ("kill" | "arm" |
// "notify": a bare NOTIFY bench_raw, the baseline in the same topology); answers one JSON line
// per command with its start and commit times on the machine-wide monotonic clock
// (process.hrtime, comparable across processes).
import { createInterface } from "node:readline";
import pg from "pg";
import { createDb } from "../../src/server/db/client";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { killSwitch } from "../../src/server/services/toggles/rollbacks";
import { nowMs } from "./stats";

const url = process.argv[2];
if (!url) throw new Error("usage: toggle-committer.ts <database url>");
const db = createDb(url, { max: 2 });
const raw = new pg.Client({ connectionString: url });
await raw.connect();

for await (const line of createInterface({ input: process.stdin })) {
  const cmd = line.trim();
  if (cmd === "quit") break;
  const t0 = nowMs();
  if (cmd === "kill") await killSwitch(db, { actor: "bench", source: "api", ceilings: {} });
  else if (cmd === "notify") await raw.query("NOTIFY bench_raw");
  else if (cmd === "arm") await changeToggles(db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, actor: "bench", source: "api", reason: "re-arm", confirmLive: true, ceilings: {} });
  else throw new Error(`unknown command ${cmd}: use kill, arm, notify or quit`);
  process.stdout.write(JSON.stringify({ t0, committed: nowMs() }) + "\n");
}
await raw.end();
await db.$disconnect();
