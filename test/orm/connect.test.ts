import { existsSync } from "node:fs"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, relative, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { connect, sql } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

// Issue 4 audit: connect() URL forms, its coded error, pooling, and the docs/orm.md
// examples that docs.test.ts does not run (no in-memory database in them).
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "truss-audit-connect-"))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe("connect()", () => {
  it("opens a SQLite file by a relative path", async () => {
    const file = join(dir, "rel.db")
    const db = await connect(`sqlite:./${relative(process.cwd(), file)}`)
    await db.run("CREATE TABLE t (x INTEGER)", [])
    await db.close()
    expect(existsSync(file)).toBe(true)
  })

  it("rejects a URL it cannot use with TRUSS_ERR_ORM_INVALID_URL", async () => {
    for (const url of ["nope://x", "sqlite:", "postgres//x"]) {
      await expect(connect(url)).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_INVALID_URL",
        message: `Cannot connect to "${url}": use sqlite:./app.db, sqlite::memory:, postgres://user@host/db or mysql://user@host/db.`,
      })
    }
  })

  it("says which SQLite file it cannot open, with TRUSS_ERR_ORM_CANNOT_OPEN", async () => {
    await expect(connect("sqlite:/no/such/folder/app.db")).rejects.toMatchObject({
      code: "TRUSS_ERR_ORM_CANNOT_OPEN",
      status: 500,
      message:
        "Cannot open the database sqlite:/no/such/folder/app.db: Cannot open database because the directory does not exist. For SQLite, create the file's folder first; otherwise check DATABASE_URL.",
    })
  })
})

for (const target of await testDatabases()) {
  if (target.name === "sqlite" || target.name === "mysql-no-returning") continue
  describe.skipIf(!target.available)(`${target.name}: connection pool`, () => {
    const who =
      target.sql === "postgres"
        ? sql<{ id: number }>`SELECT pg_backend_pid() AS id, pg_sleep(0.2) AS s`
        : sql<{ id: number }>`SELECT CONNECTION_ID() AS id, SLEEP(0.2) AS s`

    it("runs concurrent queries on up to poolSize connections", async () => {
      for (const poolSize of [4, 2]) {
        const { db, drop } = await target.open({ poolSize })
        try {
          const rows = await Promise.all(
            [1, 2, 3, 4].map(() => db.execute<{ id: number }>(who).then((r) => r[0]?.id)),
          )
          expect(new Set(rows).size).toBe(poolSize)
        } finally {
          await drop()
        }
      }
    })
  })
}

describe("docs/orm.md examples without an in-memory database", async () => {
  const ORM = JSON.stringify(resolve("src/orm/index.ts"))
  const text = await readFile(resolve("docs/orm.md"), "utf8")
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => (m[1] as string).replaceAll('"truss/orm"', ORM))
    .filter((b) => !b.includes('connect("sqlite::memory:")'))

  it("are the models, schema, hooks and connect examples", () => {
    expect(blocks).toHaveLength(4)
  })

  it("run, and the schema example returns what its comments say", async () => {
    process.env.DATABASE_URL = `sqlite:${join(dir, "docs.db")}`
    try {
      for (const [i, block] of blocks.entries()) {
        const extra =
          i === 1 ? "\nexport { result, schema }\n" : i === 2 ? "\nexport { Event }\n" : ""
        await writeFile(join(dir, `block-${i}.ts`), block + extra)
        const mod = await import(join(dir, `block-${i}.ts`))
        if (i === 0) expect(mod.Article.name).toBe("article")
        if (i === 1) {
          expect(mod.result).toEqual({
            issues: [{ message: "Must be at most 10 characters.", path: ["body"] }],
          })
          expect(mod.schema).toMatchObject({
            type: "object",
            properties: { body: { type: "string", maxLength: 10 } },
            required: ["body"],
          })
        }
        if (i === 2) expect(mod.Event.name).toBe("event")
      }
    } finally {
      delete process.env.DATABASE_URL
    }
  })
})
