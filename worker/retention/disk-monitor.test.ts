import pino from "pino";
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { ToggleView } from "../toggles/toggle-watcher";
import { DiskMonitor } from "./disk-monitor";
import { demoteWhileWritesRefused } from "./write-refusal-toggles";

const log = pino({ level: "silent" });
const MB = 1024 * 1024;
const diskFull = Object.assign(new Error("could not extend file: No space left on device"), { code: "53100" });

describe("DiskMonitor", () => {
  it("goes low on little free space, suppresses optional data, and recovers when space returns", async () => {
    let free = 50 * MB;
    const m = new DiskMonitor({ dirs: [{ label: "data", path: "/x" }], thresholds: { minFreeBytes: 100 * MB, minFreePct: 0 }, intervalMs: 60_000, log, statfsOf: async () => ({ freeBytes: free, totalBytes: 1000 * MB }) });
    const changes: boolean[] = [];
    m.on("change", (i: { low: boolean }) => changes.push(i.low));
    await m.checkNow();
    expect(m.optionalSuppressed).toBe(true);
    expect(m.info().warnings[0]).toMatch(/Disk space low for the data directory/);
    free = 500 * MB;
    await m.checkNow();
    expect(m.optionalSuppressed).toBe(false);
    expect(m.info().warnings).toEqual([]);
    expect(changes).toEqual([true, false]);
  });

  it("a disk-full error from a writer marks the database as refusing writes until a probe succeeds", async () => {
    let probeFails = true;
    let probes = 0;
    const m = new DiskMonitor({
      dirs: [], thresholds: { minFreeBytes: 0, minFreePct: 0 }, intervalMs: 60_000, log,
      probe: async () => {
        probes++;
        if (probeFails) throw diskFull;
      },
    });
    await m.checkNow();
    expect(probes).toBe(0); // no probe while nothing was refused
    m.reportDatabaseError(new Error("connection reset"));
    await m.checkNow();
    expect(m.databaseRefusesWrites).toBe(false);
    m.reportDatabaseError(diskFull);
    await m.checkNow();
    expect(m.databaseRefusesWrites).toBe(true);
    expect(m.optionalSuppressed).toBe(true);
    probeFails = false;
    await m.checkNow();
    expect(m.databaseRefusesWrites).toBe(false);
    expect(probes).toBeGreaterThanOrEqual(2);
  });
});

describe("demoteWhileWritesRefused", () => {
  const view = (state: ToggleView["state"]): ToggleView => ({ state, confirmed: true, version: 3, resolution: null, stored: null, confirmedAt: 1 });

  it("shows LIVE as unconfirmed SHADOW while writes are refused, tells listeners, and leaves other states alone", () => {
    const em = new EventEmitter();
    let current = view("EXIT_BRAIN_V3_LIVE");
    const watcher = { view: () => current, on: em.on.bind(em), off: em.off.bind(em) } as unknown as Parameters<typeof demoteWhileWritesRefused>[0];
    let refused = false;
    const t = demoteWhileWritesRefused(watcher, () => refused);
    const seen: string[] = [];
    const listener = (v: ToggleView) => seen.push(`${v.state}:${v.confirmed}`);
    t.on("change", listener);
    expect(t.view().state).toBe("EXIT_BRAIN_V3_LIVE");
    refused = true;
    t.refresh();
    expect(t.view()).toMatchObject({ state: "EXIT_BRAIN_V3_SHADOW", confirmed: false });
    em.emit("change", view("EXIT_BRAIN_V3_LIVE"), null);
    current = view("LEGACY");
    expect(t.view().state).toBe("LEGACY");
    refused = false;
    current = view("EXIT_BRAIN_V3_LIVE");
    t.refresh();
    t.off("change", listener);
    em.emit("change", view("EXIT_BRAIN_V3_LIVE"), null);
    expect(seen).toEqual(["EXIT_BRAIN_V3_SHADOW:false", "EXIT_BRAIN_V3_SHADOW:false", "EXIT_BRAIN_V3_LIVE:true"]);
  });
});
