import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { afterAll, describe, expect, it } from "vitest"
import { connect, createTables, type Database } from "../../src/orm/index.js"
import { hasService, SERVICES } from "../support/services.js"
import { sleep } from "./cluster.js"
import { DurableItem, DurableMirror } from "./fixtures/models.js"

const ROOT = join(import.meta.dirname, "../..")
// More with TRUSS_RELIABILITY_KILLS=50 (npm test keeps it bounded).
const KILLS = Number(process.env.TRUSS_RELIABILITY_KILLS ?? 10)

/** A writer process, connected and waiting for `go()`. */
interface Writer {
  /** Lets it write until it has reported `atLeast` commits plus a random few ms, then kill -9. */
  go(atLeast: number): Promise<number[]>
}

async function spawnWriter(url: string, loops: number): Promise<Writer> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "fixtures/writer.ts"), url, String(loops)],
    { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] },
  )
  const exited = new Promise((r) => child.once("exit", r))
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  expect((await lines.next()).value).toBe("ready")
  return {
    async go(atLeast) {
      child.stdin!.write("go\n")
      const ids: number[] = []
      for (let line = await lines.next(); !line.done; line = await lines.next()) {
        ids.push(Number(line.value))
        if (ids.length === atLeast) {
          // Mid-transaction, at a random point.
          void sleep(Math.floor(Math.random() * 20)).then(() => child.kill("SIGKILL"))
        }
      }
      await exited
      expect(child.signalCode).toBe("SIGKILL")
      return ids
    },
  }
}

/** Starts KILLS writers at once (they connect in parallel), then runs and kills each in turn. */
async function writeAndKill(url: string, loops: number): Promise<number[]> {
  const writers = await Promise.all(Array.from({ length: KILLS }, () => spawnWriter(url, loops)))
  const reported: number[] = []
  for (const [k, w] of writers.entries()) reported.push(...(await w.go(50 + k * 10)))
  return reported
}

/** Every reported id is stored; every item has its mirror and no mirror is orphaned. */
async function checkCommits(db: Database, reported: number[]) {
  const items = new Set((await db.query(DurableItem).values("id").all()).map((r) => r.id))
  const mirrored = (await db.query(DurableMirror).values("itemId").all()).map((r) => r.itemId)
  const missing = reported.filter((id) => !items.has(id))
  const unpaired = [...items].filter((id) => !mirrored.includes(id)).length
  return {
    reported: reported.length,
    stored: items.size,
    missing: missing.length,
    unpaired,
    mirrors: mirrored.length,
  }
}

describe("kill -9 during writes on SQLite (WAL)", () => {
  const dir = mkdtempSync(join(tmpdir(), "truss-rel-sqlite-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it(`${KILLS} kills: integrity_check ok and every reported commit present`, async () => {
    const url = `sqlite:${join(dir, "durable.db")}`
    const setup = await connect(url)
    await createTables(setup, [DurableItem, DurableMirror])
    await setup.close()
    const reported = await writeAndKill(url, 1)
    const db = await connect(url)
    const integrity = await db.run("PRAGMA integrity_check", [])
    const fk = await db.run("PRAGMA foreign_key_check", [])
    const result = await checkCommits(db, reported)
    await db.close()
    console.log(
      "sqlite durability:",
      JSON.stringify({ kills: KILLS, integrity: integrity.rows, ...result }),
    )
    expect(integrity.rows).toEqual([{ integrity_check: "ok" }])
    expect(fk.rows).toEqual([])
    expect([result.missing, result.unpaired, result.mirrors]).toEqual([0, 0, result.stored])
    expect(result.stored).toBeGreaterThanOrEqual(result.reported)
  }, 60_000)
})

describe.skipIf(!(await hasService("postgres")))("kill -9 during writes on PostgreSQL", () => {
  const schema = `truss_rel_${randomBytes(4).toString("hex")}`
  let admin: Database | undefined
  afterAll(async () => {
    await admin?.run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, [])
    await admin?.close()
  })

  it(`${KILLS} kills of a 4-loop writer: every reported commit present, no half transaction`, async () => {
    admin = await connect(SERVICES.postgres.url)
    await admin.run(`CREATE SCHEMA "${schema}"`, [])
    const url = `${SERVICES.postgres.url}?options=-c%20search_path%3D${schema}`
    const db = await connect(url)
    await createTables(db, [DurableItem, DurableMirror])
    const reported = await writeAndKill(url, 4)
    const result = await checkCommits(db, reported)
    // The primary key index and the heap agree (an index-only count against a seq scan).
    const ids = await db.run(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM "rel_durable_item"`,
      [],
    )
    await db.close()
    console.log("postgres durability:", JSON.stringify({ kills: KILLS, ...result }))
    expect(ids.rows).toEqual([{ n: result.stored, d: result.stored }])
    expect([result.missing, result.unpaired, result.mirrors]).toEqual([0, 0, result.stored])
    expect(result.stored).toBeGreaterThanOrEqual(result.reported)
  }, 60_000)
})
