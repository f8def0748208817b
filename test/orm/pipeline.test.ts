import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { connect, createTables, type Database, field, model } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import { SERVICES } from "../support/services.js"

const Item = model("pipe_item", {
  code: field.string({ max: 20, unique: true }),
  qty: field.integer(),
})
const target = (await testDatabases()).find((t) => t.name === "postgres")!

const pid = (db: Database) =>
  db.run("SELECT pg_backend_pid() AS pid", []).then((r) => Number(r.rows[0]!.pid))

describe.skipIf(!target.available)("postgres: connect({ pipeline })", () => {
  let db: Database
  let drop: () => Promise<void>

  beforeAll(async () => {
    ;({ db, drop } = await target.open({ pipeline: 2, poolSize: 10 }))
    await createTables(db, [Item])
    await db
      .query(Item)
      .bulkCreate(Array.from({ length: 50 }, (_, i) => ({ code: `c${i + 1}`, qty: i + 1 })))
  })
  afterAll(() => drop())

  it("answers concurrent queries in order over the two pipelined connections only", async () => {
    const pids = await Promise.all(Array.from({ length: 40 }, () => pid(db)))
    expect(new Set(pids).size).toBe(2)
    const rows = await Promise.all(
      Array.from({ length: 50 }, (_, i) => db.query(Item).get({ id: i + 1 })),
    )
    expect(rows.map((r) => r.qty)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
  })

  it("keeps transactions on pool connections, apart from the pipelines", async () => {
    const outside = new Set(await Promise.all(Array.from({ length: 10 }, () => pid(db))))
    const inside = await db.transaction((tx) =>
      tx.run("SELECT pg_backend_pid() AS pid", []).then((r) => Number(r.rows[0]!.pid)),
    )
    expect(outside.has(inside)).toBe(false)
  })

  it("fails only the query that fails; the ones sent with it succeed", async () => {
    const results = await Promise.allSettled([
      db.query(Item).get({ id: 1 }),
      db.query(Item).create({ code: "c2", qty: 0 }),
      db.query(Item).get({ id: 3 }),
      db.query(Item).create({ code: "fresh", qty: 99 }),
    ])
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ])
    expect((results[1] as PromiseRejectedResult).reason.code).toBe("TRUSS_ERR_ORM_INTEGRITY")
    expect((results[2] as PromiseFulfilledResult<{ qty: number }>).value.qty).toBe(3)
    expect((await db.query(Item).get({ code: "fresh" })).qty).toBe(99)
  })

  it("replaces a connection the server dropped", async () => {
    const admin = await connect(SERVICES.postgres.url)
    try {
      const before = [...new Set(await Promise.all(Array.from({ length: 10 }, () => pid(db))))]
      await admin.run("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [before])
      // Queries that meet the dead connection fail; later ones get a new one.
      await Promise.allSettled(Array.from({ length: 4 }, () => pid(db)))
      await new Promise((r) => setTimeout(r, 50))
      const after = await Promise.all(Array.from({ length: 6 }, () => pid(db)))
      expect(after.some((p) => before.includes(p))).toBe(false)
      expect((await db.query(Item).get({ id: 5 })).qty).toBe(5)
    } finally {
      await admin.close()
    }
  })

  it("refuses a pipeline that is not a connection count", async () => {
    await expect(connect(SERVICES.postgres.url, { pipeline: 0 })).rejects.toMatchObject({
      code: "TRUSS_ERR_INVALID_OPTION",
      message: expect.stringContaining(
        "0 is not a connection count; use an integer from 1 to 64, or leave it out",
      ),
    })
  })
})
