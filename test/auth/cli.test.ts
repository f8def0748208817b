import { execFile } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify, stripVTControlCharacters } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { authenticate, User } from "../../src/auth/index.js"
import type { CliContext } from "../../src/cli/context.js"
import { runCli } from "../../src/cli/program.js"
import { connect, type Database } from "../../src/orm/index.js"

const AUTH = JSON.stringify(resolve("src/auth/index.ts"))
const ORM = JSON.stringify(resolve("src/orm/index.ts"))
let loads = 0

describe("truss createsuperuser and changepassword", () => {
  let dir: string
  let url: string
  let db: Database
  let out: string[]
  let err: string[]
  const run = (argv: string[], answers?: string[]) => {
    out = []
    err = []
    const queue = [...(answers ?? [])]
    const ctx: CliContext = {
      cwd: dir,
      out: (l) => out.push(stripVTControlCharacters(l)),
      err: (l) => err.push(stripVTControlCharacters(l)),
      importer: (u) => import(`${u}?t=${Date.now()}${++loads}`),
      interactive: answers !== undefined,
      ask: async () => queue.shift(),
    }
    return runCli(argv, ctx)
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-auth-cli-"))
    url = `sqlite:${join(dir, "app.db")}`
    await writeFile(
      join(dir, "truss.config.ts"),
      `import { authModels } from ${AUTH}
import { defineConfig } from ${ORM}
export default defineConfig({ database: ${JSON.stringify(url)}, models: [...authModels] })
`,
    )
    expect(await run(["makemigrations"])).toBe(0)
    expect(await run(["migrate"])).toBe(0)
    db = await connect(url)
  })
  afterAll(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  it("asks in a terminal, refusing a bad email, a common password and a mismatch", async () => {
    const code = await run(
      ["createsuperuser"],
      [
        "not-an-email",
        "Root@Example.com",
        "password123",
        "correct horse battery staple",
        "correct horse battery stable",
        "correct horse battery staple",
        "correct horse battery staple",
      ],
    )
    expect(code).toBe(0)
    expect(err).toEqual([
      "Enter a valid email address.",
      "It is too common.",
      "The two passwords differ. Type the same one twice.",
    ])
    const user = await db.query(User).filter({ email: "root@example.com" }).get()
    expect(out).toEqual([`Superuser created: root@example.com (id ${user.id}).`])
    expect([user.isStaff, user.isSuperuser, user.isActive]).toEqual([true, true, true])
    expect((await authenticate(db, "root@example.com", "correct horse battery staple"))?.id).toBe(
      user.id,
    )
  })

  it("takes --email and TRUSS_SUPERUSER_PASSWORD when there is no terminal", async () => {
    process.env.TRUSS_SUPERUSER_PASSWORD = "a quiet ci passphrase"
    try {
      expect(await run(["createsuperuser", "--email", "ci@example.com"])).toBe(0)
      expect(await run(["createsuperuser", "--email", "ci@example.com"])).toBe(1)
      expect(err).toEqual([
        "TRUSS_ERR_AUTH_CLI_EMAIL_INVALID Cannot use ci@example.com: That email is already taken.",
      ])
    } finally {
      delete process.env.TRUSS_SUPERUSER_PASSWORD
    }
    expect(await run(["createsuperuser", "--email", "x@example.com"])).toBe(1)
    expect(err).toEqual([
      "TRUSS_ERR_AUTH_CLI_PASSWORD_REQUIRED No terminal to ask in: set TRUSS_SUPERUSER_PASSWORD to the new password.",
    ])
  })

  it("changes a password, and refuses an unknown email", async () => {
    expect(
      await run(
        ["changepassword", "ci@example.com"],
        ["new secret phrase 7", "new secret phrase 7"],
      ),
    ).toBe(0)
    expect(out).toEqual(["Password changed for ci@example.com."])
    expect(await authenticate(db, "ci@example.com", "a quiet ci passphrase")).toBe(undefined)
    expect((await authenticate(db, "ci@example.com", "new secret phrase 7"))?.email).toBe(
      "ci@example.com",
    )
    expect(await run(["changepassword", "who@example.com"], [])).toBe(1)
    expect(err).toEqual([
      "TRUSS_ERR_AUTH_CLI_USER_NOT_FOUND No user has the email who@example.com. Check it, or create one with truss createsuperuser.",
    ])
  })

  it("runs as the truss bin", async () => {
    const tsx = resolve("node_modules/tsx/dist/cli.mjs")
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [tsx, resolve("src/cli/bin.ts"), "createsuperuser", "--email", "bin@example.com"],
      { cwd: dir, env: { ...process.env, TRUSS_SUPERUSER_PASSWORD: "from the real bin 42" } },
    )
    const user = await db.query(User).filter({ email: "bin@example.com" }).get()
    expect(stripVTControlCharacters(stdout)).toBe(
      `Superuser created: bin@example.com (id ${user.id}).\n`,
    )
  })
})
