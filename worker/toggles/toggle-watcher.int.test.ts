// The worker's view of the toggles: a change made by another process (the CLI) is seen through
// LISTEN/NOTIFY; when the database is unreachable the state becomes unconfirmed and reads as
// SHADOW (never LIVE); after the link returns, LISTEN is re-established by itself.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { startTcpProxy, type TcpProxy } from "../../test/tcp-proxy";
import { parseCeilings } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { toggleNotifyPayload } from "../../src/server/services/toggles/toggle-notify-payload";
import { ToggleWatcher, type ToggleView } from "./toggle-watcher";

const ROOT = path.resolve(import.meta.dirname, "../..");
const log = createLogger({ name: "test", level: "silent", console: false });
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("watch");
  await bootToggles(t.db, {});
  await changeToggles(t.db, {
    changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" },
    actor: "test", source: "api", reason: "go live", confirmLive: true, ceilings: {},
  });
});
afterAll(async () => t?.drop());

function waitFor(w: ToggleWatcher, pred: (v: ToggleView) => boolean, timeoutMs = 10_000): Promise<ToggleView> {
  return new Promise((resolve, reject) => {
    if (pred(w.view())) return resolve(w.view());
    const timer = setTimeout(() => reject(new Error(`condition not reached; last view ${JSON.stringify(w.view().state)} confirmed=${w.view().confirmed}`)), timeoutMs);
    const onChange = (v: ToggleView) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      w.off("change", onChange);
      resolve(v);
    };
    w.on("change", onChange);
  });
}

async function listeningSessions(db: TestDatabase): Promise<number> {
  const rows = await db.db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN exit_toggles'`;
  return Number(rows[0]?.n ?? 0);
}

function runCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, "bin/exit-brain.mjs"), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url },
    });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    p.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

describe("ToggleWatcher", () => {
  it("sees a kill switch committed by another process (the CLI) through NOTIFY", async () => {
    // Polling far slower than the test's patience: only the notification can deliver it in time.
    const w = new ToggleWatcher({ connectionString: t.url, ceilings: parseCeilings({}), log, pollMs: 60_000 });
    await w.start();
    try {
      expect(w.view()).toMatchObject({ state: "EXIT_BRAIN_V3_LIVE", confirmed: true });
      // Generous: the CLI process alone takes seconds to start on a loaded machine (and with the
      // poll at 60 s the view turns unconfirmed meanwhile, hence `confirmed` in the condition).
      const seen = waitFor(w, (v) => v.state === "EXIT_BRAIN_V3_SHADOW" && v.confirmed, 30_000);
      const cli = await runCli(["kill-switch", "--reason", "cross-process test"]);
      expect(cli.out).toContain("rollback");
      expect(cli.code).toBe(0);
      const v = await seen;
      expect(v.confirmed).toBe(true);
      expect(v.resolution?.effective.EXIT_BRAIN_V3_LIVE_ROLLOUT).toBe("DISABLED");
    } finally {
      await w.stop();
    }
  });

  it("treats an unreachable database as unconfirmed = SHADOW, then recovers and re-LISTENs", async () => {
    await changeToggles(t.db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, actor: "test", source: "api", reason: "re-arm", confirmLive: true, ceilings: {} });
    const u = new URL(t.url);
    const proxy: TcpProxy = await startTcpProxy(u.hostname, Number(u.port || 5432));
    u.host = `127.0.0.1:${proxy.port}`;
    const w = new ToggleWatcher({ connectionString: u.toString(), ceilings: parseCeilings({}), log, pollMs: 200, unconfirmedAfterMs: 600 });
    await w.start();
    try {
      expect(w.view().state).toBe("EXIT_BRAIN_V3_LIVE");
      proxy.cut();
      const down = await waitFor(w, (v) => !v.confirmed);
      expect(down.state).toBe("EXIT_BRAIN_V3_SHADOW");
      expect(down.stored?.toggles.EXIT_BRAIN_V3_LIVE_ROLLOUT).toBe("ENABLED"); // last known was LIVE, still not trusted
      proxy.restore();
      await waitFor(w, (v) => v.confirmed && v.state === "EXIT_BRAIN_V3_LIVE");
      // LISTEN is back on a new session (seen from the server's side, not the watcher's word).
      await expect.poll(() => listeningSessions(t), { timeout: 5_000 }).toBe(1);
      const seen = waitFor(w, (v) => v.state === "EXIT_BRAIN_V3_SHADOW" && v.confirmed, 5_000);
      await changeToggles(t.db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }, actor: "test", source: "api", reason: "kill", ceilings: {} });
      await seen;
    } finally {
      await w.stop();
      await proxy.close();
    }
  });

  describe("the notification's row", () => {
    const LIVE = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" } as const;
    const notify = (payload: string) => t.db.$executeRawUnsafe(`SELECT pg_notify('exit_toggles', $1)`, payload);
    const payload = (version: number, toggles: typeof LIVE | { EXIT_MODE: string; EXIT_EXECUTOR_MODE: string; EXIT_BRAIN_V3_LIVE_ROLLOUT: string }) =>
      toggleNotifyPayload({ version, toggles: toggles as typeof LIVE, updatedAt: new Date(), updatedBy: "hand-sent" });

    async function watching(fn: (w: ToggleWatcher, events: ToggleView[]) => Promise<void>): Promise<void> {
      const w = new ToggleWatcher({ connectionString: t.url, ceilings: parseCeilings({}), log, pollMs: 60_000 });
      await w.start();
      const events: ToggleView[] = [];
      w.on("change", (v) => events.push(v));
      try {
        await fn(w, events);
      } finally {
        await w.stop();
      }
    }

    it("a rollback is acted on from the notification itself, before the re-read (which stays authoritative)", async () => {
      await changeToggles(t.db, { changes: LIVE, actor: "test", source: "api", reason: "live again", confirmLive: true, ceilings: {} });
      await watching(async (w, events) => {
        const v = w.view().version!;
        expect(w.view().state).toBe("EXIT_BRAIN_V3_LIVE");
        // A version the table does not hold: only the payload can have produced it.
        await notify(payload(v + 1, { ...LIVE, EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }));
        await waitFor(w, (x) => x.version === v && events.length >= 2, 5_000);
        expect(events.map((e) => [e.version, e.state])).toEqual([[v + 1, "EXIT_BRAIN_V3_SHADOW"], [v, "EXIT_BRAIN_V3_LIVE"]]);
      });
    });

    it("an escalation waits for the re-read: a hand-sent NOTIFY cannot raise the state", async () => {
      await changeToggles(t.db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }, actor: "test", source: "api", reason: "kill", ceilings: {} });
      await watching(async (w, events) => {
        const v = w.view().version!;
        expect(w.view().state).toBe("EXIT_BRAIN_V3_SHADOW");
        await notify(payload(v + 1, LIVE));
        await notify("not json at all");
        // The re-reads have run (a real change sent afterwards is seen after them).
        await changeToggles(t.db, { changes: { EXIT_MODE: "LEGACY" }, actor: "test", source: "api", reason: "to legacy", ceilings: {} });
        await waitFor(w, (x) => x.state === "LEGACY", 5_000);
        expect(events.some((e) => e.state === "EXIT_BRAIN_V3_LIVE")).toBe(false);
      });
    });
  });
});

describe("a toggle version without its audit row (written around exit_toggles_change)", () => {
  it("is refused: the worker acts as SHADOW, never LIVE, until an audited version is stored", async () => {
    await changeToggles(t.db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }, actor: "test", source: "api", reason: "armed, not live", ceilings: {} });
    const w = new ToggleWatcher({ connectionString: t.url, ceilings: parseCeilings({}), log, pollMs: 100 });
    const states: string[] = [];
    w.on("change", (v) => states.push(`${v.state}/${v.confirmed}`));
    await w.start();
    try {
      const audited = w.view();
      expect(audited).toMatchObject({ state: "EXIT_BRAIN_V3_SHADOW", confirmed: true });
      // The attack: LIVE by a plain UPDATE and no audit row. The runtime role cannot do
      // this any more (least-privilege.int.test.ts); the owner (or a superuser) still can.
      await t.ownerDb.$executeRawUnsafe(`UPDATE exit_toggles SET exit_brain_v3_live_rollout = 'ENABLED', version = version + 1, updated_by = 'intruder'`);
      await t.ownerDb.$executeRawUnsafe(`SELECT pg_notify('exit_toggles', '1')`);
      const refused = await waitFor(w, (v) => !v.confirmed, 5_000);
      expect(refused.state).toBe("EXIT_BRAIN_V3_SHADOW");
      await new Promise((r) => setTimeout(r, 500)); // several polls: still refused
      expect(w.view()).toMatchObject({ state: "EXIT_BRAIN_V3_SHADOW", confirmed: false, version: audited.version });
      expect(states.some((s) => s.startsWith("EXIT_BRAIN_V3_LIVE"))).toBe(false);
      // An audited change (here a rollback through the door) is followed again.
      await changeToggles(t.db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }, actor: "op", source: "cli", reason: "undo the intrusion", ceilings: {} });
      const back = await waitFor(w, (v) => v.confirmed, 5_000);
      expect(back).toMatchObject({ state: "EXIT_BRAIN_V3_SHADOW", version: audited.version! + 2 });
    } finally {
      await w.stop();
    }
  });
});
