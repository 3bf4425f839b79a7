// User commands: `exit-brain user add | passwd | set-role | disable | enable | revoke-sessions |
// list | audit`. Every change is written to user_audit under the operating-system user.
import { Option, type Command } from "commander";
import { generatePassword, passwordProblem } from "../../server/services/users/password";
import { ROLES, type Role } from "../../server/services/users/roles";
import { addUser } from "../../server/services/users/add-user";
import { listUsers } from "../../server/services/users/list-users";
import { resetUserPassword } from "../../server/services/users/reset-user-password";
import { setUserRole } from "../../server/services/users/set-user-role";
import { listUserAudit, type UserActor } from "../../server/services/users/user-audit";
import { revokeUserSessions, setUserDisabled } from "../../server/services/users/user-account";
import { CliError, cliActor, withDb } from "../cli-context";

/** The CLI acts as the operating-system user running it. */
const by = (): UserActor => ({ actor: cliActor(), source: "cli" });

interface PasswordOpts {
  password?: string;
  passwordStdin?: boolean;
  generate?: boolean;
}

const passwordOptions = (cmd: Command): Command =>
  cmd
    .option("--password <password>", "the new password (visible in shell history and `ps`; prefer the prompt)")
    .option("--password-stdin", "read the password from standard input (first line)")
    .option("--generate", "generate a strong password and print it once");

/** How the password is chosen: flag, stdin, generated, or typed twice at a hidden prompt. */
async function choosePassword(opts: PasswordOpts): Promise<{ password: string; generated: boolean }> {
  const sources = [opts.password !== undefined, Boolean(opts.passwordStdin), Boolean(opts.generate)].filter(Boolean).length;
  if (sources > 1) throw new CliError("Use only one of --password, --password-stdin and --generate.", 2);
  let password: string;
  if (opts.generate) return { password: generatePassword(), generated: true };
  if (opts.password !== undefined) password = opts.password;
  else if (opts.passwordStdin) password = await readStdinLine();
  else if (process.stdin.isTTY) {
    password = await promptHidden("New password: ");
    const again = await promptHidden("Repeat it:    ");
    if (again !== password) throw new CliError("The two passwords differ; nothing was changed.", 2);
  } else {
    throw new CliError("No terminal to prompt for a password: pass --password, --password-stdin or --generate.", 2);
  }
  const problem = passwordProblem(password);
  if (problem) throw new CliError(`Invalid password: ${problem}.`, 2);
  return { password, generated: false };
}

export function register(program: Command): void {
  const user = program
    .command("user")
    .description("manage who can sign in: add, passwd, set-role, disable, enable, revoke-sessions, list, audit")
    .addHelpText("after", `\nRoles: viewer (read), operator (toggles, kill switch, rollbacks), admin (also users).`);

  passwordOptions(
    user
      .command("add")
      .description("add a user who can sign in to the dashboard")
      .requiredOption("--email <email>", "sign-in email (stored lower-case)")
      .addOption(new Option("--role <role>", "what the user may do").choices(ROLES).makeOptionMandatory())
      .option("--name <name>", "display name"),
  ).action(async (opts: PasswordOpts & { email: string; role: Role; name?: string }) => {
    const { password, generated } = await choosePassword(opts);
    const created = await withDb((db) => addUser(db, { email: opts.email, role: opts.role, name: opts.name, password }, by()));
    console.log(`✅ added ${created.role} ${created.email} (id ${created.id})`);
    if (generated) console.log(`password (shown once, not stored in clear): ${password}`);
  });

  passwordOptions(
    user
      .command("passwd")
      .description("set a new password for a user: ends their sessions and clears the sign-in delay (a --generate'd one must be changed at the next sign-in)")
      .requiredOption("--email <email>", "whose password"),
  ).action(async (opts: PasswordOpts & { email: string }) => {
    const { password, generated } = await choosePassword(opts);
    // A generated password goes through the service's own generator, which marks it for change.
    const r = await withDb((db) => resetUserPassword(db, { email: opts.email, password: generated ? undefined : password }, by()));
    console.log(`✅ password changed for ${r.user.email}; their sessions have ended`);
    if (r.generatedPassword) console.log(`password (shown once, not stored in clear; must be changed at the next sign-in): ${r.generatedPassword}`);
  });

  user
    .command("set-role")
    .description("change a user's role (the last admin cannot be demoted)")
    .requiredOption("--email <email>", "whose role")
    .addOption(new Option("--role <role>", "the new role").choices(ROLES).makeOptionMandatory())
    .action(async (opts: { email: string; role: Role }) => {
      const u = await withDb((db) => setUserRole(db, { email: opts.email, role: opts.role }, by()));
      console.log(`✅ ${u.email} is now ${u.role} (their sessions have ended)`);
    });

  user
    .command("disable")
    .description("stop a user from signing in and end their sessions at once (the last admin cannot be disabled)")
    .requiredOption("--email <email>", "whom")
    .action(async (opts: { email: string }) => {
      const u = await withDb((db) => setUserDisabled(db, { email: opts.email, disabled: true }, by()));
      console.log(`✅ ${u.email} is disabled; their sessions have ended`);
    });

  user
    .command("enable")
    .description("let a disabled user sign in again")
    .requiredOption("--email <email>", "whom")
    .action(async (opts: { email: string }) => {
      const u = await withDb((db) => setUserDisabled(db, { email: opts.email, disabled: false }, by()));
      console.log(`✅ ${u.email} is enabled`);
    });

  user
    .command("revoke-sessions")
    .description("sign a user out everywhere: every session cookie issued so far stops working")
    .requiredOption("--email <email>", "whose sessions")
    .action(async (opts: { email: string }) => {
      const u = await withDb((db) => revokeUserSessions(db, { email: opts.email }, by()));
      console.log(`✅ every session of ${u.email} has ended`);
    });

  user
    .command("audit")
    .description("who changed which user, when, from where (newest first)")
    .option("--limit <n>", "how many rows (1-500)", "20")
    .option("--email <email>", "only rows about this user")
    .option("--json", "print JSON instead of a table")
    .action(async (opts: { limit: string; email?: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError(`--limit must be a whole number from 1 to 500 (got ${opts.limit}).`, 2);
      const rows = await withDb((db) => listUserAudit(db, { limit, email: opts.email }));
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        console.log("No user changes recorded yet.");
        return;
      }
      for (const r of rows) {
        const detail = Object.entries(r.detail).map(([k, v]) => `${k}=${String(v)}`).join(" ");
        console.log(`${r.at.toISOString()}  ${r.action.padEnd(15)}  ${r.targetEmail}  by ${r.actor} (${r.source})${detail ? `  ${detail}` : ""}`);
      }
    });

  user
    .command("list")
    .description("list users and their roles")
    .option("--json", "print JSON instead of a table")
    .action(async (opts: { json?: boolean }) => {
      const users = await withDb((db) => listUsers(db));
      if (opts.json) {
        console.log(JSON.stringify(users, null, 2));
        return;
      }
      if (users.length === 0) {
        console.log("No users yet. Start the web app once (it creates the admin) or run `exit-brain user add`.");
        return;
      }
      const width = Math.max(5, ...users.map((u) => u.email.length));
      console.log(`${"EMAIL".padEnd(width)}  ${"ROLE".padEnd(8)}  ${"STATUS".padEnd(8)}  CREATED`);
      for (const u of users) {
        console.log(`${u.email.padEnd(width)}  ${u.role.padEnd(8)}  ${(u.disabled ? "disabled" : "active").padEnd(8)}  ${u.createdAt.toISOString()}`);
      }
    });
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "").trimEnd();
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  let value = "";
  return new Promise((resolve, reject) => {
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stdout.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(null);
        if (ch === "\u0003") return done(new CliError("Cancelled.", 130));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
