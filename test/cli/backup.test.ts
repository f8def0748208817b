import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { connect } from "../../src/orm/index.js"
import { hasService, SERVICES } from "../support/services.js"
import { cli, project, SRC, write } from "./support.js"

const config = (url: string) =>
  `import { defineConfig } from ${SRC.orm}\nexport default defineConfig({ database: ${JSON.stringify(url)}, models: [] })\n`

const ROWS = [
  { id: 1, name: 'Ünïcode "quotes" 🎉', amount: "12.50" },
  { id: 2, name: "line\nbreak", amount: "0.01" },
  { id: 3, name: "three", amount: "99999.99" },
]

const suffix = () => randomBytes(4).toString("hex")

describe("truss backup / restore", async () => {
  const [pg, maria] = await Promise.all([hasService("postgres"), hasService("mariadb")])
  const cleanups: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  it("SQLite: backs up during concurrent writes from another process and restores a consistent copy", async () => {
    const p = await project({})
    cleanups.push(p.remove)
    const file = join(p.dir, "app.db")
    await write(p.dir, "truss.config.ts", config(`sqlite:${file}`))
    const setup = await connect(`sqlite:${file}`)
    await setup.run(
      "CREATE TABLE bk_order (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, pad TEXT NOT NULL)",
      [],
    )
    await setup.run(
      "CREATE TABLE bk_line (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES bk_order(id))",
      [],
    )
    await setup.close()
    // Another process writes an order and its line in one transaction, as fast as it can.
    const writer = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import Database from "better-sqlite3"
const db = new Database(${JSON.stringify(file)}); db.pragma("journal_mode = WAL"); db.pragma("busy_timeout = 5000")
const o = db.prepare("INSERT INTO bk_order (n, pad) VALUES (?, ?)"), l = db.prepare("INSERT INTO bk_line (order_id) VALUES (?)")
const both = db.transaction((n) => { l.run(o.run(n, "x".repeat(2000)).lastInsertRowid) })
let n = 0; const end = Date.now() + 4000
while (Date.now() < end) { both(++n); if (n === 300) process.stdout.write("go\\n") }
process.stdout.write("wrote " + n + "\\n")`,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    )
    let said = ""
    writer.stdout.setEncoding("utf8").on("data", (d: string) => {
      said += d
    })
    const exited = new Promise<void>((r) => writer.on("close", () => r()))
    while (!said.includes("go")) await new Promise((r) => setTimeout(r, 20))
    const taken = await cli(p.dir, ["backup", "snap.db"])
    expect(taken.code).toBe(0)
    expect(taken.out[0]).toMatch(/^Backed up the sqlite database to snap\.db \(\d+\.\d KiB\)\.$/)
    await exited
    const total = Number(/wrote (\d+)/.exec(said)?.[1])

    // Restore into a fresh project and check the copy.
    const q = await project({})
    cleanups.push(q.remove)
    const target = join(q.dir, "restored.db")
    await write(q.dir, "truss.config.ts", config(`sqlite:${target}`))
    const restored = await cli(q.dir, ["restore", join(p.dir, "snap.db")])
    expect(restored).toEqual({
      code: 0,
      out: [`Restored the sqlite database from ${join(p.dir, "snap.db")}.`],
      err: [],
    })
    const db = await connect(`sqlite:${target}`)
    cleanups.push(() => db.close())
    expect((await db.run("PRAGMA integrity_check", [])).rows).toEqual([{ integrity_check: "ok" }])
    expect((await db.run("PRAGMA foreign_key_check", [])).rows).toEqual([])
    const [orders] = (await db.run("SELECT count(*) AS n, max(n) AS last FROM bk_order", []))
      .rows as { n: number; last: number }[]
    const [lines] = (await db.run("SELECT count(*) AS n FROM bk_line", [])).rows as { n: number }[]
    // A snapshot mid-run: every order has its line, and the orders are 1..k with no gap.
    expect(lines?.n).toBe(orders?.n)
    expect(orders?.last).toBe(orders?.n)
    expect(orders!.n).toBeGreaterThanOrEqual(300)
    // Usually mid-run; on a loaded machine the writer may finish first, which is still consistent.
    expect(orders!.n).toBeLessThanOrEqual(total)
  }, 30_000)

  it.runIf(pg)(
    "PostgreSQL: pg_dump backup, then pg_restore brings back dropped and changed rows",
    async () => {
      const name = `truss_bk_${suffix()}`
      const admin = await connect(SERVICES.postgres.url)
      await admin.run(`CREATE DATABASE ${name}`, [])
      const url = SERVICES.postgres.url.replace(/\/test$/, `/${name}`)
      const db = await connect(url)
      cleanups.push(async () => {
        await db.close()
        await admin.run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, [])
        await admin.close()
      })
      await db.run(
        "CREATE TABLE bk_item (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, amount DECIMAL(10,2) NOT NULL)",
        [],
      )
      for (const r of ROWS)
        await db.run("INSERT INTO bk_item (id, name, amount) VALUES ($1, $2, $3)", [
          r.id,
          r.name,
          r.amount,
        ])
      const p = await project({ "truss.config.ts": config(url) })
      cleanups.push(p.remove)
      expect((await cli(p.dir, ["backup", "pg.dump"])).code).toBe(0)
      await db.run("DELETE FROM bk_item WHERE id = 1", [])
      await db.run("UPDATE bk_item SET name = 'changed'", [])
      await db.run("CREATE TABLE bk_extra (x INTEGER)", [])
      const r = await cli(p.dir, ["restore", "pg.dump"])
      expect(r).toEqual({ code: 0, out: ["Restored the postgres database from pg.dump."], err: [] })
      expect((await db.run("SELECT id, name, amount FROM bk_item ORDER BY id", [])).rows).toEqual(
        ROWS,
      )
    },
    30_000,
  )

  it.runIf(maria)(
    "MariaDB: mysqldump backup, then mysql restore brings back dropped and changed rows",
    async () => {
      const name = `truss_bk_${suffix()}`
      const admin = await connect(SERVICES.mariadb.url)
      await admin.run(`CREATE DATABASE \`${name}\``, [])
      const url = SERVICES.mariadb.url.replace(/\/test$/, `/${name}`)
      const db = await connect(url)
      cleanups.push(async () => {
        await db.close()
        await admin.run(`DROP DATABASE IF EXISTS \`${name}\``, [])
        await admin.close()
      })
      await db.run(
        "CREATE TABLE bk_item (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, amount DECIMAL(10,2) NOT NULL)",
        [],
      )
      for (const r of ROWS)
        await db.run("INSERT INTO bk_item (id, name, amount) VALUES (?, ?, ?)", [
          r.id,
          r.name,
          r.amount,
        ])
      const p = await project({ "truss.config.ts": config(url) })
      cleanups.push(p.remove)
      expect((await cli(p.dir, ["backup", "my.sql"])).code).toBe(0)
      await db.run("DELETE FROM bk_item WHERE id = 1", [])
      await db.run("UPDATE bk_item SET name = 'changed'", [])
      const r = await cli(p.dir, ["restore", "my.sql"])
      expect(r).toEqual({ code: 0, out: ["Restored the mysql database from my.sql."], err: [] })
      expect((await db.run("SELECT id, name, amount FROM bk_item ORDER BY id", [])).rows).toEqual(
        ROWS,
      )
    },
    30_000,
  )

  it("refuses an in-memory SQLite database with a coded error", async () => {
    const p = await project({ "truss.config.ts": config("sqlite::memory:") })
    cleanups.push(p.remove)
    expect(await cli(p.dir, ["backup", "x.db"])).toEqual({
      code: 1,
      out: [],
      err: [
        "TRUSS_ERR_CLI_BACKUP_UNSUPPORTED truss backup cannot back up sqlite::memory:: it knows sqlite:<file>, postgres:// and mysql:// (or mariadb://) databases. An in-memory SQLite database has nothing to back up.",
      ],
    })
  })
})
