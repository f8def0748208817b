import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, project, SRC, write } from "./support.js"

const UNSAFE_APP = `import { App } from ${SRC.core}
export const app = new App({ debug: true })
app.get("/", (c) => {
  c.cookie("sid", "abc")
  return "home"
})
`

const SAFE_APP = `import { App } from ${SRC.core}
import { secureHeaders } from ${SRC.security}
export const app = new App({ trustProxy: "loopback", allowedHosts: ["example.com"] })
app.use(secureHeaders())
app.get("/", (c) => {
  c.cookie("sid", "abc")
  return "home"
})
`

const config = (views: boolean) => `import { defineConfig, field, model } from ${SRC.orm}
export const Note = model("note", { body: field.text()${views ? ", views: field.integer({ default: 0 })" : ""} })
export default defineConfig({ database: "sqlite:" + new URL("./app.db", import.meta.url).pathname, models: [Note] })
`

const PROD = { NODE_ENV: "production", SESSION_SECRET: "q7Vx2LmN9pR4sT6wY8zA1bC3dE5fG7hJ" }

describe("truss check", () => {
  let p: Awaited<ReturnType<typeof project>>
  beforeAll(async () => {
    p = await project({
      "src/app.ts": UNSAFE_APP,
      "safe.ts": SAFE_APP,
      "truss.config.ts": config(false),
    })
  })
  afterAll(() => p.remove())

  it("reports each unsafe setting with its id and hint under --deploy, and exits 1", async () => {
    const r = await cli(p.dir, ["check", "--deploy"], { SESSION_SECRET: "secret" })
    expect(r.code).toBe(1)
    expect(r.out.filter((l) => /^[a-z]+\.[EW]\d{3}:/.test(l))).toEqual([
      "security.E001: The app runs with debug: true: stack traces and source reach every client.",
      "security.E004: The session secret is weak: 6 characters, 5 distinct.",
      "migrations.E002: Models have changes no migration records (note).",
      'security.W002: NODE_ENV is not set, not "production".',
      "security.W005: Behind a TLS-terminating proxy the app would not see HTTPS: X-Forwarded-Proto from a loopback proxy is ignored.",
      "security.W007: Cookies set without Secure on an HTTPS request: sid.",
      "security.W008: A request for an unknown Host (truss-check.invalid) got 200, not 400: any Host header is served (host-header poisoning of links and reset mails).",
    ])
    expect(r.out[0]).toBe("System check identified some issues:")
    expect(r.out.at(-1)).toBe("System check identified 7 issues.")
    expect(r.out.filter((l) => l.startsWith("\tHINT: ")).length).toBe(7)
    expect(r.out).toContain(
      '\tHINT: Create the app with new App({ debug: process.env.NODE_ENV !== "production" }) and set NODE_ENV=production in the deploy.',
    )
    expect(r.err).toEqual([
      "TRUSS_ERR_CLI_CHECKS_FAILED truss check found 3 serious issues; fix them (each has a HINT) or silence one with --silence <id>.",
    ])
  })

  it("says the secret is missing, and without --deploy runs only the project checks", async () => {
    const r = await cli(p.dir, ["check", "--deploy", "--silence", "security.E001"], {})
    expect(r.out).toContain("security.E003: Neither SESSION_SECRET nor SECRET_KEY is set.")
    expect(r.out.some((l) => l.startsWith("security.E001"))).toBe(false)
    // Migrations aside, a plain check of an unsafe app finds nothing: those are deploy checks.
    await cli(p.dir, ["makemigrations"])
    await cli(p.dir, ["migrate"])
    expect(await cli(p.dir, ["check"])).toEqual({
      code: 0,
      out: ["System check identified no issues."],
      err: [],
    })
  })

  it("passes a safe app (trustProxy, HSTS, Secure cookies, refused hosts) in production", async () => {
    const r = await cli(
      p.dir,
      ["check", "--deploy", "--app", "safe.ts", "--host", "example.com"],
      PROD,
    )
    expect(r).toEqual({ code: 0, out: ["System check identified no issues."], err: [] })
  })

  it("finds a safe app without HSTS and fails on warnings with --fail-level warning", async () => {
    await write(p.dir, "nohsts.ts", SAFE_APP.replace("app.use(secureHeaders())", ""))
    const argv = ["check", "--deploy", "--app", "nohsts.ts", "--host", "example.com"]
    const r = await cli(p.dir, [...argv, "--fail-level", "warning"], PROD)
    expect(r.code).toBe(1)
    expect(r.out.filter((l) => /^[a-z]+\.[EW]\d{3}:/.test(l))).toEqual([
      "security.W006: HTTPS responses carry no Strict-Transport-Security header.",
    ])
    expect((await cli(p.dir, argv, PROD)).code).toBe(0)
  })

  it("reports pending migrations, unrecorded model changes and SQLite with several processes", async () => {
    await write(p.dir, "truss.config.ts", config(true))
    await cli(p.dir, ["makemigrations", "--name", "views"])
    await write(
      p.dir,
      "truss.config.ts",
      config(false).replace(
        "body: field.text()",
        "body: field.text(), title: field.text({ default: '' })",
      ),
    )
    const env = { ...PROD, WEB_CONCURRENCY: "4" }
    const r = await cli(
      p.dir,
      ["check", "--deploy", "--app", "safe.ts", "--host", "example.com"],
      env,
    )
    expect(r.code).toBe(1)
    expect(r.out.filter((l) => /^[a-z]+\.[EW]\d{3}:/.test(l))).toEqual([
      "migrations.E001: 1 migration is not applied: 0002_views.",
      "migrations.E002: Models have changes no migration records (note).",
      "database.W001: The database is SQLite and WEB_CONCURRENCY is 4: the processes of one host share one file and take turns writing; several hosts cannot share it at all.",
    ])
  })
})
