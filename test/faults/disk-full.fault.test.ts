// A full disk under the worker's data and log directories (issue 19). A small tmpfs mounted by the
// test (as root) holds SHADOW_LOG_FILE and LOG_FILE; the worker runs in SHADOW (legacy modules own
// the stops, the executor shadows and writes the JSONL). The test fills the filesystem to the last
// byte and shows: the worker stays up, every open position keeps (and a new one gets) its
// exchange-side stop, the disk warning reaches the heartbeat and the status report (health JSON
// warnings, status page), optional data stops; when space returns the warning clears and the
// shadow log and the log file are written again under their names.
// Not skippable: if no tmpfs can be mounted the test fails and says why.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { computeExitBrainStatus } from "../../src/server/services/status/get-exit-brain-status";
import { openPosition, stopsPerPosition } from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, printFigures, sleep } from "./support/worker-process";

const SIZE_MB = 4;
const world = suiteFaultWorld({ database: "faultdisk", seed: 5 });
let mountDir = "";
let mounted = false;

function mountTmpfs(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "eb-disk-full-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${SIZE_MB}m,mode=0777`, "tmpfs", dir], { stdio: "pipe" });
  } catch (err) {
    const why = err instanceof Error ? (err as Error & { stderr?: Buffer }).stderr?.toString().trim() || err.message : String(err);
    throw new Error(
      `disk-full fault test: cannot mount a ${SIZE_MB} MB tmpfs at ${dir} (${why}). It needs root (or CAP_SYS_ADMIN): run the fault suite as root. ` +
        `This test is not skipped on purpose: without it nothing shows that a full disk never costs a position its stop.`,
    );
  }
  return dir;
}

/** Fills the filesystem of `dir` up to `leaveBytes` free (0 = to the last byte); returns the filler's path. */
function fill(dir: string, leaveBytes: number): string {
  const filler = path.join(dir, `filler-${Date.now()}`);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const free = () => {
    const s = execFileSync("stat", ["-f", "-c", "%a %S", dir], { encoding: "utf8" }).trim().split(" ");
    return Number(s[0]) * Number(s[1]);
  };
  writeFileSync(filler, "");
  try {
    while (free() > leaveBytes + chunk.length) {
      writeFileSync(filler, chunk, { flag: "a" });
    }
    if (leaveBytes === 0) for (;;) writeFileSync(filler, Buffer.alloc(1024, 0x61), { flag: "a" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  }
  return filler;
}

beforeAll(() => {
  // unmounted after the workers writing to it have stopped
  world.onDispose(() => {
    if (mounted) execFileSync("umount", ["-l", mountDir]);
    if (mountDir) rmSync(mountDir, { recursive: true, force: true });
  });
  mountDir = mountTmpfs();
  mounted = true;
});

interface PublishedDisk {
  low: boolean;
  database_full: boolean;
  warnings: string[];
}

async function publishedDisk(pid: number): Promise<PublishedDisk | undefined> {
  const { rows } = await world.pool.query<{ info: { disk?: PublishedDisk } }>(`SELECT info FROM worker_heartbeat WHERE pid = $1 ORDER BY beat_at DESC LIMIT 1`, [pid]);
  return rows[0]?.info.disk;
}

const allProtected = () => stopsPerPosition(world.sim).every((p) => p.stops >= 1);

describe("[FAULTS] the data and log directories' filesystem fills up", () => {
  it("every open position stays protected (a new one gets its stop), the worker alerts, stops optional data, and recovers when space returns", async () => {
    const shadowFile = path.join(mountDir, "data", "exit_brain_shadow.jsonl");
    const logFile = path.join(mountDir, "logs", "exit_brain.log");
    const { t, sim } = world;
    const env = world.workerEnv({
      SHADOW_LOG_FILE: shadowFile,
      LOG_FILE: logFile,
      LOG_LEVEL: "debug",
      EXIT_MODE: "EXIT_BRAIN_V3",
      EXIT_EXECUTOR_MODE: "SHADOW",
      EXIT_BRAIN_INTERVAL_S: "0.5",
      DISK_MIN_FREE_MB: "1",
      DISK_MIN_FREE_PCT: "0",
      DISK_CHECK_INTERVAL_S: "0.2",
      LOG_ROTATE_SIZE_MB: "1",
      LOG_ROTATE_KEEP: "1",
      SHADOW_LOG_ROTATE_SIZE_MB: "1",
      SHADOW_LOG_ROTATE_KEEP: "1",
    });
    await openPosition(sim, "BTCUSDT", "long");
    await openPosition(sim, "ETHUSDT", "short");
    const w = world.startWorker("disk", env);
    await eventually("both positions protected", () => allProtected() && stopsPerPosition(sim).length === 2, 60_000);
    await eventually("the shadow log written", () => existsSync(shadowFile) && statSync(shadowFile).size > 0, 30_000);
    expect((await publishedDisk(w.pid))?.low).toBe(false);
    await eventually("holds in the shadow log (so none while low means something)", () => readFileSync(shadowFile, "utf8").includes('"decision.decision_type":"hold"'), 30_000);

    // 1. Below the limit, not yet full: the alert, optional data paused.
    const lowFiller = fill(mountDir, 512 * 1024);
    const disk = await eventually("the disk warning in the heartbeat", async () => {
      const d = await publishedDisk(w.pid);
      return d?.low ? d : undefined;
    }, 20_000);
    expect(disk.warnings.join(" ")).toMatch(/Disk space low for the (data|logs) directory/);
    const status = await computeExitBrainStatus(t.db);
    expect(status.warnings.join(" ")).toMatch(/Disk space low/);
    // optional data paused: no hold reaches the shadow log while the disk is low
    const mark = statSync(shadowFile).size;
    await sleep(2_000); // four evaluation intervals
    const since = readFileSync(shadowFile, "utf8").slice(mark);
    const holdsWhileLow = since.split("\n").filter((l) => l.includes('"decision.decision_type":"hold"')).length;
    expect(holdsWhileLow).toBe(0);

    // 2. Full to the last byte: writes to the files fail; a new position still gets its stop.
    const fullFiller = fill(mountDir, 0);
    const fullAt = Date.now();
    await openPosition(sim, "SOLUSDT", "long");
    let checks = 0;
    let unprotectedSeen = 0;
    await eventually("the new position protected while the disk is full", () => {
      checks++;
      return stopsPerPosition(sim).length === 3 && allProtected();
    }, 30_000);
    const protectedAfterMs = Date.now() - fullAt;
    for (let k = 0; k < 20; k++) {
      // a few more seconds full: the worker must stay up and nothing may lose its stop
      if (!allProtected()) unprotectedSeen++;
      expect(w.alive()).toBe(true);
      await sleep(150);
    }
    expect(unprotectedSeen).toBe(0);
    expect((await publishedDisk(w.pid))?.low).toBe(true);

    // 3. Space returns: the warning clears, the files are written again under their names.
    rmSync(fullFiller);
    rmSync(lowFiller);
    const shadowBefore = existsSync(shadowFile) ? statSync(shadowFile).size : 0;
    await eventually("the disk warning cleared", async () => (await publishedDisk(w.pid))?.low === false, 30_000);
    expect((await computeExitBrainStatus(t.db)).warnings.join(" ")).not.toMatch(/Disk space low/);
    await eventually("the shadow log written again", () => existsSync(shadowFile) && statSync(shadowFile).size !== shadowBefore, 30_000);
    const recoveredAt = Date.now();
    await eventually("the log file written again (a line logged after the recovery)", () =>
      existsSync(logFile) &&
      readFileSync(logFile, "utf8").split("\n").some((l) => /^\{"level":\d+,"time":(\d+)/.exec(l) !== null && Number(/"time":(\d+)/.exec(l)![1]) >= recoveredAt), 30_000);
    // Every line of the shadow log (what pandas reads) is whole JSON: a batch the full disk took
    // only part of was cut and written again. The log file (fire-and-forget lines) may keep one
    // torn line from the moment the disk filled; it is counted.
    for (const line of readFileSync(shadowFile, "utf8").split("\n").filter(Boolean)) expect(() => JSON.parse(line) as unknown, `${shadowFile}: ${line.slice(0, 80)}`).not.toThrow();
    const tornLogLines = readFileSync(logFile, "utf8").split("\n").filter(Boolean).filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    }).length;
    expect(tornLogLines).toBeLessThanOrEqual(1);
    expect(w.output()).toMatch(/\[DISK\] Disk space low/);
    expect(w.output()).toMatch(/\[DISK\] Disk space is back above the limits/);
    expect(allProtected()).toBe(true);
    expect(w.alive()).toBe(true);
    printFigures("disk-full", { sizeMb: SIZE_MB, newPositionProtectedMs: protectedAfterMs, checks, unprotectedSeen, holdsWhileLow, tornLogLines, positions: stopsPerPosition(sim).length });
  });
});
