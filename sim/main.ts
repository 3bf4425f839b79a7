// Entry point of the exchange simulator (`npm start` runs it when EXCHANGE=sim).
import { env, EnvError } from "../src/env.js";
import { HELP, parseCliArgs, type CliArgs } from "./cli-args";
import { startSimulator } from "./server/start-simulator";

let args: CliArgs;
try {
  args = parseCliArgs(process.argv.slice(2));
} catch (err) {
  console.error(`[SIM] ${(err as Error).message}`);
  process.exit(2);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

let config;
try {
  config = env();
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(2);
}

const say = (line: string) => console.log(`[SIM] ${line}`);
const randomWalk = args.randomWalk || config.SIM_RANDOM_WALK;
const candleFiles = args.candles ?? config.SIM_CANDLES?.split(",").map((s) => s.trim()).filter(Boolean);
const speed = args.speed ?? config.SIM_SPEED;

let running;
try {
  running = await startSimulator({
    port: args.port ?? config.SIM_PORT,
    credentials: { apiKey: config.SIM_API_KEY, apiSecret: config.SIM_API_SECRET },
    speed,
    seed: args.seed ?? config.SIM_SEED,
    candleFiles,
    randomWalk: randomWalk ? { symbols: ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"], intervalMs: 5 * 60_000 } : null,
    demoTrader: args.demoTrader && config.SIM_DEMO_TRADER ? {} : false,
    weightLimit: { limit: args.weightLimit },
    log: say,
  });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.error(`[SIM] cannot start: ${e.code === "EADDRINUSE" ? `port ${args.port ?? config.SIM_PORT} is in use; set SIM_PORT or --port` : e.message}`);
  process.exit(1);
}

const { sim } = running;
const prices = () => sim.symbols().map((s) => `${s} ${sim.feed.price(s)}`).join(", ");
say(`ready on ${running.url} (ws ${running.url.replace("http", "ws")}/ws): ${randomWalk ? "random walk" : "candle replay"}, speed ${speed}x, ${sim.symbols().length} symbols`);
say(`prices: ${prices()}`);
sim.engine.onEvent((e) => {
  if (e.kind === "order" && e.execType === "TRADE") {
    const o = e.order;
    say(`fill ${o.source} ${o.side} ${o.executedQty} ${o.symbol} @ ${o.avgPrice}${o.reduceOnly ? " reduce-only" : ""} (${o.origType}, ${o.clientOrderId})`);
  }
});
const report = setInterval(() => say(`prices: ${prices()}; positions: ${sim.engine.book.all().length}`), 30_000);
report.unref();

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal} received, stopping`);
  clearInterval(report);
  await running!.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
