// The `exit-brain` command line. Each command lives in src/cli/commands/<name>.ts and exports
// `register(program)`; this file only assembles them.
import { Command, CommanderError } from "commander";
import { CliError } from "./cli-context";
import { register as registerCommands } from "./commands/index";

// `exit-brain audit | head -1`: the reader closing the pipe early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
}

const program = new Command()
  .name("exit-brain")
  .description("Exit Brain control plane: status, toggles, kill switch, audit, backtests.")
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its message (and the help); help and --version exit 0, every
  // parse error (unknown command, option or argument) is bad input: 2, as documented.
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  console.error(`exit-brain: ${err instanceof Error ? err.message : String(err)}`);
  // 2 = refused or bad input, 3 = database unreachable, 1 = anything else
  process.exit(err instanceof CliError ? err.exitCode : 1);
}
