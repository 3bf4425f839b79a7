// Command-line flags of sim/main.ts, validated with zod. Flags override the environment.
import { z } from "zod";

export const HELP = `Usage: node --import tsx sim/main.ts [options]

Binance USDⓈ-M futures simulator: the REST + WebSocket subset that ccxt's binanceusdm uses,
replaying real candles (or a seeded random walk), with a demo trader and an admin API.

Options (environment variable in brackets):
  --port N               HTTP/WS port [SIM_PORT, default 8790]
  --candles FILE...      candle CSV files to replay, one symbol per file, named like
                         BTCUSDT-5m.csv [SIM_CANDLES, comma-separated; default sim/data/*.csv]
  --speed N              market milliseconds per wall millisecond; 0 = clock moves only via
                         the admin API [SIM_SPEED, default 60: one 5m candle every 5 s]
  --seed S               seed for the demo trader, random walk and fault rates [SIM_SEED, 1]
  --random-walk          seeded random walk instead of candles [SIM_RANDOM_WALK]
  --no-demo-trader       do not open positions by itself [SIM_DEMO_TRADER=false]
  --weight-limit N|off   refuse past N request weight a minute per IP: 429, then 418 on
                         repeated 429s [default 2400, Binance's]; off = only count
                         (X-MBX-USED-WEIGHT-1M is always sent)
  -h, --help             this text

Credentials: SIM_API_KEY / SIM_API_SECRET (defaults sim-api-key / sim-api-secret).
Admin API and endpoints: sim/README.md.`;

const argsSchema = z.object({
  help: z.boolean(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  candles: z.array(z.string().min(1)).optional(),
  speed: z.coerce.number().min(0).max(100_000).optional(),
  seed: z.coerce.number().int().optional(),
  randomWalk: z.boolean(),
  demoTrader: z.boolean(),
  /** null = count only */
  weightLimit: z.union([z.literal("off").transform(() => null), z.coerce.number().int().positive()]).default(2400),
});

export type CliArgs = z.infer<typeof argsSchema>;

export function parseCliArgs(argv: string[]): CliArgs {
  const raw: Record<string, unknown> = { help: false, randomWalk: false, demoTrader: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value (see --help)`);
      return v;
    };
    switch (flag) {
      case "-h":
      case "--help": raw.help = true; break;
      case "--port": raw.port = value(); break;
      case "--speed": raw.speed = value(); break;
      case "--seed": raw.seed = value(); break;
      case "--random-walk": raw.randomWalk = true; break;
      case "--no-demo-trader": raw.demoTrader = false; break;
      case "--weight-limit": raw.weightLimit = value(); break;
      case "--candles": {
        const files: string[] = inline !== undefined ? inline.split(",") : [];
        while (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) files.push(argv[++i]!);
        if (files.length === 0) throw new Error("--candles needs at least one file (see --help)");
        raw.candles = files;
        break;
      }
      default: throw new Error(`unknown option ${arg} (see --help)`);
    }
  }
  const r = argsSchema.safeParse(raw);
  if (!r.success) throw new Error(r.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  return r.data;
}
