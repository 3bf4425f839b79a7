// `exit-brain policy`: the go-LIVE rules stored in the database (approval, readiness) and the
// admin's one-shot readiness override. Reading needs nothing special; changing connects as the
// database OWNER (MIGRATION_DATABASE_URL, or the embedded server's owner login in
// DATA_DIR/pg-credentials.json): the runtime login every other command uses is refused by the
// database, which is what makes these admin-only. Every change is a toggle_policy_audit row.
import { Option, type Command } from "commander";
import { listPolicyAudit, readPolicy, setPolicy, SetPolicyInput, type StoredPolicy } from "../../server/services/toggles/policy";
import { claimedActor, cliActor, CliError, withDb, withOwnerDb } from "../cli-context";

const bool = (name: string) => (v: string): boolean => {
  const w = v.trim().toLowerCase();
  if (w === "true" || w === "on" || w === "yes") return true;
  if (w === "false" || w === "off" || w === "no") return false;
  throw new CliError(`--${name} must be true or false, got "${v}".`, 2);
};

function show(p: StoredPolicy): void {
  console.log(`Go-LIVE policy (version ${p.version}, changed ${p.updatedAt.toISOString()} by ${p.updatedBy}):`);
  console.log(`  require live approval (a second operator)  ${p.requireLiveApproval ? "ON" : "off"}`);
  console.log(`  require readiness (before-LIVE checklist)  ${p.requireReadiness ? "ON" : "off"}`);
  if (p.readinessOverrideUntil) console.log(`  readiness override: granted by ${p.readinessOverrideBy}, for the next go-LIVE change until ${p.readinessOverrideUntil.toISOString()}`);
}

/** A refusal by the database because this login is not the owner, said as what to do. */
function asOwnerOnly(err: unknown): never {
  const text = err instanceof Error ? err.message : String(err);
  if (/permission denied/i.test(text)) {
    throw new CliError(
      "Changing the go-LIVE policy needs the database owner login, and this one is not it. Set MIGRATION_DATABASE_URL to the owner URL that `npm run db:setup-roles` printed (with the embedded server, run this on its host as the user who runs `npm start`).",
      2,
    );
  }
  throw err;
}

export function register(program: Command): void {
  const policy = program.command("policy").description("the go-LIVE policy stored in the database: show, set, override-readiness (admin)");

  policy
    .command("show", { isDefault: true })
    .description("the policy in force and its latest changes")
    .option("--json", "JSON output")
    .action(async (opts: { json?: boolean }) => {
      const [p, audit] = await withDb(async (db) => [await readPolicy(db), await listPolicyAudit(db, 10)] as const);
      if (!p) throw new CliError("This database has no go-LIVE policy yet: run `npm run db:migrate` (or `npm start`).", 2);
      if (opts.json) {
        console.log(JSON.stringify({ policy: p, audit }, null, 2));
        return;
      }
      show(p);
      for (const a of audit) console.log(`  #${a.id} ${a.at.toISOString()} ${a.action} by ${a.actor}${a.claimedActor ? ` (claimed: ${a.claimedActor})` : ""}: ${a.reason}`);
    });

  policy
    .command("set")
    .description("turn the approval or readiness requirement on or off (owner login; audited)")
    .addOption(new Option("--require-live-approval <on|off>", "going LIVE needs a second operator's approval").argParser(bool("require-live-approval")))
    .addOption(new Option("--require-readiness <on|off>", "going LIVE is refused until the readiness checklist passes").argParser(bool("require-readiness")))
    .requiredOption("--reason <text>", "why (recorded in the policy audit)")
    .option("--actor <name>", "a name to record as what you CLAIM to be (the actor is your OS user)")
    .action(async (opts: { requireLiveApproval?: boolean; requireReadiness?: boolean; reason: string; actor?: string }) => {
      const input = SetPolicyInput.safeParse({ requireLiveApproval: opts.requireLiveApproval, requireReadiness: opts.requireReadiness, reason: opts.reason });
      if (!input.success) throw new CliError(input.error.issues.map((i) => i.message).join("; "), 2);
      const p = await withOwnerDb((db) => setPolicy(db, input.data, { actor: cliActor(), claimedActor: claimedActor(opts.actor) }).catch(asOwnerOnly));
      show(p);
    });

  policy
    .command("override-readiness")
    .description("let the NEXT go-LIVE change pass with unmet readiness items, within --minutes (owner login; audited, consumed by that change)")
    .option("--minutes <n>", "how long the override waits to be used (1-1440)", "15")
    .requiredOption("--reason <text>", "why going LIVE without a full checklist is acceptable now")
    .option("--actor <name>", "a name to record as what you CLAIM to be (the actor is your OS user)")
    .action(async (opts: { minutes: string; reason: string; actor?: string }) => {
      const input = SetPolicyInput.safeParse({ readinessOverrideMinutes: Number(opts.minutes), reason: opts.reason });
      if (!input.success) throw new CliError(`${input.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")} (--minutes is a whole number from 1 to 1440).`, 2);
      const p = await withOwnerDb((db) => setPolicy(db, input.data, { actor: cliActor(), claimedActor: claimedActor(opts.actor) }).catch(asOwnerOnly));
      show(p);
    });
}
