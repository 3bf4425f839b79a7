// The `exit-brain` command line. Each command lives in src/cli/commands/<name>.ts and exports
// `register(program)`; this file only assembles them.
import { Command, CommanderError } from "commander";
import { CliError } from "./cli-context";
import { register as registerCommands } from "./commands/index";

const program = new Command()
  .name("exit-brain")
  .description("Exit Brain control plane: status, toggles, kill switch, audit, backtests.")
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  console.error(`exit-brain: ${err instanceof Error ? err.message : String(err)}`);
  // 2 = refused or bad input, 3 = database unreachable, 1 = anything else
  process.exit(err instanceof CliError ? err.exitCode : 1);
}
