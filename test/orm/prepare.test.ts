import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, field, model, sql } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const Item = model("prep_item", { qty: field.integer() })
const target = (await testDatabases()).find((t) => t.name === "postgres")!

async function prepared(db: Database) {
  return db.execute<{ name: string; statement: string }>(
    sql`SELECT name, statement FROM pg_prepared_statements ORDER BY name`,
  )
}

describe.skipIf(!target.available)("postgres: connect({ prepare })", () => {
  let db: Database
  let plain: Database
  let drops: (() => Promise<void>)[] = []

  beforeAll(async () => {
    const a = await target.open({ poolSize: 1, prepare: true })
    db = a.db
    await createTables(db, [Item])
    await db.query(Item).bulkCreate([{ qty: 1 }, { qty: 2 }])
    const b = await target.open({ poolSize: 1 })
    plain = b.db
    drops = [a.drop, b.drop]
  })
  afterAll(async () => {
    for (const drop of drops) await drop()
  })

  it("runs a statement outside a transaction as one named prepared statement, reused", async () => {
    expect((await db.query(Item).get({ id: 1 })).qty).toBe(1)
    expect((await db.query(Item).get({ id: 2 })).qty).toBe(2)
    expect((await prepared(db)).filter((p) => p.statement.startsWith("SELECT"))).toEqual([
      {
        name: "truss_1",
        statement:
          'SELECT "prep_item"."id", "prep_item"."qty" FROM "prep_item" WHERE "prep_item"."id" = $1 LIMIT 21',
      },
    ])
  })

  it("prepares nothing without the option", async () => {
    await plain.execute(sql`SELECT 1 AS one`)
    await plain.run("SELECT 1 AS one WHERE 1 = $1", [1])
    expect(await prepared(plain)).toEqual([])
  })

  it("runs the statement unprepared when the table's row type changed under it", async () => {
    await db.run(`ALTER TABLE "prep_item" ALTER COLUMN "qty" TYPE BIGINT`, [])
    const row = await db.query(Item).get({ id: 2 })
    expect(row).toEqual({ id: 2, qty: 2 })
  })
})
