// Test helper run as a child process: one lease contender printing its view as JSON lines, so a
// test can freeze it (SIGSTOP) like a paused leader and watch what it believes when it wakes.
// Usage: node --import tsx worker/ha/testing/lease-process.ts <connectionString> <holderId>
import { createLogger } from "../../../src/server/logger";
import { LeaderLease } from "../leader-lease";

const [connectionString, holderId] = process.argv.slice(2);
if (!connectionString || !holderId) {
  console.error("usage: lease-process.ts <connectionString> <holderId>");
  process.exit(2);
}
const print = (o: object) => process.stdout.write(`${JSON.stringify({ ...o, t: Date.now() })}\n`);
const lease = new LeaderLease({ connectionString, holderId, log: createLogger({ name: "lease-child", level: "silent", console: false }) });
lease.on("elected", (epoch) => print({ event: "elected", epoch }));
lease.on("stepped-down", (epoch, why) => print({ event: "stepped-down", epoch, why }));
await lease.start();
setInterval(() => print({ event: "status", leader: lease.isLeader(), epoch: lease.currentEpoch() }), 50);
process.on("SIGTERM", () => void lease.stop().then(() => process.exit(0)));
