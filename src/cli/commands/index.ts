import type { Command } from "commander";
import * as backtest from "./backtest";
import * as policy from "./policy";
import * as status from "./status";
import * as toggles from "./toggles";
import * as tune from "./tune";
import * as user from "./user";

/** Every command module exports `register(program)`. The order here is the order of `--help`. */
const MODULES: readonly { register(program: Command): void }[] = [backtest, tune, policy, status, toggles, user];

export function register(program: Command): void {
  for (const m of MODULES) m.register(program);
}
