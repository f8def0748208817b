import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { expect, test } from "vitest"
import { connect } from "../../src/orm/index.js"
import { hasService, SERVICES } from "../support/services.js"

const available = await hasService("postgres")

async function backends(admin: Awaited<ReturnType<typeof connect>>, app: string): Promise<number> {
  const r = await admin.run(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1",
    [app],
  )
  return Number(r.rows[0]?.n)
}

test.skipIf(!available)(
  "close() ends the pool's connections when only direct queries ran (none through Kysely)",
  async () => {
    const admin = await connect(SERVICES.postgres.url)
    const app = `truss_close_${randomBytes(4).toString("hex")}`
    try {
      const db = await connect(`${SERVICES.postgres.url}?application_name=${app}`)
      const r = await db.run("SELECT 41 + 1 AS n", [])
      expect(r.rows).toEqual([{ n: 42 }])
      expect(await backends(admin, app)).toBe(1)
      await db.close()
      // The server drops a backend a moment after its socket closes.
      const until = Date.now() + 2000
      while ((await backends(admin, app)) > 0 && Date.now() < until)
        await new Promise((res) => setTimeout(res, 20))
      expect(await backends(admin, app)).toBe(0)
      // A second close does not end the pool twice (pg throws on that).
      await expect(db.close()).resolves.toBeUndefined()
    } finally {
      await admin.close()
    }
  },
)

test.skipIf(!available)(
  "a process that ran a direct query exits promptly after close(), not after pg's idle timeout",
  async () => {
    const script = `
      import { connect } from "./src/orm/index.ts"
      const db = await connect(${JSON.stringify(SERVICES.postgres.url)})
      await db.run("SELECT 1", [])
      await db.close()
      process.stdout.write("closed")
    `
    const started = Date.now()
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    )
    let out = ""
    child.stdout.on("data", (b) => {
      out += String(b)
    })
    let closedAt = 0
    child.stdout.on("data", () => {
      closedAt ||= Date.now()
    })
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)))
    expect(code).toBe(0)
    expect(out).toBe("closed")
    // pg's idle timeout is 10 s: an open socket would keep the process alive that long.
    expect(Date.now() - closedAt).toBeLessThan(2000)
    expect(closedAt).toBeGreaterThan(started)
  },
  30_000,
)
