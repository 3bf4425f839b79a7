// Toggle commands: set, kill-switch, rollback, audit. Every change goes through changeToggles
// (the one policy door: the go-LIVE policy stored in the database applies, not this shell's
// environment). The actor is the OS user (os:<name>); --actor is only recorded as a claim.
import { Argument, Option, type Command } from "commander";
import { parseToggle, TOGGLE_KEYS, TOGGLE_VALUES, type ToggleKey, type ToggleSet } from "../../core/toggles";
import { changeToggles, type ChangeResult } from "../../server/services/toggles/change-toggles";
import { checkedReason } from "../../server/services/toggles/check-reason";
import { listAudit } from "../../server/services/toggles/list-audit";
import type { RollbackTarget } from "../../server/services/toggles/rollbacks";
import { readCeilings } from "../../server/toggle-ceilings";
import { env } from "../../env.js";
import { runRollback } from "./rollback-output";
import { claimedActor, cliActor, CliError, withDb } from "../cli-context";

const ACTOR_HELP = "a name to record as what you CLAIM to be (the actor is always your OS user, os:<name>)";

function parseAssignments(pairs: string[]): Partial<ToggleSet> {
  const changes: Partial<ToggleSet> = {};
  for (const pair of pairs) {
    const [key, value, ...rest] = pair.split("=");
    if (!key || value === undefined || rest.length > 0) throw new CliError(`"${pair}" is not KEY=VALUE (e.g. EXIT_EXECUTOR_MODE=SHADOW).`, 2);
    const k = key.trim().toUpperCase();
    if (!(TOGGLE_KEYS as string[]).includes(k)) throw new CliError(`Unknown toggle "${key}". Toggles: ${TOGGLE_KEYS.join(", ")}.`, 2);
    const parsed = parseToggle(k as ToggleKey, value);
    // On the command line an unknown word is a typo to fix, not something to coerce silently.
    if (parsed.warning) throw new CliError(`${k}=${value} is not valid; allowed: ${TOGGLE_VALUES[k as ToggleKey].join(", ")}.`, 2);
    (changes as Record<string, string>)[k] = parsed.value;
  }
  return changes;
}

function report(r: ChangeResult): void {
  if (!r.changed) {
    console.log(`No change: the toggles already have these values (version ${r.before.version}, state ${r.stateAfter}).`);
    return;
  }
  console.log(`✅ ${r.kind}: version ${r.before.version} -> ${r.after.version}, state ${r.stateBefore} -> ${r.stateAfter} (audit #${r.auditId})`);
  for (const w of r.readinessWarnings) console.log(`⚠️  readiness not met (allowed by the policy or an admin override): ${w}`);
  if (r.stateAfter === "EXIT_BRAIN_V3_LIVE") console.log("🔴 EXIT BRAIN V3 LIVE MODE ACTIVE: the executor will place real orders.");
}

export function register(program: Command): void {
  program
    .command("set")
    .description("change toggles, e.g. `set EXIT_MODE=EXIT_BRAIN_V3 EXIT_EXECUTOR_MODE=SHADOW --reason \"start shadow\"`")
    .argument("<assignments...>", "KEY=VALUE pairs: EXIT_MODE, EXIT_EXECUTOR_MODE, EXIT_BRAIN_V3_LIVE_ROLLOUT")
    .option("--reason <text>", "why (required for escalations and rollbacks)")
    .option("--confirm-live", "required when the change makes the state EXIT_BRAIN_V3_LIVE")
    .option("--actor <name>", ACTOR_HELP)
    .action(async (pairs: string[], opts: { reason?: string; confirmLive?: boolean; actor?: string }) => {
      const changes = parseAssignments(pairs);
      const e = env();
      const r = await withDb((db) =>
        changeToggles(db, {
          changes,
          actor: cliActor(),
          claimedActor: claimedActor(opts.actor),
          source: "cli",
          reason: checkedReason(opts.reason),
          confirmLive: Boolean(opts.confirmLive),
          // this shell's variables can only tighten the policy stored in the database
          requireApproval: e.REQUIRE_LIVE_APPROVAL,
          requireReadiness: e.REQUIRE_READINESS,
          ceilings: readCeilings().ceilings,
        }),
      );
      report(r);
    });

  const addRollback = (name: string, target: RollbackTarget, description: string) =>
    program
      .command(name)
      .description(description)
      .option("--reason <text>", "why (recorded in the audit trail)")
      .option("--actor <name>", ACTOR_HELP)
      .action(async (opts: { reason?: string; actor?: string }) => {
        await runRollback(target, { actor: cliActor(), claimedActor: claimedActor(opts.actor), source: "cli", reason: opts.reason ?? null, ceilings: readCeilings().ceilings });
      });
  addRollback("kill-switch", "kill-switch", "Rollback A: EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED (LIVE stops at once; executor keeps shadowing)");

  program
    .command("rollback")
    .description("Rollback B (shadow: EXIT_EXECUTOR_MODE=SHADOW) or C (legacy: EXIT_MODE=LEGACY)")
    .addArgument(new Argument("<target>", "shadow | legacy").choices(["shadow", "legacy"]))
    .option("--reason <text>", "why (recorded in the audit trail)")
    .option("--actor <name>", ACTOR_HELP)
    .action(async (target: "shadow" | "legacy", opts: { reason?: string; actor?: string }) => {
      await runRollback(target, { actor: cliActor(), claimedActor: claimedActor(opts.actor), source: "cli", reason: opts.reason ?? null, ceilings: readCeilings().ceilings });
    });

  program
    .command("audit")
    .description("the toggle audit trail, newest first")
    .addOption(new Option("--limit <n>", "rows to show").default("20").argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new CliError(`--limit must be a whole number from 1 to 10000, got "${v}".`, 2);
      return String(n);
    }))
    .option("--json", "JSON output")
    .action(async (opts: { limit: string; json?: boolean }) => {
      const rows = await withDb((db) => listAudit(db, { limit: Number(opts.limit) }));
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) console.log("No toggle changes recorded yet.");
      for (const r of rows) {
        console.log(`#${r.id} ${r.at.toISOString()} ${r.kind.padEnd(10)} ${r.source.padEnd(9)} ${r.actor}${r.claimedActor ? ` (claimed: ${r.claimedActor})` : ""}: ${r.stateBefore ?? "-"} -> ${r.stateAfter} (v${r.versionBefore ?? "-"} -> v${r.versionAfter})${r.reason ? ` — ${r.reason}` : ""}`);
      }
    });
}
