// Issue 13, item 7: operator mutations while 1,000 spoofed sign-in attempts hit the same web
// server, against the same run's figure without the flood. The web server is the product's own
// (scripts/web-server.ts on the existing `next build`, as `npm start` runs it), on its own port
// and bench database. Each flood attempt is a real next-auth credentials POST with a made-up
// X-Forwarded-For, a random email and a wrong password, 50 in flight at once, sent by a separate
// process so its work does not show up as this process's latency. The operator alternates two
// real toggle changes (LEGACY -> SHADOW, rollback to LEGACY), one at a time, each audited.
// Before issue 13 the flood pushed these from ~10 ms to 4-8 s (every attempt hashed at once).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createDb } from "../src/server/db/client";
import { bootToggles } from "../src/server/services/toggles/boot-toggles";
import { addUser } from "../src/server/services/users/add-user";
import { createBenchDatabase } from "./lib/bench-database";
import { signIn } from "./lib/page-timing";
import { size, waitFor } from "./lib/quick";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";

const PORT = Number(process.env.BENCH_SIGNIN_PORT ?? 3300);
const FLOOD = size("BENCH_FLOOD", 1_000, 200);
const BASELINE_OPS = size("BENCH_OPS", 150, 40);
const base = `http://127.0.0.1:${PORT}`;
const secret = randomBytes(32).toString("base64url");
const operator = { email: "bench-operator@localhost", password: randomBytes(12).toString("base64url") };

const bench = await createBenchDatabase("signinflood");
const db = createDb(bench.url, { max: 2 });
await bootToggles(db, {});
await addUser(db, { email: operator.email, role: "operator", password: operator.password });
await db.$disconnect();

const lines: string[] = [];
const web = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "web-server.ts")], {
  env: {
    PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: bench.url, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: base,
    WEB_PORT: String(PORT), WEB_HOST: "127.0.0.1", LOG_FILE: "", LOG_LEVEL: "warn", ADMIN_EMAIL: "admin@localhost", FORCE_COLOR: "0",
  } as Record<string, string> as unknown as NodeJS.ProcessEnv,
  stdio: ["ignore", "pipe", "pipe"],
});
const keep = (d: Buffer) => lines.push(...d.toString().split("\n").filter(Boolean).slice(-30));
web.stdout.on("data", keep);
web.stderr.on("data", keep);

let flip = 0;
const errors: string[] = [];
/** One operator mutation (alternately SHADOW and back to LEGACY); its latency in ms. */
async function mutation(cookie: string): Promise<number> {
  const up = flip++ % 2 === 0;
  const url = `${base}/api/trpc/${up ? "toggles.set" : "toggles.rollback"}`;
  const input = up ? { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: "bench: flood" } : { target: "legacy", reason: "bench: flood" };
  const t0 = nowMs();
  const res = await fetch(url, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ json: input }) });
  const text = await res.text();
  const took = nowMs() - t0;
  if (!res.ok) errors.push(`${res.status} ${text.slice(0, 200)}`);
  return took;
}

/** The flood, from a separate process: FLOOD credential POSTs, 50 in flight, each from a made-up address. */
function startFlood(): Promise<{ byOutcome: Record<string, number>; seconds: number }> {
  const script = `
    const base = ${JSON.stringify(base)}, total = ${FLOOD};
    (async () => {
      const csrfRes = await fetch(base + "/api/auth/csrf");
      const { csrfToken } = await csrfRes.json();
      const jar = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      const byOutcome = {}; let next = 0; const t0 = Date.now();
      async function one(i) {
        const res = await fetch(base + "/api/auth/callback/credentials", {
          method: "POST", redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar, "x-forwarded-for": "198.51." + (i >> 8 & 255) + "." + (i & 255) },
          body: new URLSearchParams({ csrfToken, email: "victim" + (i % 7) + "@localhost", password: "guess-" + i, json: "true" }),
        }).catch((e) => ({ status: 0, json: async () => ({ url: String(e) }) }));
        const url = [200, 401, 429].includes(res.status) ? (await res.json()).url : String(res.status);
        const k = /Too(%20|\\+)many/.test(url) ? "delayed" : /busy/.test(url) ? "busy" : /CredentialsSignin/.test(url) ? "wrong password" : "other " + res.status;
        byOutcome[k] = (byOutcome[k] ?? 0) + 1;
      }
      await Promise.all(Array.from({ length: 50 }, async () => { while (next < total) await one(next++); }));
      console.log(JSON.stringify({ byOutcome, seconds: (Date.now() - t0) / 1000 }));
    })();`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`flood exited ${code}`)))));
}

try {
  await waitFor(async () => ((await fetch(`${base}/signin`).catch(() => null))?.ok ? true : null), `web server on ${base} (${lines.join(" | ")})`, 120_000, 250);
  const cookie = await signIn(base, operator.email, operator.password);
  for (let i = 0; i < 10; i++) await mutation(cookie); // warm-up

  const quiet: number[] = [];
  for (let i = 0; i < BASELINE_OPS; i++) quiet.push(await mutation(cookie));

  let flooding = true;
  const flood = startFlood().finally(() => (flooding = false));
  const underFlood: number[] = [];
  const floodStart = nowMs();
  const trace: string[] = [];
  while (flooding) {
    const at = nowMs() - floodStart;
    const took = await mutation(cookie);
    underFlood.push(took);
    trace.push(`${at.toFixed(0)}:${took.toFixed(0)}`);
  }
  const f = await flood;

  const q = summarize(quiet);
  const u = summarize(underFlood);
  console.log(`operator mutations, quiet:        ${fmt(q)}`);
  console.log(`operator mutations, during flood: ${fmt(u)}`);
  console.log(`flood: ${FLOOD} spoofed sign-ins in ${f.seconds.toFixed(1)} s: ${Object.entries(f.byOutcome).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  // BENCH_TRACE=1: each mutation during the flood as <ms after the flood started>:<its latency>.
  if (process.env.BENCH_TRACE) console.log(`during the flood (start:latency ms): ${trace.join(" ")}`);
  if (errors.length > 0) console.log(`mutation errors (${errors.length}): ${errors.slice(0, 3).join(" | ")}`);
  reportRow({
    bench: "signin-flood",
    figure: `operator mutation during ${FLOOD} spoofed sign-ins, p99`,
    value: ms(u.p99),
    target: "< 5x quiet p99",
    baseline: `quiet p99 ${ms(q.p99)}`,
    ratio: ratio(u.p99, q.p99),
    met: errors.length === 0 && u.p99 < 5 * q.p99,
  });
  reportRow({ bench: "signin-flood", figure: "operator mutation during the flood, p50", value: ms(u.p50), target: "report", baseline: `quiet p50 ${ms(q.p50)}`, ratio: ratio(u.p50, q.p50), met: null });
  reportRow({ bench: "signin-flood", figure: "flood attempts hashed (wrong password) / delayed / busy", value: `${f.byOutcome["wrong password"] ?? 0} / ${f.byOutcome.delayed ?? 0} / ${f.byOutcome.busy ?? 0}`, target: "report", baseline: "-", ratio: "-", met: null });
} finally {
  const exited = new Promise((r) => web.once("exit", r));
  web.kill("SIGTERM");
  await exited;
  await bench.drop();
}
