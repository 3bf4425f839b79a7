// Leader election against a real PostgreSQL: two contenders with separate pools, exactly one
// leader; cut the leader's link, freeze its process, or stop it, and the standby takes over
// within 5 s with epoch + 1, the old leader knows it is not leader any more, and the fencing
// check refuses the old epoch inside a transaction. Takeover times are printed, not asserted
// beyond the 5 s functional bound. Reading the term (the gateway's fence) takes no lock.
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { startTcpProxy, type TcpProxy } from "../../test/tcp-proxy";
import { createLogger } from "../../src/server/logger";
import { checkLeaderFence, type FenceResult } from "./check-leader-fence";
import { LeaderLease } from "./leader-lease";

const ROOT = path.resolve(import.meta.dirname, "../..");
const log = createLogger({ name: "test", level: "silent", console: false });
let t: TestDatabase;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase("ha");
});
afterAll(async () => t?.drop());
beforeEach(async () => {
  await t.db.$executeRawUnsafe("DELETE FROM worker_leader");
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

function contender(holderId: string, connectionString = t.url): LeaderLease {
  const lease = new LeaderLease({ connectionString, holderId, log });
  cleanup.push(() => lease.stop());
  return lease;
}

async function viaProxy(): Promise<{ url: string; proxy: TcpProxy }> {
  const u = new URL(t.url);
  const proxy = await startTcpProxy(u.hostname, Number(u.port || 5432));
  cleanup.push(() => proxy.close());
  u.host = `127.0.0.1:${proxy.port}`;
  return { url: u.toString(), proxy };
}

function elected(lease: LeaderLease, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    if (lease.isLeader()) return resolve(lease.currentEpoch()!);
    const timer = setTimeout(() => reject(new Error(`${lease.holderId} was not elected within ${timeoutMs} ms`)), timeoutMs);
    lease.once("elected", (epoch) => {
      clearTimeout(timer);
      resolve(epoch);
    });
  });
}

/** The fencing check as the gateway runs it: inside a transaction on its own connection. */
async function fence(epoch: number): Promise<FenceResult> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const res = await checkLeaderFence(client, epoch);
    await client.query("COMMIT");
    return res;
  } finally {
    await client.end();
  }
}

async function storedTerm(): Promise<{ holderId: string; epoch: number }> {
  const row = await t.db.workerLeader.findUniqueOrThrow({ where: { id: 1 } });
  return { holderId: row.holderId, epoch: Number(row.epoch) };
}

describe("LeaderLease", () => {
  it("two contenders: exactly one leader, and it stays the leader across renewals", async () => {
    const a = contender("a");
    const b = contender("b");
    await Promise.all([a.start(), b.start()]);
    const leaders = [a, b].filter((l) => l.isLeader());
    expect(leaders).toHaveLength(1);
    const leader = leaders[0]!;
    const standby = leader === a ? b : a;
    expect(standby.currentEpoch()).toBeNull();
    const epoch = leader.currentEpoch();
    expect(await storedTerm()).toEqual({ holderId: leader.holderId, epoch });
    await new Promise((r) => setTimeout(r, 2_500)); // a few renewals
    expect(leader.isLeader()).toBe(true);
    expect(standby.isLeader()).toBe(false);
    expect(leader.currentEpoch()).toBe(epoch); // renewing is the same term
    expect(await fence(epoch!)).toEqual({ ok: true, epoch });
  });

  it("leader's database link cut: it steps down by itself before the standby takes over (epoch + 1) within 5 s; the old epoch is fenced", async () => {
    const { url, proxy } = await viaProxy();
    const a = contender("a-cut", url);
    await a.start();
    const oldEpoch = await elected(a);
    const b = contender("b-standby");
    await b.start();
    expect(b.isLeader()).toBe(false);

    let aLeaderWhenBElected: boolean | null = null;
    let aSteppedDownAt: number | null = null;
    a.once("stepped-down", () => (aSteppedDownAt = performance.now()));
    b.once("elected", () => (aLeaderWhenBElected = a.isLeader()));
    const cutAt = performance.now();
    proxy.cut();
    const newEpoch = await elected(b, 5_000);
    const takeoverMs = performance.now() - cutAt;
    console.log(`[HA] takeover after a cut link: ${takeoverMs.toFixed(0)} ms (old leader stepped down after ${((aSteppedDownAt ?? NaN) - cutAt).toFixed(0)} ms)`);

    expect(takeoverMs).toBeLessThan(5_000);
    expect(newEpoch).toBe(oldEpoch + 1);
    expect(aLeaderWhenBElected).toBe(false); // never two leaders at once
    expect(aSteppedDownAt).not.toBeNull();
    expect(a.isLeader()).toBe(false);
    expect(a.currentEpoch()).toBeNull();
    expect(await storedTerm()).toEqual({ holderId: "b-standby", epoch: newEpoch });
    expect(await fence(oldEpoch)).toEqual({ ok: false, reason: expect.stringMatching(`stale leader epoch ${oldEpoch} \\(committed epoch ${newEpoch}`) });
    expect(await fence(newEpoch)).toEqual({ ok: true, epoch: newEpoch });

    // The link comes back: the old leader stays a standby and the term does not move.
    proxy.restore();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(a.isLeader()).toBe(false);
    expect(b.isLeader()).toBe(true);
    expect(b.currentEpoch()).toBe(newEpoch);
  });

  it("a frozen leader process (SIGSTOP) is replaced within 5 s and, when it wakes, knows at once it is not leader", async () => {
    const child = spawnLeaseProcess("frozen");
    const oldEpoch = await child.waitFor((l) => l.event === "elected", 10_000).then((l) => l.epoch as number);
    const b = contender("b-after-freeze");
    await b.start();
    expect(b.isLeader()).toBe(false);

    const stoppedAt = performance.now();
    child.proc.kill("SIGSTOP");
    const newEpoch = await elected(b, 5_000);
    const takeoverMs = performance.now() - stoppedAt;
    console.log(`[HA] takeover from a frozen (SIGSTOP) leader: ${takeoverMs.toFixed(0)} ms`);
    expect(takeoverMs).toBeLessThan(5_000);
    expect(newEpoch).toBe(oldEpoch + 1);

    const contAt = Date.now();
    child.proc.kill("SIGCONT");
    const woke = await child.waitFor((l) => l.event === "status" && (l.t as number) >= contAt, 5_000);
    expect(woke).toMatchObject({ leader: false, epoch: null }); // its first look after waking
    await new Promise((r) => setTimeout(r, 1_500)); // its renewals find b's lease
    expect(child.lines.filter((l) => l.event === "status" && (l.t as number) >= contAt).every((l) => l.leader === false)).toBe(true);
    expect(await fence(oldEpoch)).toMatchObject({ ok: false });
  });

  it("graceful stop hands over at the standby's next try (epoch + 1)", async () => {
    const a = contender("a-stop");
    await a.start();
    const oldEpoch = await elected(a);
    const b = contender("b-next");
    await b.start();
    const stopAt = performance.now();
    await a.stop();
    expect(a.isLeader()).toBe(false);
    expect(await elected(b, 5_000)).toBe(oldEpoch + 1);
    console.log(`[HA] takeover after a graceful stop: ${(performance.now() - stopAt).toFixed(0)} ms`);
  });

  it("checking the term takes no lock: a transaction that read it never holds off a renewal or a takeover", async () => {
    const { url, proxy } = await viaProxy();
    const a = contender("a-sending", url);
    await a.start();
    const epoch = await elected(a);
    const gateway = new pg.Client({ connectionString: t.url });
    await gateway.connect();
    cleanup.push(() => gateway.end());
    await gateway.query("BEGIN"); // left open, as a stuck caller would
    expect(await checkLeaderFence(gateway, epoch)).toEqual({ ok: true, epoch });
    const b = contender("b-waiting");
    await b.start();
    const cutAt = performance.now();
    proxy.cut(); // a can no longer renew; b takes over once the lease ran out
    expect(await elected(b, 5_000)).toBe(epoch + 1);
    console.log(`[HA] takeover with a transaction open on the term row: ${(performance.now() - cutAt).toFixed(0)} ms`);
    expect(await checkLeaderFence(gateway, epoch)).toMatchObject({ ok: false }); // the same open transaction now reads the new term
    await gateway.query("COMMIT");
  });
});

describe("checkLeaderFence", () => {
  it("refuses when no term was ever committed", async () => {
    expect(await fence(1)).toEqual({ ok: false, reason: "fenced: order epoch 1 but no leader term has ever been committed" });
  });

  it("refuses the current epoch once its lease has expired", async () => {
    await t.db.$executeRaw`INSERT INTO worker_leader (id, holder_id, epoch, lease_until, acquired_at, renewed_at)
      VALUES (1, 'gone', 7, now() - interval '1 second', now() - interval '1 minute', now() - interval '4 seconds')`;
    expect(await fence(7)).toEqual({ ok: false, reason: expect.stringMatching(/lease of epoch 7 has expired/) });
  });
});

interface Line { event: string; t: number; [k: string]: unknown }

function spawnLeaseProcess(holderId: string): { proc: ChildProcess; lines: Line[]; waitFor(pred: (l: Line) => boolean, timeoutMs: number): Promise<Line> } {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "worker/ha/testing/lease-process.ts"), t.url, holderId], {
    cwd: ROOT, stdio: ["ignore", "pipe", "pipe"],
  });
  cleanup.push(async () => {
    proc.kill("SIGCONT");
    proc.kill("SIGKILL");
  });
  const lines: Line[] = [];
  const waiters = new Set<{ pred: (l: Line) => boolean; resolve: (l: Line) => void }>();
  let buf = "";
  let err = "";
  proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  proc.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = JSON.parse(buf.slice(0, nl)) as Line;
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of waiters) if (w.pred(line)) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  });
  return {
    proc,
    lines,
    waitFor: (pred, timeoutMs) =>
      new Promise((resolve, reject) => {
        const found = lines.find(pred);
        if (found) return resolve(found);
        const w = { pred, resolve: (l: Line) => { clearTimeout(timer); resolve(l); } };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`lease process ${holderId}: expected line not seen within ${timeoutMs} ms; stderr: ${err.slice(-500)}`));
        }, timeoutMs);
        waiters.add(w);
      }),
  };
}
