import type { Command } from "commander";
import { register as registerBacktest } from "./backtest";
import { registerPolicyCommands } from "./policy";
import { register as registerTune } from "./tune";
import { registerStatus } from "./status";
import { registerToggleCommands } from "./toggles";
import { registerUserCommands } from "./user";

/** One line per command module; keep alphabetical. */
export function register(program: Command): void {
  registerBacktest(program);
  registerTune(program);
  registerPolicyCommands(program);
  registerStatus(program);
  registerToggleCommands(program);
  registerUserCommands(program);
}
