// Flag validation shared by `backtest` and `tune`: zod at the edge, errors that name the flag.
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CostModelSchema, type CostModel } from "../../core/backtest/cost-model";
import { FillConfigSchema, type FillConfig } from "../../core/backtest/types";
import type { LegacyModule } from "../../core/backtest/legacy-policy";
import { defaultHybridTpslParams, defaultPositionMonitorParams } from "../../core/legacy/legacy-params";
import { parseExitBrainParams, type ExitBrainParams } from "../../core/exit-brain/params";
import { CliInputError } from "../candles/load-candle-file";

export const num = (flag: string) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === "number" ? v : Number(v);
    if (typeof v === "string" && v.trim() === "") ctx.addIssue({ code: "custom", message: `${flag} needs a number` });
    else if (!Number.isFinite(n)) ctx.addIssue({ code: "custom", message: `${flag}: "${String(v)}" is not a number` });
    return n;
  });

export const CommonFlagsSchema = z.object({
  candles: z.array(z.string().min(1)).min(1, "--candles needs at least one CSV file"),
  seed: num("--seed").pipe(z.number().int("--seed must be an integer")),
  legacyModule: z.enum(["hybrid_tpsl", "position_monitor"], { message: "--legacy-module must be hybrid_tpsl or position_monitor" }),
  params: z.string().optional(),
  takerFeePct: num("--taker-fee-pct"),
  makerFeePct: num("--maker-fee-pct"),
  tpOrder: z.enum(["market", "limit"], { message: "--tp-order must be market or limit" }),
  slippagePct: num("--slippage-pct"),
  stake: num("--stake"),
  leverage: num("--leverage"),
  json: z.boolean().default(false),
  progress: z.boolean().default(true),
});

/** The first zod issue as a one-line CLI error. */
export function flagError(err: z.ZodError, what = "flags"): CliInputError {
  const issue = err.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return new CliInputError(`invalid ${what}: ${where}${issue.message} (see --help)`);
}

export function fillConfigFrom(f: z.infer<typeof CommonFlagsSchema>): FillConfig {
  const r = FillConfigSchema.safeParse({
    takerFeePct: f.takerFeePct,
    makerFeePct: f.makerFeePct,
    takeProfitOrder: f.tpOrder,
    slippagePct: f.slippagePct,
    stakeFraction: f.stake,
    leverage: f.leverage,
  });
  if (!r.success) throw flagError(r.error, "fee/slippage/stake/leverage flags");
  return r.data;
}

/** The path engine's costs from the shared flags (slippage-pct = the base, plus the range share). */
export function costModelFrom(f: z.infer<typeof CommonFlagsSchema> & { slipRangeFrac: number; fundingPct: number }): CostModel {
  const r = CostModelSchema.safeParse({
    takerFeePct: f.takerFeePct,
    slipBasePct: f.slippagePct,
    slipRangeFrac: f.slipRangeFrac,
    fundingRatePct: f.fundingPct,
    stakeFraction: f.stake,
    leverage: f.leverage,
  });
  if (!r.success) throw flagError(r.error, "fee/slippage/funding/stake/leverage flags");
  return r.data;
}

export function legacyFrom(module: "hybrid_tpsl" | "position_monitor"): LegacyModule {
  return module === "hybrid_tpsl" ? { module, params: defaultHybridTpslParams } : { module, params: defaultPositionMonitorParams };
}

export function brainParamsFrom(file: string | undefined): ExitBrainParams {
  if (file === undefined) return parseExitBrainParams({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliInputError(`--params ${file}: cannot read it as JSON (${(err as Error).message}); pass a JSON object of Exit Brain parameters, e.g. the one \`exit-brain tune\` prints`);
  }
  try {
    return parseExitBrainParams(raw);
  } catch (err) {
    if (err instanceof z.ZodError) throw flagError(err, `--params ${file}`);
    throw err;
  }
}

export const COMMON_DEFAULTS = {
  seed: "1",
  legacyModule: "hybrid_tpsl",
  takerFeePct: "0.05",
  makerFeePct: "0.02",
  tpOrder: "market",
  slippagePct: "0.01",
  stake: "0.02",
  leverage: "10",
} as const;

/** The fill-cost and sizing flags shared by `backtest` and `tune`. */
export function addFillFlags(cmd: Command): Command {
  return cmd
    .option("--taker-fee-pct <x>", "taker fee per side, percent", COMMON_DEFAULTS.takerFeePct)
    .option("--maker-fee-pct <x>", "maker fee, percent (only with --tp-order limit)", COMMON_DEFAULTS.makerFeePct)
    .option("--tp-order <market|limit>", "take-profit fills: market = TAKE_PROFIT_MARKET as the product places them (taker fee + slippage), limit = maker what-if", COMMON_DEFAULTS.tpOrder)
    .option("--slippage-pct <x>", "adverse slippage on every fill, percent (path engine: the base, plus --slip-range-frac of the candle's range)", COMMON_DEFAULTS.slippagePct)
    .option("--stake <f>", "notional per trade as a fraction of equity", COMMON_DEFAULTS.stake)
    .option("--leverage <x>", "leverage (sets the liquidation price)", COMMON_DEFAULTS.leverage);
}
