import type { Command } from "commander";
import { renderStatusText } from "../../core/status/render-status-text";
import { getExitBrainStatus } from "../../server/services/status/get-exit-brain-status";
import { withDb } from "../cli-context";

export function register(program: Command): void {
  program
    .command("status")
    .description("print the runbook's EXIT BRAIN V3 STATUS report")
    .option("--json", "print the same data as GET /health/exit_brain_status")
    .action(async (opts: { json?: boolean }) => {
      const report = await withDb((db) => getExitBrainStatus(db));
      console.log(opts.json ? JSON.stringify(report, null, 2) : renderStatusText(report));
    });
}
