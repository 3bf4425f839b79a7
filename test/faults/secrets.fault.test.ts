// Exchange secrets never appear in any output. A full run with recognisable secrets: a worker with
// the right simulator key pair (and Binance-style keys in its environment) that reads positions
// and places orders; a worker with a wrong secret (every signed call refused: bad signature);
// a worker refused at start for a malformed environment (with a secret-bearing webhook URL among
// the bad values). Then ALL their output (stdout, stderr, log files) and the public /health and
// /api/metrics answers are searched for every secret. /health must also carry no position.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test-database";
import { openPosition, stopsPerPosition } from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, workerEnv } from "./support/worker-process";

const tag = randomBytes(6).toString("hex");
const SECRETS = {
  simKey: `SIMKEY${tag}KEY`,
  simSecret: `SIMSECRET${tag}SECRET`,
  wrongSecret: `WRONGSECRET${tag}SECRET`,
  binanceKey: `BINANCEKEY${tag}KEY`,
  binanceSecret: `BINANCESECRET${tag}SECRET`,
  webhook: `HOOKSECRET${tag}HOOK`,
};

const world = suiteFaultWorld({ database: "faultsecret", seed: 19, credentials: { apiKey: SECRETS.simKey, apiSecret: SECRETS.simSecret } });
/** a second database, for the workers that must not start */
let bad: TestDatabase;

beforeAll(async () => {
  bad = await createTestDatabase("faultsecretbad");
  world.onDispose(() => bad.drop());
});

function findSecrets(where: string, text: string): string[] {
  return Object.entries(SECRETS).filter(([, s]) => text.includes(s)).map(([name]) => `${name} in ${where}`);
}

describe("[SECURITY] exchange secrets never appear in any output", () => {
  it("a full run, an auth-error run and a refused start leak no secret in logs, errors, /health or /api/metrics", async () => {
    const withKeys = { SIM_API_KEY: SECRETS.simKey, SIM_API_SECRET: SECRETS.simSecret, BINANCE_API_KEY: SECRETS.binanceKey, BINANCE_API_SECRET: SECRETS.binanceSecret, LOG_LEVEL: "debug" };
    const { t: good, sim, workers } = world;
    await openPosition(sim, "BTCUSDT", "long");
    const ok = world.startWorker("good", world.workerEnv(withKeys));
    const wrong = world.startWorker("wrong-secret", workerEnv(bad.url, sim, { ...withKeys, SIM_API_SECRET: SECRETS.wrongSecret }));
    const refused = world.startWorker("bad-env", workerEnv(bad.url, sim, { ...withKeys, ACCOUNT_REFRESH_MS: "soon", WATCHDOG_WEBHOOK_URL: `not a url ${SECRETS.webhook}` }));

    await eventually("the good worker protects the position", () => stopsPerPosition(sim).every((p) => p.stops >= 1), 60_000);
    // A refused key is a configuration mistake: the worker says so and refuses to start (exit 2).
    expect(await wrong.exited).toBe(2);
    expect(wrong.output()).toMatch(/cannot start: The exchange \(sim\) refused the API credentials: .*Check SIM_API_KEY and SIM_API_SECRET/);
    const code = await refused.exited;
    expect(code).not.toBe(0);
    expect(refused.output()).toMatch(/ACCOUNT_REFRESH_MS/);
    expect(refused.output()).toMatch(/WATCHDOG_WEBHOOK_URL=<hidden>/);

    // The public endpoints, answered from the good worker's database (route handlers in process).
    process.env.DATABASE_URL = good.url;
    const health = await (await import("../../src/app/health/exit_brain_status/route")).GET();
    const healthText = await health.text();
    expect(health.status).toBe(200);
    const metrics = await (await import("../../src/app/api/metrics/route")).GET();
    const metricsText = await metrics.text();
    expect(metrics.status).toBe(200);

    for (const w of [ok, wrong]) await w.stop();
    const leaks = [
      ...workers.flatMap((w) => [...findSecrets(`${w.name} stdout/stderr`, w.output()), ...findSecrets(`${w.name} log file`, w.logText())]),
      ...findSecrets("/health", healthText),
      ...findSecrets("/api/metrics", metricsText),
    ];
    expect(leaks).toEqual([]);
    // The wrong-secret run really went through the auth error path, and said so in its log file.
    expect(wrong.logText()).toMatch(/-1022|[Ss]ignature/);
    // /health carries no position: neither the symbol nor the entry price of the open position.
    const entry = sim.sim.engine.book.all()[0]!.entryPrice;
    expect(healthText).not.toContain("BTCUSDT");
    expect(healthText).not.toContain(String(entry));
    expect(healthText).not.toMatch(/api[_-]?key|secret/i);
  });
});
