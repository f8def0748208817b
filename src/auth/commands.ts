/**
 * Auth's CLI commands, `truss createsuperuser` and `truss changepassword`, like
 * Django's. Interactive in a terminal (@clack/prompts); with flags and
 * `TRUSS_SUPERUSER_PASSWORD` otherwise. Loaded by the `truss` CLI only when run.
 * @module
 */
import { isCancel, password as passwordPrompt, text } from "@clack/prompts"
import type { Command } from "commander"
import pc from "picocolors"
import type { CliCommand, CliContext } from "../cli/index.js"
import { withProject } from "../cli/index.js"
import type { Database } from "../orm/index.js"
import { authErrors } from "./errors.js"
import { changePassword, createUser } from "./login.js"
import { normalizeEmail, User } from "./models.js"
import type { AuthUser } from "./user-model.js"
import { passwordProblems } from "./validators.js"

async function askInTerminal(message: string, options: { secret?: boolean } = {}) {
  const answer = await (options.secret ? passwordPrompt({ message }) : text({ message }))
  return isCancel(answer) ? undefined : answer
}

/** Asks `message` until `accept` returns no problem; a cancel stops the command. */
async function askUntil(
  ctx: CliContext,
  message: string,
  secret: boolean,
  accept: (value: string) => Promise<string | undefined> | string | undefined,
): Promise<string> {
  const ask = ctx.ask ?? askInTerminal
  for (;;) {
    const value = await ask(message, { secret })
    if (value === undefined) throw authErrors.CLI_CANCELLED()
    const problem = await accept(value)
    if (problem === undefined) return value
    ctx.err(pc.red(problem))
  }
}

/** A new password, asked twice in a terminal, or from the environment otherwise. */
async function newPassword(ctx: CliContext, owner: { email: string }): Promise<string> {
  const check = (pw: string) => {
    const problems = passwordProblems(pw, owner)
    return problems.length ? problems.map((p) => p.message).join(" ") : undefined
  }
  if (!ctx.interactive) {
    const pw = process.env.TRUSS_SUPERUSER_PASSWORD
    if (!pw) throw authErrors.CLI_PASSWORD_REQUIRED()
    const problem = check(pw)
    if (problem) throw authErrors.PASSWORD_INVALID({ reasons: problem })
    return pw
  }
  const pw = await askUntil(ctx, "Password", true, check)
  await askUntil(ctx, "Password (again)", true, (again) =>
    again === pw ? undefined : "The two passwords differ. Type the same one twice.",
  )
  return pw
}

const isEmail = (v: string) =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? undefined : "Enter a valid email address."

async function findUser(db: Database, email: string): Promise<AuthUser | undefined> {
  return (await db
    .query(User)
    .filter({ email: normalizeEmail(email) })
    .first()) as AuthUser | undefined
}

interface Options {
  config?: string
  email?: string
  username?: string
}

function createSuperuser(program: Command, ctx: CliContext): void {
  program
    .command("createsuperuser")
    .description("create a user who can do everything, and use the admin")
    .option("-c, --config <path>", "config file")
    .option("--email <email>", "the user's email (asked when in a terminal)")
    .option("--username <name>", "an optional username")
    .action(async function createsuperuser(opts: Options) {
      await withProject(ctx, opts.config, async ({ db }) => {
        const taken = async (v: string) =>
          isEmail(v) ?? ((await findUser(db, v)) ? "That email is already taken." : undefined)
        let email = opts.email
        if (email === undefined) {
          if (!ctx.interactive) throw authErrors.CLI_EMAIL_REQUIRED()
          email = await askUntil(ctx, "Email", false, taken)
        } else {
          const problem = await taken(email)
          if (problem) throw authErrors.CLI_EMAIL_INVALID({ email, problem })
        }
        const password = await newPassword(ctx, { email })
        const user = await createUser(db, {
          email,
          password,
          isStaff: true,
          isSuperuser: true,
          emailVerified: true,
          ...(opts.username ? { username: opts.username } : {}),
        })
        ctx.out(`${pc.green("Superuser created:")} ${user.email} (id ${user.id}).`)
      })
    })
}

function changePasswordCommand(program: Command, ctx: CliContext): void {
  program
    .command("changepassword")
    .description("set a user's password (ends their other sessions)")
    .argument("<email>", "the user's email")
    .option("-c, --config <path>", "config file")
    .action(async function changepassword(email: string, opts: Options) {
      await withProject(ctx, opts.config, async ({ db }) => {
        const user = await findUser(db, email)
        if (user === undefined) throw authErrors.CLI_USER_NOT_FOUND({ email })
        await changePassword(db, user, await newPassword(ctx, user))
        ctx.out(`${pc.green("Password changed")} for ${user.email}.`)
      })
    })
}

/** Auth's CLI commands: `createsuperuser` and `changepassword`. */
export const commands: readonly CliCommand[] = [
  { register: createSuperuser },
  { register: changePasswordCommand },
]
